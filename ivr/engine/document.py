"""The IVR document: one IVR with its menus and routes, as plain immutable data.

Built from the IVR JSON exactly as Zendesk returns it (`from_zendesk`), and stored, exported and
snapshotted as JSON (`to_json` / `from_json`) without losing the fields TalkAdmin does not know.

Menus are referenced by a stable local key, not by Zendesk's id, so that a draft can hold menus
Zendesk has not created yet: "m:<id>" for a menu read from Zendesk, "new:<hex>" for one added in a
draft. A menu route's target is such a key; it is mapped to and from Zendesk's `options.menu_id`
at the edges. Routes are identified within their menu by their keypress (one route per key).

The stored form is Zendesk's shape with two substitutions: every menu carries its `key`, and a
menu route's `options.menu_id` becomes `options.menu_key`.
"""

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ivr.engine.destinations import (
    Destination,
    GoToMenu,
    destination_from_options,
    destination_options,
    integer_or_none,
    integers,
)
from ivr.engine.frozen_json import EMPTY, FrozenMap, thaw

DOCUMENT_VERSION = 1

# Keypad order: how the keys are shown to admins and callers.
CALLER_KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "*", "#")
DEFAULT_KEYPRESS = "default"
KEYPRESSES = (*CALLER_KEYS, DEFAULT_KEYPRESS)

# Fields Zendesk fills in and never accepts back.
READ_ONLY_ROUTE_FIELDS = ("option_text", "greeting")


class DocumentError(ValueError):
    """JSON that cannot be read as an IVR; the message says what is wrong, in plain words."""


def menu_key_for_id(menu_id: int) -> str:
    return f"m:{menu_id}"


def new_menu_key() -> str:
    """A key for a menu that exists only in a draft so far."""
    return f"new:{uuid.uuid4().hex}"


@dataclass(frozen=True, slots=True)
class Route:
    """One keypress of a menu and where it sends the caller."""

    keypress: str
    destination: Destination
    tags: tuple[str, ...] | None = None  # None: Zendesk sent no `tags`
    id: int | None = None  # None until Zendesk has created the route
    extra_options: FrozenMap = EMPTY  # keys inside `options` TalkAdmin does not know
    extra: FrozenMap = EMPTY  # route fields TalkAdmin does not know (e.g. overflow_options)
    read_only: FrozenMap = EMPTY  # option_text and greeting, exactly as Zendesk returned them

    @property
    def action(self) -> str:
        return self.destination.action

    @property
    def option_text(self) -> str | None:
        """Zendesk's own label for the target (e.g. the group's name), if it sent one."""
        return self.read_only.get("option_text")

    def options_json(self, *, menu_id: int | str | None) -> dict[str, Any]:
        """The whole `options` object for Zendesk; `menu_id` is the target of a menu route."""
        options: dict[str, Any] = thaw(self.extra_options)
        options.update(destination_options(self.destination, menu_id=menu_id))
        if self.tags is not None:
            options["tags"] = list(self.tags)
        return options

    def same_configuration(self, other: "Route") -> bool:
        """Whether both routes do the same for the caller (ids and read-only fields aside)."""
        return (
            self.keypress == other.keypress
            and self.destination == other.destination
            and (self.tags or ()) == (other.tags or ())
            and self.extra_options == other.extra_options
        )


@dataclass(frozen=True, slots=True)
class Menu:
    """One menu ("menu level") of an IVR: a greeting and up to 13 routes."""

    key: str
    name: str
    routes: tuple[Route, ...] = ()
    greeting_id: int | str | None = None
    default: bool = False  # the menu callers hear first; Zendesk decides it, never changed here
    id: int | None = None  # None until Zendesk has created the menu
    extra: FrozenMap = EMPTY

    def route(self, keypress: str) -> Route | None:
        return next((route for route in self.routes if route.keypress == keypress), None)

    @property
    def routes_in_keypad_order(self) -> tuple[Route, ...]:
        return tuple(sorted(self.routes, key=lambda route: keypad_position(route.keypress)))


