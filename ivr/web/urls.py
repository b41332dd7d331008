"""The IVR pages under /ivrs/ (the "ivr" namespace): browse, edit the draft, publish, admin."""

from django.urls import path, register_converter

from ivr.web.converters import KeypressConverter
from ivr.web.views import admin, browse, editor, publish

register_converter(KeypressConverter, "keypress")

app_name = "ivr"

draft = "<int:ivr_id>/draft/"
menu = f"{draft}menus/<str:menu_key>/"
route = f"{menu}routes/<keypress:keypress>/"

urlpatterns = [
    path("", browse.ivr_list, name="list"),
    path("<int:ivr_id>/", browse.ivr_detail, name="detail"),
    # The shared draft (ivr.web.views.editor).
    path(draft, editor.draft_open, name="draft_open"),
    path(f"{draft}discard/", editor.draft_discard, name="draft_discard"),
    path(f"{draft}name/", editor.ivr_rename, name="ivr_rename"),
    path(f"{draft}menus/add/", editor.menu_add, name="menu_add"),
    path(f"{draft}check-number/", editor.check_number, name="check_number"),
    path(menu, editor.menu_change, name="menu_change"),
    path(f"{menu}delete/", editor.menu_delete, name="menu_delete"),
    path(f"{menu}routes/add/", editor.route_add, name="route_add"),
    path(route, editor.route_change, name="route_change"),
    path(f"{route}delete/", editor.route_delete, name="route_delete"),
    # Publishing (ivr.web.views.publish).
    path("<int:ivr_id>/publish/", publish.publish, name="publish"),
    path("<int:ivr_id>/publish/rebase/", publish.publish_rebase, name="publish_rebase"),
    path("<int:ivr_id>/publish/use-menu/", publish.publish_use_menu, name="publish_use_menu"),
    path("<int:ivr_id>/publish/release/", publish.publish_release, name="publish_release"),
    # History, files, creating, deleting, numbers (ivr.web.views.admin).
    path("new/", admin.ivr_create, name="create"),
    path("import/", admin.ivr_import_new, name="import_new"),
    path("<int:ivr_id>/import/", admin.ivr_import_into, name="import_into"),
    path("<int:ivr_id>/history/", admin.ivr_history, name="history"),
    path(
        "<int:ivr_id>/history/<int:change_set_id>/revert/",
        admin.ivr_revert,
        name="revert",
    ),
    path(
        "<int:ivr_id>/history/<int:change_set_id>/undo/",
        admin.ivr_undo,
        name="undo",
    ),
    path("<int:ivr_id>/export.json", admin.ivr_export, name="export"),
    path("<int:ivr_id>/delete/", admin.ivr_delete, name="delete"),
    path("<int:ivr_id>/numbers/", admin.ivr_numbers, name="numbers"),
]
