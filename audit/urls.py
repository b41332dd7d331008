from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("", views.change_set_list, name="list"),
    path("<int:change_set_id>/", views.change_set_detail, name="detail"),
    path("export/", views.export_log, name="export"),
    path("verify/", views.verify_log, name="verify"),
]
