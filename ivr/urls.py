from django.urls import path, register_converter

from ivr import editor_views, publish_views, views
from ivr.edit_forms import KEYPRESS_FOR_TOKEN, keypress_token


class KeypressConverter:
    """A route's key in an address: 0-9, "star", "hash" or "default" ("#" cannot travel)."""

    regex = "[^/]+"  # anything: a key the menu does not have is the view's 404

    def to_python(self, value: str) -> str:
        return KEYPRESS_FOR_TOKEN.get(value, value)

    def to_url(self, value: str) -> str:
        return keypress_token(value)


register_converter(KeypressConverter, "keypress")

app_name = "ivr"

draft = "<int:ivr_id>/draft/"
menu = f"{draft}menus/<str:menu_key>/"
route = f"{menu}routes/<keypress:keypress>/"

urlpatterns = [
    path("", views.ivr_list, name="list"),
    path("<int:ivr_id>/", views.ivr_detail, name="detail"),
    path(draft, editor_views.draft_open, name="draft_open"),
    path(f"{draft}discard/", editor_views.draft_discard, name="draft_discard"),
    path(f"{draft}name/", editor_views.ivr_rename, name="ivr_rename"),
    path(f"{draft}menus/add/", editor_views.menu_add, name="menu_add"),
    path(f"{draft}check-number/", editor_views.check_number, name="check_number"),
    path(menu, editor_views.menu_change, name="menu_change"),
    path(f"{menu}delete/", editor_views.menu_delete, name="menu_delete"),
    path(f"{menu}routes/add/", editor_views.route_add, name="route_add"),
    path(route, editor_views.route_change, name="route_change"),
    path(f"{route}delete/", editor_views.route_delete, name="route_delete"),
    path("<int:ivr_id>/publish/", publish_views.publish, name="publish"),
    path("<int:ivr_id>/publish/rebase/", publish_views.publish_rebase, name="publish_rebase"),
]
