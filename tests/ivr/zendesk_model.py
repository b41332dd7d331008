"""An in-memory Zendesk holding one IVR, following the sandbox's contract, for planner tests.

It answers the IVR, menu and route calls the planner makes, and refuses with `Refused` (a 422
in Zendesk) what the contract forbids: read-only fields in a body, a route's options without
its action, a second route for a key, a menu route to a menu outside the IVR, deleting the
menu callers hear first. Ids are assigned on create; deleting a menu deletes its routes.
"""

import copy
import re
from typing import Any

from ivr.engine.destinations import ACTIONS
from ivr.engine.document import KEYPRESSES

PATH = re.compile(
    r"/api/v2/channels/voice/ivr/(?P<ivr>\d+)"
    r"(?:/menus(?:/(?P<menu>\d+)(?:/routes(?:/(?P<route>\d+))?)?)?)?"
)
WRITABLE = {
    "ivr": {"name", "phone_number_ids"},
    "ivr_menu": {"name", "greeting_id"},
    "ivr_route": {"keypress", "action", "options"},
}


class Refused(Exception):
    """What Zendesk would answer with an error status."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(f"{status}: {description}")
        self.status = status


class InMemoryZendesk:
    def __init__(self, ivr: dict[str, Any]) -> None:
        self.ivr = copy.deepcopy(ivr)
        existing = [menu["id"] for menu in self.ivr["menus"]] + [
            route["id"] for menu in self.ivr["menus"] for route in menu["routes"]
        ]
        self._next_id = max(existing, default=0) + 1000
        self.requests: list[tuple[str, str, Any]] = []

    def ivr_json(self) -> dict[str, Any]:
        return copy.deepcopy(self.ivr)

    def request(self, method: str, path: str, body: dict[str, Any] | None) -> dict[str, Any]:
        self.requests.append((method, path, copy.deepcopy(body)))
        match = PATH.fullmatch(path)
        if match is None or int(match["ivr"]) != self.ivr["id"]:
            raise Refused(404, f"no such path {path}")
        menu_id, route_id = match["menu"], match["route"]
        is_menus = "/menus" in path
        is_routes = "/routes" in path
        if not is_menus:
            return self._ivr(method, body)
        if menu_id is None:
            return self._create_menu(method, body)
        menu = self._menu(int(menu_id))
        if not is_routes:
            return self._menu_call(method, menu, body)
        if route_id is None:
            return self._create_route(method, menu, body)
        return self._route_call(method, menu, self._route(menu, int(route_id)), body)

    # --- IVR and menus --------------------------------------------------------------------------

    def _ivr(self, method: str, body: Any) -> dict[str, Any]:
        fields = _fields(body, "ivr", method, "PUT")
        if "name" in fields:
            self.ivr["name"] = fields["name"]
        return {"ivr": self.ivr_json()}

    def _create_menu(self, method: str, body: Any) -> dict[str, Any]:
        fields = _fields(body, "ivr_menu", method, "POST")
        if not fields.get("name"):
            raise Refused(422, "name is required")
        menu = {
            "id": self._new_id(),
            "name": fields["name"],
            "default": False,
            "greeting_id": fields.get("greeting_id"),
            "routes": [],
        }
        self.ivr["menus"].append(menu)
        return {"ivr_menu": copy.deepcopy(menu)}

    def _menu_call(self, method: str, menu: dict[str, Any], body: Any) -> dict[str, Any]:
        if method == "DELETE":
            if body is not None:
                raise Refused(400, "a delete has no body")
            if menu["default"]:
                raise Refused(422, "the default menu cannot be deleted")
            self.ivr["menus"].remove(menu)
            return {"ivr_menu": menu}
        fields = _fields(body, "ivr_menu", method, "PUT")
        if not fields:
            raise Refused(422, "nothing to change")
        menu.update(fields)
        return {"ivr_menu": copy.deepcopy(menu)}

    # --- Routes ---------------------------------------------------------------------------------

    def _create_route(self, method: str, menu: dict[str, Any], body: Any) -> dict[str, Any]:
        fields = _fields(body, "ivr_route", method, "POST")
        if {"keypress", "action", "options"} - set(fields):
            raise Refused(422, "keypress, action and options are required")
        route = {"id": self._new_id(), "greeting": None, "overflow_options": []}
        self._write_route(menu, route, fields)
        menu["routes"].append(route)
        return {"ivr_route": copy.deepcopy(route)}

    def _route_call(
        self, method: str, menu: dict[str, Any], route: dict[str, Any], body: Any
    ) -> dict[str, Any]:
        if method == "DELETE":
            if body is not None:
                raise Refused(400, "a delete has no body")
            menu["routes"].remove(route)
            return {"ivr_route": route}
        fields = _fields(body, "ivr_route", method, "PUT")
        if "options" in fields and "action" not in fields:
            raise Refused(422, "send the action with the options")
        self._write_route(menu, route, {**route, **fields})
        return {"ivr_route": copy.deepcopy(route)}

    def _write_route(
        self, menu: dict[str, Any], route: dict[str, Any], fields: dict[str, Any]
    ) -> None:
        keypress, action, options = fields["keypress"], fields["action"], fields["options"]
        if keypress not in KEYPRESSES:
            raise Refused(422, f"keypress {keypress!r} is not valid")
        if any(r is not route and r["keypress"] == keypress for r in menu["routes"]):
            raise Refused(422, f"keypress {keypress} is already used in this menu")
        if action not in ACTIONS or not isinstance(options, dict):
            raise Refused(422, "action or options are not valid")
        option_text = None
        if action == "menu":
            target = next((m for m in self.ivr["menus"] if m["id"] == options.get("menu_id")), None)
            if target is None:
                raise Refused(422, "menu_id is not a menu of this IVR")
            option_text = target["name"]
        route.update(
            keypress=keypress,
            action=action,
            options=copy.deepcopy(options),
            option_text=option_text,
        )

    # --- Lookups --------------------------------------------------------------------------------

    def _menu(self, menu_id: int) -> dict[str, Any]:
        menu = next((m for m in self.ivr["menus"] if m["id"] == menu_id), None)
        if menu is None:
            raise Refused(404, f"no menu {menu_id}")
        return menu

    def _route(self, menu: dict[str, Any], route_id: int) -> dict[str, Any]:
        route = next((r for r in menu["routes"] if r["id"] == route_id), None)
        if route is None:
            raise Refused(404, f"no route {route_id}")
        return route

    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id


def _fields(body: Any, envelope: str, method: str, expected_method: str) -> dict[str, Any]:
    if method != expected_method:
        raise Refused(405, f"{method} is not allowed here")
    if not isinstance(body, dict) or set(body) != {envelope}:
        raise Refused(400, f"the body must be {{{envelope!r}: ...}}")
    fields = body[envelope]
    unexpected = set(fields) - WRITABLE[envelope]
    if unexpected:
        raise Refused(422, f"read-only or unknown fields sent: {sorted(unexpected)}")
    return dict(fields)
