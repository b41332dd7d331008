"""The live IVR's JSON, kept up to date from Zendesk's own answers during a publish.

A publish reads the IVR once (for the conflict check), then every write answers with the object
as Zendesk now holds it. Splicing those answers into the IVR read at the start gives the IVR as
this publish left it, with no second read: the audit log's "after", and the draft's new base
when a publish stops half-way. Changes someone else makes meanwhile are not in it, so the log
never attributes them to this publish.
"""

import copy
from typing import Any

from ivr.engine.plan import Operation, OperationKind


class IvrSnapshot:
    def __init__(self, ivr_json: dict[str, Any]) -> None:
        self.json = copy.deepcopy(ivr_json)
        self.json.setdefault("menus", [])

    def record(
        self,
        operation: Operation,
        answer: dict[str, Any] | None,
        *,
        menu_id: int | None = None,
    ) -> None:
        """Zendesk carried out `operation` and answered with `answer` (None: no body)."""
        kind = operation.kind
        if kind is OperationKind.RENAME_IVR:
            name = (answer or {}).get("name")
            if isinstance(name, str):
                self.json["name"] = name
        elif kind is OperationKind.CREATE_MENU:
            if answer is not None:
                self.add_menu(answer)
        elif kind is OperationKind.UPDATE_MENU:
            menu = self._menu(menu_id)
            if menu is not None and answer is not None:
                menu.update({k: copy.deepcopy(v) for k, v in answer.items() if k != "routes"})
        elif kind is OperationKind.DELETE_MENU:
            self.json["menus"] = [m for m in self.json["menus"] if m.get("id") != menu_id]
        else:
            self._record_route(operation, answer, menu_id)

    def add_menu(self, menu_json: dict[str, Any]) -> None:
        """A menu now in Zendesk (created by this publish, perhaps with its answer lost)."""
        menu = copy.deepcopy(menu_json)
        menu.setdefault("routes", [])
        self.json["menus"] = [m for m in self.json["menus"] if m.get("id") != menu.get("id")]
        self.json["menus"].append(menu)

    def menu_ids(self) -> set[int]:
        return {menu["id"] for menu in self.json["menus"] if isinstance(menu.get("id"), int)}

    def _menu(self, menu_id: int | None) -> dict[str, Any] | None:
        return next((m for m in self.json["menus"] if m.get("id") == menu_id), None)

    def _record_route(
        self, operation: Operation, answer: dict[str, Any] | None, menu_id: int | None
    ) -> None:
        menu = self._menu(menu_id)
        if menu is None:
            return
        routes = menu.setdefault("routes", [])
        if operation.kind is OperationKind.DELETE_ROUTE:
            menu["routes"] = [r for r in routes if r.get("id") != operation.route_id]
            return
        if answer is None:
            return
        answer = copy.deepcopy(answer)
        updating = operation.kind is OperationKind.UPDATE_ROUTE
        for position, route in enumerate(routes):
            if updating and route.get("id") == operation.route_id:
                routes[position] = answer
                return
        routes.append(answer)
