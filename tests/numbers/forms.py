"""Filling in a number's settings forms as an admin would: read the form, change fields, save."""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

HTMX = {"HX-Request": "true"}


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def text(element) -> str:
    return " ".join(element.get_text(" ").split())


def form_values(response) -> dict[str, Any]:
    """What the settings form on the page would submit as it stands (lists for checkboxes)."""
    form = page(response).select_one("form.settings-form")
    assert form is not None, "no settings form on the page"
    values: dict[str, Any] = {}
    for field in form.select("input, select, textarea"):
        name = field.get("name")
        if not name:
            continue
        if field.name == "select":
            chosen = field.select_one("option[selected]") or field.select_one("option")
            values[name] = chosen.get("value", "") if chosen else ""
        elif field.name == "textarea":
            values[name] = field.get_text().removeprefix("\n")
        elif field.get("type") == "checkbox":
            if field.has_attr("checked"):
                values.setdefault(name, []).append(field.get("value", "on"))
        elif field.get("type") == "radio":
            if field.has_attr("checked"):
                values[name] = field.get("value")
        else:
            values[name] = field.get("value", "")
    return values


def open_form(client: Client, number_id: int, section: str):
    response = client.get(reverse("numbers:edit", args=[number_id, section]))
    assert response.status_code == 200, response.content.decode()[:2000]
    return response


def submit(
    client: Client,
    number_id: int,
    section: str,
    changes: dict[str, Any],
    *,
    reason: str = "Customer asked for it",
    loaded_from=None,
    htmx: bool = False,
):
    """Open the section's form (or use `loaded_from`, a response holding it), change the given
    fields (True/False tick or untick a checkbox) and save it."""
    response = loaded_from if loaded_from is not None else open_form(client, number_id, section)
    values = form_values(response)
    for name, value in changes.items():
        if value is True:
            values[name] = ["on"]
        elif value is False or value is None:
            values.pop(name, None)
        else:
            values[name] = value
    if reason is not None:
        values["reason"] = reason
    else:
        values.pop("reason", None)
    headers = HTMX if htmx else {}
    return client.post(reverse("numbers:edit", args=[number_id, section]), values, headers=headers)
