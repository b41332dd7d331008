"""Zendesk's JSON for each stored record, with the fields Zendesk derives filled in."""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import quote

from sandbox.state import SandboxState

# The fields of minimal_mode=true (the documented list, plus line_type as seen in real answers).
MINIMAL_FIELDS = (
    "id", "country_code", "external", "nickname", "display_number", "capabilities",
    "sms_enabled", "priority", "outbound_enabled", "line_type",
)  # fmt: skip
# ... whose capabilities are only these three (the full form adds emergency_address).
MINIMAL_CAPABILITIES = ("sms", "mms", "voice")


def option_text(state: SandboxState, route: dict[str, Any], ivr_id: int | None) -> str | None:
    """What Zendesk writes beside a route: the group or menu name; None when it does not resolve."""
    options = route.get("options") or {}
    action = route.get("action")
    if action in ("group", "voicemail"):
        groups = [state.groups.get(group_id) for group_id in options.get("group_ids") or []]
        if not groups or any(group is None for group in groups):
            return None
        return ", ".join(group["name"] for group in groups if group)
    if action == "menu":
        menu_id = options.get("menu_id")
        menu = state.menus.get(menu_id) if menu_id is not None else None
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


# Categories whose greetings have "sub-settings" (one greeting with voicemail on, another off).
SUB_SETTING_CATEGORIES = frozenset({1, 2})
PLAYED_CATEGORIES = ("1", "2", "3", "4", "6", "7", "8", "9")  # 5 (IVR) is the IVR's own


def greetings_played(state: SandboxState, number: dict[str, Any]) -> set[int | str]:
    """The greetings a number plays, one per category: its choice, else Zendesk's default
    (the voicemail-off variant for voicemail and available when voicemail is off)."""
    chosen: dict[str, Any] = dict(number.get("categorised_greetings") or {})
    for greeting_id in number.get("greeting_ids") or []:
        greeting = state.greetings.get(greeting_id)
        if greeting is not None:
            chosen.setdefault(str(greeting["category_id"]), greeting_id)
    sub_settings = number.get("categorised_greetings_with_sub_settings") or {}
    voicemail_on = (number.get("settings") or {}).get("voicemail", True)
    played: set[int | str] = set()
    for category in PLAYED_CATEGORIES:
        default = sub_settings.get(category)
        if isinstance(default, dict):  # {"voicemail_on...": id, "voicemail_off...": id}
            default = next((v for k, v in default.items() if k.startswith("voicemail_on")), None)
        greeting_id = chosen.get(category, default)
        if not voicemail_on and isinstance(greeting_id, str):
            off = f"{greeting_id}_voicemail_config"
            greeting_id = off if off in state.greetings else greeting_id
        if greeting_id is not None:
            played.add(greeting_id)
    return played


def greeting_json(
    state: SandboxState,
    greeting: dict[str, Any],
    *,
    assets_url: str,
    played: dict[int, set[int | str]] | None = None,
) -> dict[str, Any]:
    """Zendesk's JSON for a greeting. `played` (number id -> greetings_played) can be given
    when rendering many greetings, so each number is worked out once."""
    greeting_id = greeting["id"]
    ivr_ids = sorted(
        {menu["ivr_id"] for menu in state.menus.values() if menu.get("greeting_id") == greeting_id}
    )
    if played is None:
        played = {n["id"]: greetings_played(state, n) for n in state.phone_numbers.values()}
    number_ids = sorted(
        number_id
        for number_id, number in state.phone_numbers.items()
        if greeting_id in played.get(number_id, ()) or number.get("ivr_id") in ivr_ids
    )
    audio = greeting.get("audio")
    default = bool(greeting.get("default"))
    if audio is None:
        audio_url = None
    elif default:  # Zendesk serves its defaults from a CDN (static.zdassets.com), no login
        audio_url = f"{assets_url}/voice/assets/{audio['key'].rsplit('/', 1)[-1]}"
    else:  # the account's own, under the account's host, as the reference's example shows
        audio_url = f"/system/voice/uploads/{audio['upload_id']}/{quote(greeting['audio_name'])}"
    return {
        "id": greeting_id,
        "name": greeting["name"],
        "category_id": greeting["category_id"],
        "default": default,
        "default_lang": bool(greeting.get("default_lang")),
        "active": bool(number_ids),  # "associated with one or more phone numbers"
        "pending": audio is None and not default,
        "audio_url": audio_url,
        "audio_name": greeting.get("audio_name"),
        "upload_id": None if audio is None else audio.get("upload_id"),
        "phone_number_ids": number_ids,
        "ivr_ids": ivr_ids,
        "has_sub_settings": greeting["category_id"] in SUB_SETTING_CATEGORIES,
    }


def line_json(line: dict[str, Any]) -> dict[str, Any]:
    shown = copy.deepcopy(line)
    shown.pop("settings", None)
    return shown
