from django.urls import path

from talkadmin.users import views

app_name = "users"

urlpatterns = [
    path("", views.user_list, name="list"),
    path("add/", views.user_add, name="add"),
    path("<int:user_id>/role/", views.user_role, name="role"),
    path("<int:user_id>/deactivate/", views.user_deactivate, name="deactivate"),
    path("<int:user_id>/reactivate/", views.user_reactivate, name="reactivate"),
]