@dataclass(frozen=True, slots=True)
class IvrDocument:
    """An IVR as plain data. Editing functions (ivr.engine.edit) return a new document."""

    name: str
    menus: tuple[Menu, ...]
    id: int | None = None
    phone_number_ids: tuple[int, ...] = ()
    phone_number_names: tuple[str, ...] = ()
    extra: FrozenMap = EMPTY

    def find_menu(self, key: str | None) -> Menu | None:
        return next((menu for menu in self.menus if menu.key == key), None)

    @property
    def default_menu(self) -> Menu | None:
        return next((menu for menu in self.menus if menu.default), None)

    @classmethod
    def from_zendesk(cls, ivr: Mapping[str, Any]) -> "IvrDocument":
        """Read an IVR as Zendesk returns it (the `ivr` object, or the `{"ivr": ...}` envelope)."""
        ivr = _unwrap(ivr)
        menus = []
        for menu in _list_of_objects(ivr.get("menus"), "menus"):
            if not isinstance(menu.get("id"), int):
                raise DocumentError("A menu in this IVR has no id, so it cannot be Zendesk's.")
            menus.append(_menu_from_json(menu, key=menu_key_for_id(menu["id"]), zendesk=True))
        return _document_from_json(ivr, menus)

    @classmethod
    def from_json(cls, document: object) -> "IvrDocument":
        """Read a document stored by `to_json` (a draft, an export or an audit snapshot)."""
        if not isinstance(document, Mapping):
            raise DocumentError("This is not an IVR document.")
        version = document.get("document_version", DOCUMENT_VERSION)
        if version != DOCUMENT_VERSION:
            raise DocumentError(f"This IVR document has format version {version}, not 1.")
        menus = []
        for menu in _list_of_objects(document.get("menus"), "menus"):
            key = menu.get("key")
            if not isinstance(key, str) or not key:
                raise DocumentError("A menu in this IVR document has no key.")
            menus.append(_menu_from_json(menu, key=key, zendesk=False))
        return _document_from_json(document, menus)

    def to_json(self) -> dict[str, Any]:
        """The stored form: Zendesk's shape, plus menu keys; unknown fields kept."""
        document: dict[str, Any] = {"document_version": DOCUMENT_VERSION, **thaw(self.extra)}
        if self.id is not None:
            document["id"] = self.id
        document["name"] = self.name
        document["menus"] = [_menu_to_json(menu) for menu in self.menus]
        document["phone_number_ids"] = list(self.phone_number_ids)
        document["phone_number_names"] = list(self.phone_number_names)
        return document


def keypad_position(keypress: str) -> int:
    """Where a keypress sits on the keypad; keys Zendesk does not know come last."""
    return KEYPRESSES.index(keypress) if keypress in KEYPRESSES else len(KEYPRESSES)


# --- Reading ------------------------------------------------------------------------------------


def _unwrap(ivr: Any) -> Mapping[str, Any]:
    if isinstance(ivr, Mapping) and set(ivr) == {"ivr"}:
        ivr = ivr["ivr"]
    if not isinstance(ivr, Mapping):
        raise DocumentError("This is not an IVR as Zendesk describes one.")
    return ivr


