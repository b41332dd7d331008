from django.urls import include, path

from ivr import views

app_name = "ivr"

urlpatterns = [
    path("", views.ivr_list, name="list"),
    path("<int:ivr_id>/", views.ivr_detail, name="detail"),
    path("", include("ivr.admin_urls")),
]
