"""IVR, menu and route endpoints, with Zendesk's validation.

Zendesk accepts a route to a group that does not exist (option_text comes back null) and a menu
route to its own menu: so does the sandbox. It refuses (422) a bad keypress, an unknown action,
options that do not fit the action, a second route on a keypress, a menu route to a menu of
another IVR, an invalid phone number and a text-back from a number without SMS. The wording of
those 422s is not documented by Zendesk; ours names the field in `details`.
"""

from __future__ import annotations

import re
from typing import Any, Literal, TypeGuard, overload

from sandbox.http import Answer, Request, invalid, not_found, offset_page
from sandbox.render import ivr_json, menu_json, route_json
from sandbox.state import SandboxState

KEYPRESSES = frozenset({*"0123456789*#", "default"})
OPTION_KEYS = {
    "group": {"group_ids", "tags"},
    "voicemail": {"group_ids", "tags"},
    "phone_number": {"phone_number", "tags"},
    "textback": {"sms_text", "sms_textstring", "textback_phone_number_id", "tags"},
    "menu": {"menu_id", "tags"},
}
E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


@overload
def _name(fields: dict[str, Any], *, required: Literal[True]) -> str: ...
@overload
def _name(fields: dict[str, Any], *, required: bool) -> str | None: ...
def _name(fields: dict[str, Any], *, required: bool) -> str | None:
    if "name" not in fields and not required:
        return None
    name = fields.get("name")
    if not isinstance(name, str) or not name.strip():
        raise invalid({"name": "can't be blank"})
    if len(name) > 255:
        raise invalid({"name": "is too long (maximum is 255 characters)"})
    return name.strip()


# --- IVRs ---------------------------------------------------------------------------------------
def _ivr(state: SandboxState, ivr_id: int) -> dict[str, Any]:
    ivr = state.ivrs.get(ivr_id)
    if ivr is None:
        raise not_found()
    return ivr


def list_ivrs(state: SandboxState, request: Request) -> Answer:
    ivrs = [ivr_json(state, ivr) for ivr in sorted(state.ivrs.values(), key=lambda i: i["id"])]
    return Answer(200, offset_page(request, ivrs, "ivrs"))


def show_ivr(state: SandboxState, request: Request, ivr_id: int) -> Answer:
    return Answer(200, {"ivr": ivr_json(state, _ivr(state, ivr_id))})


def create_ivr(state: SandboxState, request: Request) -> Answer:
    fields = request.envelope("ivr")
    name = _name(fields, required=True)
    number_ids = _phone_number_ids(state, fields)
    ivr = state.add_ivr(name)
    if number_ids is not None:
        _assign_numbers(state, ivr["id"], number_ids)
    return Answer(201, {"ivr": ivr_json(state, ivr)})


def update_ivr(state: SandboxState, request: Request, ivr_id: int) -> Answer:
    ivr = _ivr(state, ivr_id)
    fields = request.envelope("ivr")
    name = _name(fields, required=False)
    number_ids = _phone_number_ids(state, fields)
    if name is not None:
        ivr["name"] = name
    if number_ids is not None:
        _assign_numbers(state, ivr_id, number_ids)
    return Answer(200, {"ivr": ivr_json(state, ivr)})


def delete_ivr(state: SandboxState, request: Request, ivr_id: int) -> Answer:
    ivr = _ivr(state, ivr_id)
    shown = ivr_json(state, ivr)
    for menu in state.menus_of(ivr_id):
        _remove_menu(state, menu["id"])
    for number in state.numbers_using(ivr_id):
        number["ivr_id"] = None
    del state.ivrs[ivr_id]
    return Answer(200, {"ivr": shown})


def _phone_number_ids(state: SandboxState, fields: dict[str, Any]) -> list[int] | None:
    if "phone_number_ids" not in fields:
        return None
    ids = fields["phone_number_ids"]
    if not isinstance(ids, list) or not all(_is_int(i) for i in ids):
        raise invalid({"phone_number_ids": "must be a list of phone number ids"})
    missing = [i for i in ids if i not in state.phone_numbers]
    if missing:
        raise invalid({"phone_number_ids": f"no phone number has the id {missing[0]}"})
    return ids


