"""The IVR admin pages (ivr/admin_views.py), included into ivr/urls.py under the "ivr" app."""

from django.urls import path

from ivr import admin_views

urlpatterns = [
    path("new/", admin_views.ivr_create, name="create"),
    path("import/", admin_views.ivr_import_new, name="import"),
    path("<int:ivr_id>/import/", admin_views.ivr_import_into, name="import"),
    path("<int:ivr_id>/history/", admin_views.ivr_history, name="history"),
    path(
        "<int:ivr_id>/history/<int:change_set_id>/revert/",
        admin_views.ivr_revert,
        name="revert",
    ),
    path("<int:ivr_id>/export.json", admin_views.ivr_export, name="export"),
    path("<int:ivr_id>/delete/", admin_views.ivr_delete, name="delete"),
    path("<int:ivr_id>/numbers/", admin_views.ivr_numbers, name="numbers"),
]
