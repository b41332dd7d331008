"""Zendesk's JSON for each stored record, with the fields Zendesk derives filled in."""

from __future__ import annotations

import copy
from typing import Any

from sandbox.state import SandboxState

# The fields of minimal_mode=true (the documented list, plus line_type as seen in real answers).
MINIMAL_FIELDS = (
    "id", "country_code", "external", "nickname", "display_number", "capabilities",
    "sms_enabled", "priority", "outbound_enabled", "line_type",
)  # fmt: skip
# ... whose capabilities are only these three (the full form adds emergency_address).
MINIMAL_CAPABILITIES = ("sms", "mms", "voice")


def option_text(state: SandboxState, route: dict[str, Any], ivr_id: int) -> str | None:
    """What Zendesk writes beside a route: the group or menu name; None when it does not resolve."""
    options = route.get("options") or {}
    action = route.get("action")
    if action in ("group", "voicemail"):
        groups = [state.groups.get(group_id) for group_id in options.get("group_ids") or []]
        if not groups or any(group is None for group in groups):
            return None
        return ", ".join(group["name"] for group in groups if group)
    if action == "menu":
        menu = state.menus.get(options.get("menu_id"))
        return menu["name"] if menu and menu["ivr_id"] == ivr_id else None
    if action == "phone_number":
        return options.get("phone_number")
    if action == "textback":
        return options.get("sms_text", options.get("sms_textstring"))
    return None


def route_json(state: SandboxState, route: dict[str, Any]) -> dict[str, Any]:
    menu = state.menus.get(route["menu_id"]) or {}
    return {
        "id": route["id"],
        "keypress": route["keypress"],
        "greeting": None,
        "action": route["action"],
        "options": copy.deepcopy(route.get("options") or {}),
        "option_text": option_text(state, route, menu.get("ivr_id")),
        "overflow_options": copy.deepcopy(route.get("overflow_options") or []),
    }


def menu_json(state: SandboxState, menu: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": menu["id"],
        "name": menu["name"],
        "default": bool(menu.get("default")),
        "greeting_id": menu.get("greeting_id"),
        "routes": [route_json(state, route) for route in state.routes_of(menu["id"])],
    }


def ivr_json(state: SandboxState, ivr: dict[str, Any]) -> dict[str, Any]:
    numbers = state.numbers_using(ivr["id"])
    extra = {k: copy.deepcopy(v) for k, v in ivr.items() if k not in {"id", "name"}}
    return {
        "id": ivr["id"],
        "menus": [menu_json(state, menu) for menu in state.menus_of(ivr["id"])],
        "name": ivr["name"],
        "phone_number_ids": [number["id"] for number in numbers],
        "phone_number_names": [number["name"] for number in numbers],
        **extra,
    }


def phone_number_json(
    number: dict[str, Any], *, settings: bool = False, minimal: bool = False
) -> dict[str, Any]:
    if minimal:
        shown = {key: copy.deepcopy(number.get(key)) for key in MINIMAL_FIELDS}
        capabilities = shown.get("capabilities") or {}
        shown["capabilities"] = {k: v for k, v in capabilities.items() if k in MINIMAL_CAPABILITIES}
        return shown
    shown = copy.deepcopy(number)
    if not settings:
        shown.pop("settings", None)
    return shown


def greeting_json(state: SandboxState, greeting: dict[str, Any]) -> dict[str, Any]:
    ivr_ids = sorted(
        {
            menu["ivr_id"]
            for menu in state.menus.values()
            if menu.get("greeting_id") == greeting["id"]
        }
    )
    number_ids = sorted(
        number["id"]
        for number in state.phone_numbers.values()
        if greeting["id"] in (number.get("greeting_ids") or [])
        or greeting["id"] in (number.get("categorised_greetings") or {}).values()
    )
    shown = copy.deepcopy(greeting)
    shown["ivr_ids"] = ivr_ids
    shown["phone_number_ids"] = number_ids
    shown["active"] = bool(ivr_ids or number_ids or greeting.get("default"))
    return shown


def line_json(line: dict[str, Any]) -> dict[str, Any]:
    shown = copy.deepcopy(line)
    shown.pop("settings", None)
    return shown