def _assign_numbers(state: SandboxState, ivr_id: int, number_ids: list[int]) -> None:
    """The IVR now answers exactly these numbers (a number answers with at most one IVR)."""
    for number in state.numbers_using(ivr_id):
        if number["id"] not in number_ids:
            number["ivr_id"] = None
    for number_id in number_ids:
        state.phone_numbers[number_id]["ivr_id"] = ivr_id


# --- Menus --------------------------------------------------------------------------------------
def _menu(state: SandboxState, ivr_id: int, menu_id: int) -> dict[str, Any]:
    _ivr(state, ivr_id)
    menu = state.menus.get(menu_id)
    if menu is None or menu["ivr_id"] != ivr_id:
        raise not_found()
    return menu


def _greeting_id(state: SandboxState, fields: dict[str, Any]) -> tuple[bool, Any]:
    if "greeting_id" not in fields:
        return False, None
    greeting_id = fields["greeting_id"]
    if greeting_id is None:
        return True, None
    greeting = state.greetings.get(greeting_id)
    if greeting is None or not _is_int(greeting_id):
        raise invalid({"greeting_id": "must be a custom greeting of the IVR category"})
    if greeting.get("category_id") != 5:
        raise invalid({"greeting_id": "must be a greeting of the IVR category"})
    return True, greeting_id


def list_menus(state: SandboxState, request: Request, ivr_id: int) -> Answer:
    _ivr(state, ivr_id)
    menus = [menu_json(state, menu) for menu in state.menus_of(ivr_id)]
    return Answer(200, offset_page(request, menus, "ivr_menus"))


def show_menu(state: SandboxState, request: Request, ivr_id: int, menu_id: int) -> Answer:
    return Answer(200, {"ivr_menu": menu_json(state, _menu(state, ivr_id, menu_id))})


def create_menu(state: SandboxState, request: Request, ivr_id: int) -> Answer:
    _ivr(state, ivr_id)
    fields = request.envelope("ivr_menu")
    name = _name(fields, required=True)
    _, greeting_id = _greeting_id(state, fields)
    menu = state.add_menu(ivr_id, name, greeting_id=greeting_id)  # `default` is read-only
    return Answer(201, {"ivr_menu": menu_json(state, menu)})


def update_menu(state: SandboxState, request: Request, ivr_id: int, menu_id: int) -> Answer:
    menu = _menu(state, ivr_id, menu_id)
    fields = request.envelope("ivr_menu")
    name = _name(fields, required=False)
    given, greeting_id = _greeting_id(state, fields)
    if name is not None:
        menu["name"] = name
    if given:
        menu["greeting_id"] = greeting_id
    return Answer(200, {"ivr_menu": menu_json(state, menu)})


def delete_menu(state: SandboxState, request: Request, ivr_id: int, menu_id: int) -> Answer:
    menu = _menu(state, ivr_id, menu_id)
    if menu.get("default"):
        raise invalid({"base": "The default menu of an IVR cannot be deleted"})
    shown = menu_json(state, menu)
    _remove_menu(state, menu_id)
    return Answer(200, {"ivr_menu": shown})


def _remove_menu(state: SandboxState, menu_id: int) -> None:
    # Routes of other menus that pointed here are kept, dangling (their option_text turns null).
    for route in state.routes_of(menu_id):
        del state.routes[route["id"]]
    del state.menus[menu_id]


# --- Routes -------------------------------------------------------------------------------------
def _route(state: SandboxState, ivr_id: int, menu_id: int, route_id: int) -> dict[str, Any]:
    _menu(state, ivr_id, menu_id)
    route = state.routes.get(route_id)
    if route is None or route["menu_id"] != menu_id:
        raise not_found()
    return route


def list_routes(state: SandboxState, request: Request, ivr_id: int, menu_id: int) -> Answer:
    _menu(state, ivr_id, menu_id)
    routes = [route_json(state, route) for route in state.routes_of(menu_id)]
    return Answer(200, offset_page(request, routes, "ivr_routes"))


def show_route(
    state: SandboxState, request: Request, ivr_id: int, menu_id: int, route_id: int
) -> Answer:
    return Answer(200, {"ivr_route": route_json(state, _route(state, ivr_id, menu_id, route_id))})


