"""URLs of "Get a new number", "Release a number" and a number's History (under /numbers/)."""

from django.urls import path

from numbers import provisioning_views

urlpatterns = [
    path("new/", provisioning_views.provision, name="provision"),
    path("<int:number_id>/release/", provisioning_views.release, name="release"),
    path("<int:number_id>/history/", provisioning_views.history, name="history"),
]
