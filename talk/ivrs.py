"""IVRs, their menus and their routes: one typed method per Talk API endpoint."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from talk.pagination import Paginated
from talk.resources import Ivr, IvrMenu, IvrRoute, Page

IVR_PATH = "/api/v2/channels/voice/ivr"


class Unchanged:
    """Marks an argument that was not given, as opposed to None (which clears a value)."""

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Any = Unchanged()


def _ivr(ivr_id: int) -> str:
    return f"{IVR_PATH}/{int(ivr_id)}"


def _menu(ivr_id: int, menu_id: int) -> str:
    return f"{_ivr(ivr_id)}/menus/{int(menu_id)}"


def _route(ivr_id: int, menu_id: int, route_id: int) -> str:
    return f"{_menu(ivr_id, menu_id)}/routes/{int(route_id)}"


def _given(**fields: Any) -> dict[str, Any]:
    return {name: value for name, value in fields.items() if value is not UNCHANGED}


class IvrEndpoints(Paginated):
    """IVR, menu and route endpoints of TalkClient (ids are Zendesk's 64-bit integers)."""

    # --- IVRs ---------------------------------------------------------------------------------
    def list_ivrs(self) -> list[Ivr]:
        """Every IVR of the account, each with its menus and routes (follows next_page)."""
        return self._list_all(IVR_PATH, "ivrs", Ivr)

    def list_ivrs_page(self, *, page: int = 1, per_page: int = 100) -> Page[Ivr]:
        """One page of IVRs, for a paginated screen."""
        return self._list_page(IVR_PATH, "ivrs", Ivr, page=page, per_page=per_page)

    def get_ivr(self, ivr_id: int) -> Ivr:
        """One IVR with its menus and routes; NotFound if it does not exist."""
        return self._one(self._get(_ivr(ivr_id)), "ivr", Ivr)

    def create_ivr(self, *, name: str, phone_number_ids: Iterable[int] | None = None) -> Ivr:
        """Create an IVR; Zendesk adds its default menu ("Main menu" in the account's language)."""
        fields: dict[str, Any] = {"name": name}
        if phone_number_ids is not None:
            fields["phone_number_ids"] = [int(number_id) for number_id in phone_number_ids]
        ivr = self._one(self._write("POST", IVR_PATH, {"ivr": fields}), "ivr", Ivr)
        if "phone_number_ids" in fields:
            self._forget_lookups("lines")  # which IVR each number answers with
        return ivr

    def update_ivr(
        self,
        ivr_id: int,
        *,
        name: str = UNCHANGED,
        phone_number_ids: Iterable[int] = UNCHANGED,
    ) -> Ivr:
        """Rename an IVR and/or set which phone numbers use it (only the given fields are sent).

        Menus are never sent here: they change through their own endpoints.
        """
        if phone_number_ids is not UNCHANGED:
            phone_number_ids = [int(number_id) for number_id in phone_number_ids]
        fields = _given(name=name, phone_number_ids=phone_number_ids)
        if not fields:
            raise ValueError("update_ivr needs name and/or phone_number_ids")
        ivr = self._one(self._write("PUT", _ivr(ivr_id), {"ivr": fields}), "ivr", Ivr)
        if "phone_number_ids" in fields:
            self._forget_lookups("lines")  # which IVR each number answers with
        return ivr

    def delete_ivr(self, ivr_id: int) -> Ivr | None:
        """Delete an IVR; returns the IVR as it was (None if Zendesk sent no body).

        The numbers that used it are left without an IVR."""
        ivr = self._deleted(self._write("DELETE", _ivr(ivr_id)), "ivr", Ivr)
        self._forget_lookups("greetings", "lines")
        return ivr

    # --- Menus --------------------------------------------------------------------------------
    def list_menus(self, ivr_id: int) -> list[IvrMenu]:
        """The menus of an IVR, each with its routes."""
        return self._list_all(f"{_ivr(ivr_id)}/menus", "ivr_menus", IvrMenu)

    def get_menu(self, ivr_id: int, menu_id: int) -> IvrMenu:
        return self._one(self._get(_menu(ivr_id, menu_id)), "ivr_menu", IvrMenu)

    def create_menu(
        self, ivr_id: int, *, name: str, greeting_id: int | None = UNCHANGED
    ) -> IvrMenu:
        """Add a menu to an IVR (greeting_id: a custom greeting of the IVR category)."""
        fields = _given(name=name, greeting_id=greeting_id)
        answer = self._write("POST", f"{_ivr(ivr_id)}/menus", {"ivr_menu": fields})
        self._forget_lookups("greetings")
        return self._one(answer, "ivr_menu", IvrMenu)

    def update_menu(
        self,
        ivr_id: int,
        menu_id: int,
        *,
        name: str = UNCHANGED,
        greeting_id: int | None = UNCHANGED,
    ) -> IvrMenu:
        """Rename a menu and/or change its greeting (None removes it); sends only those given."""
        fields = _given(name=name, greeting_id=greeting_id)
        if not fields:
            raise ValueError("update_menu needs name and/or greeting_id")
        answer = self._write("PUT", _menu(ivr_id, menu_id), {"ivr_menu": fields})
        self._forget_lookups("greetings")
        return self._one(answer, "ivr_menu", IvrMenu)

    def delete_menu(self, ivr_id: int, menu_id: int) -> IvrMenu | None:
        """Delete a menu and its routes; returns the menu as it was (None if no body came)."""
        menu = self._deleted(self._write("DELETE", _menu(ivr_id, menu_id)), "ivr_menu", IvrMenu)
        self._forget_lookups("greetings")
        return menu

    # --- Routes -------------------------------------------------------------------------------
    def list_routes(self, ivr_id: int, menu_id: int) -> list[IvrRoute]:
        return self._list_all(f"{_menu(ivr_id, menu_id)}/routes", "ivr_routes", IvrRoute)

    def get_route(self, ivr_id: int, menu_id: int, route_id: int) -> IvrRoute:
        return self._one(self._get(_route(ivr_id, menu_id, route_id)), "ivr_route", IvrRoute)

    def create_route(
        self,
        ivr_id: int,
        menu_id: int,
        *,
        keypress: str,
        action: str,
        options: Mapping[str, Any],
    ) -> IvrRoute:
        """Add a route: pressing `keypress` in the menu does `action` with `options`."""
        fields = {"keypress": keypress, "action": action, "options": dict(options)}
        answer = self._write("POST", f"{_menu(ivr_id, menu_id)}/routes", {"ivr_route": fields})
        return self._one(answer, "ivr_route", IvrRoute)

    def update_route(
        self,
        ivr_id: int,
        menu_id: int,
        route_id: int,
        *,
        keypress: str = UNCHANGED,
        action: str = UNCHANGED,
        options: Mapping[str, Any] = UNCHANGED,
    ) -> IvrRoute:
        """Change a route's keypress and/or what it does (only the given fields are sent).

        Zendesk needs the action with the options, and the whole options object.
        """
        if options is not UNCHANGED:
            if action is UNCHANGED:
                raise ValueError("update_route: send the action together with its options")
            options = dict(options)
        fields = _given(keypress=keypress, action=action, options=options)
        if not fields:
            raise ValueError("update_route needs keypress, action or options")
        path = _route(ivr_id, menu_id, route_id)
        return self._one(self._write("PUT", path, {"ivr_route": fields}), "ivr_route", IvrRoute)

    def delete_route(self, ivr_id: int, menu_id: int, route_id: int) -> IvrRoute | None:
        """Delete a route; returns the route as it was (None if no body came)."""
        answer = self._write("DELETE", _route(ivr_id, menu_id, route_id))
        return self._deleted(answer, "ivr_route", IvrRoute)
