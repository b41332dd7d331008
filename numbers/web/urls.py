"""The phone-number pages under /numbers/ (the "numbers" namespace)."""

from django.urls import path

from numbers.web.views import numbers, provisioning, undo

app_name = "numbers"

urlpatterns = [
    path("", numbers.number_list, name="list"),
    path("<int:number_id>/", numbers.number_detail, name="detail"),
    path("<int:number_id>/settings/<slug:section>/", numbers.edit_settings, name="edit"),
    # Getting, releasing and a number's history (numbers.web.views.provisioning).
    path("new/", provisioning.provision, name="provision"),
    path("<int:number_id>/release/", provisioning.release, name="release"),
    path("<int:number_id>/history/", provisioning.history, name="history"),
    path("<int:number_id>/history/<int:change_set_id>/undo/", undo.undo_change, name="undo"),
]