def _list_of_objects(value: Any, what: str) -> list[Mapping[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list | tuple) or not all(isinstance(v, Mapping) for v in value):
        raise DocumentError(f"The IVR's {what} are not a list of objects.")
    return list(value)


def _document_from_json(data: Mapping[str, Any], menus: list[Menu]) -> IvrDocument:
    name = data.get("name")
    if not isinstance(name, str):
        raise DocumentError("The IVR has no name.")
    keys = [menu.key for menu in menus]
    if len(set(keys)) != len(keys):
        raise DocumentError("Two menus of this IVR have the same key.")
    known = {"document_version", "id", "name", "menus", "phone_number_ids", "phone_number_names"}
    return IvrDocument(
        name=name,
        menus=tuple(menus),
        id=integer_or_none(data.get("id")),
        phone_number_ids=integers(data.get("phone_number_ids")),
        phone_number_names=tuple(str(n) for n in data.get("phone_number_names") or ()),
        extra=FrozenMap({k: v for k, v in data.items() if k not in known}),
    )


def _menu_from_json(data: Mapping[str, Any], *, key: str, zendesk: bool) -> Menu:
    if zendesk:

        def target_of(options: Mapping[str, Any]) -> str | None:
            menu_id = integer_or_none(options.get("menu_id"))
            return None if menu_id is None else menu_key_for_id(menu_id)

        target_field = "menu_id"
    else:

        def target_of(options: Mapping[str, Any]) -> str | None:
            menu_key = options.get("menu_key")
            return menu_key if isinstance(menu_key, str) and menu_key else None

        target_field = "menu_key"
    routes = tuple(
        _route_from_json(route, target_of=target_of, target_field=target_field)
        for route in _list_of_objects(data.get("routes"), "routes")
    )
    greeting_id = data.get("greeting_id")
    if not isinstance(greeting_id, int | str | None) or isinstance(greeting_id, bool):
        raise DocumentError(f"The greeting of the menu '{data.get('name')}' is not a greeting id.")
    known = {"key", "id", "name", "routes", "greeting_id", "default"}
    return Menu(
        key=key,
        name=str(data.get("name") or ""),
        routes=routes,
        greeting_id=greeting_id,
        default=bool(data.get("default")),
        id=integer_or_none(data.get("id")),
        extra=FrozenMap({k: v for k, v in data.items() if k not in known}),
    )


def _route_from_json(
    data: Mapping[str, Any],
    *,
    target_of: Callable[[Mapping[str, Any]], str | None],
    target_field: str,
) -> Route:
    options = data.get("options") or {}
    if not isinstance(options, Mapping):
        raise DocumentError(f"The options of the route for key {data.get('keypress')} are wrong.")
    action = str(data.get("action") or "")
    destination, used = destination_from_options(action, options, target_of, target_field)
    tags = options.get("tags")
    if isinstance(tags, list | tuple):
        used = {*used, "tags"}
        tags = tuple(str(tag) for tag in tags)
    else:  # absent, or a shape TalkAdmin does not know: kept as it came
        tags = None
    known = {"id", "keypress", "action", "options", *READ_ONLY_ROUTE_FIELDS}
    return Route(
        keypress=str(data.get("keypress") or ""),
        destination=destination,
        tags=tags,
        id=integer_or_none(data.get("id")),
        extra_options=FrozenMap(
            {k: v for k, v in options.items() if k not in used},
        ),
        extra=FrozenMap({k: v for k, v in data.items() if k not in known}),
        read_only=FrozenMap({k: data[k] for k in READ_ONLY_ROUTE_FIELDS if k in data}),
    )


# --- Writing ------------------------------------------------------------------------------------


def _menu_to_json(menu: Menu) -> dict[str, Any]:
    data: dict[str, Any] = {"key": menu.key, **thaw(menu.extra)}
    if menu.id is not None:
        data["id"] = menu.id
    data.update(name=menu.name, default=menu.default, greeting_id=menu.greeting_id)
    data["routes"] = [_route_to_json(route) for route in menu.routes]
    return data


def _route_to_json(route: Route) -> dict[str, Any]:
    data: dict[str, Any] = thaw(route.extra)
    if route.id is not None:
        data["id"] = route.id
    data.update(keypress=route.keypress, action=route.action)
    options = route.options_json(menu_id=None)
    if isinstance(route.destination, GoToMenu):
        del options["menu_id"]
        options["menu_key"] = route.destination.menu_key
    data["options"] = options
    data.update(thaw(route.read_only))
    return data