def create_route(state: SandboxState, request: Request, ivr_id: int, menu_id: int) -> Answer:
    _menu(state, ivr_id, menu_id)
    fields = request.envelope("ivr_route")
    for required in ("keypress", "action"):
        if required not in fields:
            raise invalid({required: "can't be blank"})
    route = {
        "keypress": fields["keypress"],
        "action": fields["action"],
        "options": fields.get("options", {}),
    }
    _validate_route(state, ivr_id, menu_id, route, route_id=None)
    stored = state.add_route(menu_id, route["keypress"], route["action"], route["options"])
    return Answer(201, {"ivr_route": route_json(state, stored)})


def update_route(
    state: SandboxState, request: Request, ivr_id: int, menu_id: int, route_id: int
) -> Answer:
    route = _route(state, ivr_id, menu_id, route_id)
    fields = request.envelope("ivr_route")
    if "options" in fields and "action" not in fields:
        raise invalid({"action": "must be sent together with options"})
    merged = {
        "keypress": fields.get("keypress", route["keypress"]),
        "action": fields.get("action", route["action"]),
        "options": fields.get("options", route["options"]),
    }
    _validate_route(state, ivr_id, menu_id, merged, route_id=route_id)
    route.update(merged)
    return Answer(200, {"ivr_route": route_json(state, route)})


def delete_route(
    state: SandboxState, request: Request, ivr_id: int, menu_id: int, route_id: int
) -> Answer:
    route = _route(state, ivr_id, menu_id, route_id)
    shown = route_json(state, route)
    del state.routes[route_id]
    return Answer(200, {"ivr_route": shown})


def _validate_route(
    state: SandboxState, ivr_id: int, menu_id: int, route: dict[str, Any], *, route_id: int | None
) -> None:
    keypress, action, options = route["keypress"], route["action"], route["options"]
    if keypress not in KEYPRESSES:
        raise invalid({"keypress": "must be one of 0-9, *, # or default"})
    if any(
        other["keypress"] == keypress and other["id"] != route_id
        for other in state.routes_of(menu_id)
    ):
        raise invalid({"keypress": "is already used by another route in this menu"})
    if action not in OPTION_KEYS:
        raise invalid({"action": "must be one of group, voicemail, phone_number, textback or menu"})
    if not isinstance(options, dict):
        raise invalid({"options": "must be an object"})
    unexpected = sorted(set(options) - OPTION_KEYS[action])
    if unexpected:
        raise invalid({"options": f"{unexpected[0]} does not fit the action {action}"})
    tags = options.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise invalid({"options": "tags must be a list of words"})
    problem = _options_problem(state, ivr_id, action, options)
    if problem:
        raise invalid({"options": problem})


def _options_problem(
    state: SandboxState, ivr_id: int, action: str, options: dict[str, Any]
) -> str | None:
    if action in ("group", "voicemail"):
        group_ids = options.get("group_ids")
        if (
            not isinstance(group_ids, list)
            or not group_ids
            or not all(_is_int(g) for g in group_ids)
        ):
            return "group_ids must be a list of at least one group id"
        return None  # like Zendesk, a group that does not exist is accepted
    if action == "phone_number":
        number = options.get("phone_number")
        if not isinstance(number, str) or not E164.match(number):
            return "phone_number must be a phone number in international format (+14155550100)"
        return None
    if action == "textback":
        text = options.get("sms_text", options.get("sms_textstring"))
        if not isinstance(text, str) or not text.strip():
            return "sms_text can't be blank"
        if len(text) > 320:
            return "sms_text is too long (maximum is 320 characters)"
        sender_id = options.get("textback_phone_number_id")
        sender = state.phone_numbers.get(sender_id) if _is_int(sender_id) else None
        if sender is None:
            return "textback_phone_number_id must be the id of one of your phone numbers"
        if not sender.get("sms_enabled"):
            return "textback_phone_number_id must be a number with text messaging (SMS) enabled"
        return None
    menu_id = options.get("menu_id")
    menu = state.menus.get(menu_id) if _is_int(menu_id) else None
    if menu is None or menu["ivr_id"] != ivr_id:
        return "menu_id must be a menu of the same IVR"
    return None  # a menu may route to itself: Zendesk accepts it
