"""The greeting pages under /greetings/ (the "greetings" namespace)."""

from django.urls import path, register_converter

from greetings.web import views
from greetings.web.converters import GreetingIdConverter

register_converter(GreetingIdConverter, "greeting")

app_name = "greetings"

one = "<greeting:greeting_id>/"

urlpatterns = [
    path("", views.greeting_list, name="list"),
    path("new/", views.greeting_new, name="new"),
    path(one, views.greeting_detail, name="detail"),
    path(f"{one}audio/", views.greeting_audio, name="audio"),
    path(f"{one}status/", views.greeting_status, name="status"),
    path(f"{one}upload/", views.greeting_upload, name="upload"),
    path(f"{one}rename/", views.greeting_rename, name="rename"),
    path(f"{one}words/", views.greeting_script, name="script"),
    path(f"{one}delete/", views.greeting_delete, name="delete"),
]
