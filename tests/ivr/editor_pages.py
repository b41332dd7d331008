"""Driving the IVR editor's pages as a browser would: with htmx headers, or as plain form posts."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from ivr.models import Draft

HTMX = {"HX-Request": "true"}


def detail_url(ivr_id: int) -> str:
    return reverse("ivr:detail", args=[ivr_id])


def start_draft(client: Client, ivr_id: int) -> Draft:
    """Press "Edit this IVR"."""
    response = client.post(reverse("ivr:draft_open", args=[ivr_id]))
    assert response.status_code == 303, response.content.decode()[:500]
    return draft_of(ivr_id)


def draft_of(ivr_id: int) -> Draft:
    return Draft.objects.get(ivr_id=ivr_id)


def menu_key_named(ivr_id: int, name: str) -> str:
    document = draft_of(ivr_id).ivr_document()
    return next(menu.key for menu in document.menus if menu.name == name)


def post(client: Client, name: str, args: list, data: dict, *, htmx: bool = True):
    """Post one editor form with the draft's current version (unless `data` gives one)."""
    ivr_id = args[0]
    if "version" not in data:
        data = {"version": draft_of(ivr_id).version, **data}
    return client.post(reverse(f"ivr:{name}", args=args), data, headers=HTMX if htmx else {})


def add_menu(client: Client, ivr_id: int, name: str, greeting: str = "") -> str:
    response = post(client, "menu_add", [ivr_id], {"name": name, "greeting": greeting})
    assert response.status_code == 200, response.content.decode()[:800]
    return menu_key_named(ivr_id, name)


def route_to_menu(client: Client, ivr_id: int, menu_key: str, keypress: str, target_key: str):
    return post(
        client,
        "route_add",
        [ivr_id, menu_key],
        {"keypress": keypress, "action": "menu", "menu_key": target_key},
    )
