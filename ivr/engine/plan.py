"""The change planner: the Talk API calls that turn the live IVR into the desired one.

`plan_changes(live=..., desired=..., lookups=...)` returns a `Plan`: one operation per part that
differs (ivr.engine.diff), so nothing is sent twice and nothing unchanged is sent at all, in an
order that keeps every intermediate state valid for Zendesk and for callers:

1. rename the IVR;
2. create new menus, then set up the routes inside them, so a menu is complete before any key
   leads to it;
3. rename menus or change their greetings;
4. in each kept menu, delete routes, then change routes, then add routes; routes are matched by
   keypress, so a key is always free before a route takes it (a swap is two updates);
5. delete menus last, once no kept route leads to them. A deleted menu's routes go with it (one
   operation). Among deleted menus, one that leads to another is deleted first.

The default menu (the one callers hear first) is never deleted and never changes: Zendesk makes
it with the IVR and does not let it be chosen.

Operations refer to menus by key. Menus created by the plan get their Zendesk id only when
Zendesk answers, so the publish service keeps a `menu_ids` mapping (starting from
`Plan.menu_ids`), adds each created menu's id as it goes, and asks each operation for its
`path(...)` and `body(...)` with that mapping just before sending it.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ivr.engine.destinations import GoToMenu
from ivr.engine.diff import MenuChange, RouteChange, compare
from ivr.engine.document import KEYPRESSES, IvrDocument, Menu, Route
from ivr.engine.frozen_json import EMPTY, FrozenMap, thaw
from ivr.engine.lookups import Lookups
from ivr.engine.wording import (
    greeting_phrase,
    keypress_subject,
    quoted,
    route_destination,
    tags_phrase,
)

IVR_PATH = "/api/v2/channels/voice/ivr"


class PlanError(ValueError):
    """The desired IVR cannot be sent to Zendesk as it is; the message says why."""


class OperationKind(StrEnum):
    RENAME_IVR = "rename_ivr"
    CREATE_MENU = "create_menu"
    UPDATE_MENU = "update_menu"
    DELETE_MENU = "delete_menu"
    CREATE_ROUTE = "create_route"
    UPDATE_ROUTE = "update_route"
    DELETE_ROUTE = "delete_route"


METHODS = {
    OperationKind.RENAME_IVR: "PUT",
    OperationKind.CREATE_MENU: "POST",
    OperationKind.UPDATE_MENU: "PUT",
    OperationKind.DELETE_MENU: "DELETE",
    OperationKind.CREATE_ROUTE: "POST",
    OperationKind.UPDATE_ROUTE: "PUT",
    OperationKind.DELETE_ROUTE: "DELETE",
}


@dataclass(frozen=True, slots=True)
class Operation:
    """One Talk API call of a plan, with its sentence for the preview and the audit summary."""

    kind: OperationKind
    sentence: str
    menu_key: str | None = None  # the menu created/changed/deleted, or holding the route
    keypress: str | None = None  # the route's key, for route operations
    route_id: int | None = None  # the live route changed or deleted
    target_menu_key: str | None = None  # where a menu route leads: `options.menu_id` at send time
    payload: FrozenMap = EMPTY  # the request body, less that `menu_id`; empty for deletes

    @property
    def method(self) -> str:
        return METHODS[self.kind]

    def path(self, *, ivr_id: int, menu_ids: Mapping[str, int]) -> str:
        """The Talk API path, once the menus it refers to have ids."""
        ivr = f"{IVR_PATH}/{ivr_id}"
        if self.kind is OperationKind.RENAME_IVR:
            return ivr
        if self.kind is OperationKind.CREATE_MENU:
            return f"{ivr}/menus"
        menu = f"{ivr}/menus/{_menu_id(menu_ids, self.menu_key)}"
        if self.kind in (OperationKind.UPDATE_MENU, OperationKind.DELETE_MENU):
            return menu
        if self.kind is OperationKind.CREATE_ROUTE:
            return f"{menu}/routes"
        if self.route_id is None:
            raise PlanError("This route is not in Zendesk, so it cannot be changed there.")
        return f"{menu}/routes/{self.route_id}"

    def body(self, *, menu_ids: Mapping[str, int]) -> dict[str, Any] | None:
        """The JSON to send (Zendesk's envelope), or None for a delete."""
        if not self.payload:
            return None
        body: dict[str, Any] = thaw(self.payload)
        if self.target_menu_key is not None:
            body["ivr_route"]["options"]["menu_id"] = _menu_id(menu_ids, self.target_menu_key)
        return body


@dataclass(frozen=True, slots=True)
class Plan:
    operations: tuple[Operation, ...]
    menu_ids: Mapping[str, int] = field(default_factory=dict)  # live menus' ids, by key

    def __iter__(self) -> Iterator[Operation]:
        return iter(self.operations)

    def __len__(self) -> int:
        return len(self.operations)

    @property
    def sentences(self) -> tuple[str, ...]:
        return tuple(operation.sentence for operation in self.operations)


def plan_changes(*, live: IvrDocument, desired: IvrDocument, lookups: Lookups) -> Plan:
    """The ordered operations that make Zendesk's IVR (`live`) look like `desired`."""
    _check_desired(live, desired)
    changes = compare(live, desired)
    words = _Words(live, desired, lookups)
    created = [c for c in changes.menus if c.before is None]
    updated = [c for c in changes.menus if c.before is not None and c.after is not None]
    deleted = [c for c in changes.menus if c.after is None]
    new_menu_keys = {c.key for c in created}
    operations: list[Operation] = []
    if changes.renamed:
        operations.append(
            Operation(
                OperationKind.RENAME_IVR,
                f"The IVR {quoted(live.name)} is renamed {quoted(desired.name)}.",
                payload=FrozenMap({"ivr": {"name": desired.name}}),
            )
        )
    operations.extend(_create_menu(c.after, words) for c in created if c.after)
    in_new_menus = [c for c in changes.routes if c.menu_key in new_menu_keys]
    operations.extend(_route_operation(change, desired, words) for change in in_new_menus)
    operations.extend(_update_menu(change, words) for change in updated)
    in_kept_menus = [c for c in changes.routes if c.menu_key not in new_menu_keys]
    for step in (_is_delete, _is_update, _is_create):
        operations.extend(
            _route_operation(change, desired, words) for change in in_kept_menus if step(change)
        )
    operations.extend(_delete_menu(menu, words) for menu in _deletion_order(deleted))
    menu_ids = {menu.key: menu.id for menu in live.menus if menu.id is not None}
    return Plan(operations=tuple(operations), menu_ids=menu_ids)


def _check_desired(live: IvrDocument, desired: IvrDocument) -> None:
    live_first = live.default_menu
    desired_first = [menu for menu in desired.menus if menu.default]
    if live_first is not None and desired.find_menu(live_first.key) is None:
        raise PlanError(
            f"{quoted(live_first.name)} is the menu callers hear first, so it cannot be deleted."
        )
    if live_first is not None and [m.key for m in desired_first] != [live_first.key]:
        raise PlanError(
            f"Zendesk decides which menu callers hear first ({quoted(live_first.name)}); "
            "TalkAdmin cannot change it."
        )
    for menu in desired.menus:
        keypresses = [route.keypress for route in menu.routes]
        for keypress in keypresses:
            if keypress not in KEYPRESSES:
                raise PlanError(
                    f"{quoted(menu.name)} has a route for {quoted(keypress)}, which is not a key."
                )
            if keypresses.count(keypress) > 1:
                raise PlanError(f"{quoted(menu.name)} has more than one route for {keypress}.")


# --- Operations ---------------------------------------------------------------------------------


def _create_menu(menu: Menu, words: "_Words") -> Operation:
    body: dict[str, Any] = {"name": menu.name}
    if menu.greeting_id is not None:
        body["greeting_id"] = menu.greeting_id
    if menu.greeting_id is None:
        playing = "with no greeting yet"
    else:
        playing = f"playing {words.greeting(menu.greeting_id)}"
    return Operation(
        OperationKind.CREATE_MENU,
        f"A new menu {quoted(menu.name)} is added, {playing}.",
        menu_key=menu.key,
        payload=FrozenMap({"ivr_menu": body}),
    )


def _update_menu(change: MenuChange, words: "_Words") -> Operation:
    assert change.before is not None and change.after is not None
    before, after = change.before, change.after
    body: dict[str, Any] = {}
    parts = []
    if change.renamed:
        body["name"] = after.name
        parts.append(f"is renamed {quoted(after.name)}")
    if change.greeting_changed:
        body["greeting_id"] = after.greeting_id
        parts.append(
            f"now plays {words.greeting(after.greeting_id)} "
            f"instead of {words.greeting(before.greeting_id)}"
        )
    return Operation(
        OperationKind.UPDATE_MENU,
        f"Menu {quoted(before.name)} {' and '.join(parts)}.",
        menu_key=change.key,
        payload=FrozenMap({"ivr_menu": body}),
    )


def _delete_menu(menu: Menu, words: "_Words") -> Operation:
    count = len(menu.routes)
    with_routes = f", with its {count} route{'s' if count != 1 else ''}" if count else ""
    return Operation(
        OperationKind.DELETE_MENU,
        f"Menu {quoted(menu.name)} is deleted{with_routes}.",
        menu_key=menu.key,
    )


def _route_operation(change: RouteChange, desired: IvrDocument, words: "_Words") -> Operation:
    before, after = change.before, change.after
    menu = desired.find_menu(change.menu_key)
    assert menu is not None
    subject = f"{keypress_subject(change.keypress)} in menu {quoted(menu.name)}"
    if after is None:
        assert before is not None
        return Operation(
            OperationKind.DELETE_ROUTE,
            f"{subject} no longer goes anywhere (it went to {words.was(before)}).",
            menu_key=change.menu_key,
            keypress=change.keypress,
            route_id=before.id,
        )
    target = _target_menu_key(after, desired, subject)
    options = after.options_json(menu_id=None)
    if target is not None:
        del options["menu_id"]  # filled in at send time, once the menu has an id
    if before is None:
        return Operation(
            OperationKind.CREATE_ROUTE,
            f"{subject} now goes to {words.now(after)}.",
            menu_key=change.menu_key,
            keypress=change.keypress,
            target_menu_key=target,
            payload=FrozenMap(
                {
                    "ivr_route": {
                        "keypress": after.keypress,
                        "action": after.action,
                        "options": options,
                    }
                }
            ),
        )
    # Zendesk wants the action with the options, and the whole options object.
    return Operation(
        OperationKind.UPDATE_ROUTE,
        _update_sentence(subject, before, after, words),
        menu_key=change.menu_key,
        keypress=change.keypress,
        route_id=before.id,
        target_menu_key=target,
        payload=FrozenMap({"ivr_route": {"action": after.action, "options": options}}),
    )


def _update_sentence(subject: str, before: Route, after: Route, words: "_Words") -> str:
    if before.destination != after.destination:
        return f"{subject} now goes to {words.now(after)} instead of {words.was(before)}."
    if (before.tags or ()) != (after.tags or ()):
        return (
            f"{subject} still goes to {words.now(after)}, now adding {tags_phrase(after.tags)} "
            f"to tickets instead of {tags_phrase(before.tags)}."
        )
    return f"{subject} still goes to {words.now(after)}, with other Zendesk settings changed."


def _target_menu_key(route: Route, desired: IvrDocument, subject: str) -> str | None:
    if not isinstance(route.destination, GoToMenu):
        return None
    target = route.destination.menu_key
    if target is None or desired.find_menu(target) is None:
        raise PlanError(f"{subject} goes to a menu that is not part of this IVR.")
    return target


def _is_delete(change: RouteChange) -> bool:
    return change.after is None


def _is_update(change: RouteChange) -> bool:
    return change.before is not None and change.after is not None


def _is_create(change: RouteChange) -> bool:
    return change.before is None


def _deletion_order(deleted: list[MenuChange]) -> list[Menu]:
    """Menus that lead to other deleted menus go first, so no kept route dangles meanwhile."""
    remaining = [change.before for change in deleted if change.before is not None]
    ordered: list[Menu] = []
    while remaining:
        keys = {menu.key for menu in remaining}
        led_to = {
            route.destination.menu_key
            for menu in remaining
            for route in menu.routes
            if isinstance(route.destination, GoToMenu) and route.destination.menu_key != menu.key
        }
        # In a cycle every menu is led to: take the first, its routes go with it anyway.
        free = [menu for menu in remaining if menu.key not in led_to & keys] or remaining[:1]
        ordered.append(free[0])
        remaining.remove(free[0])
    return ordered


def _menu_id(menu_ids: Mapping[str, int], key: str | None) -> int:
    if key is None or key not in menu_ids:
        raise PlanError("A menu this change needs has not been created in Zendesk yet.")
    return menu_ids[key]


@dataclass(frozen=True, slots=True)
class _Words:
    """Phrases for the sentences: old destinations read in the live IVR, new in the desired."""

    live: IvrDocument
    desired: IvrDocument
    lookups: Lookups

    def was(self, route: Route) -> str:
        return route_destination(route, self.live, self.lookups)

    def now(self, route: Route) -> str:
        return route_destination(route, self.desired, self.lookups)

    def greeting(self, greeting_id: int | str | None) -> str:
        return greeting_phrase(greeting_id, self.lookups)
