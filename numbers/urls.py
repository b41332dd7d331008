from django.urls import include, path

from numbers import views

app_name = "numbers"

urlpatterns = [
    path("", views.number_list, name="list"),
    path("<int:number_id>/", views.number_detail, name="detail"),
    path("<int:number_id>/settings/<slug:section>/", views.edit_settings, name="edit"),
    path("", include("numbers.provisioning_urls")),
]
