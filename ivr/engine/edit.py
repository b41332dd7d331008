"""Editing an IVR document: each function returns a new document, or raises `EditError`.

These are the changes the editor pages offer. They refuse only what cannot be built at all (an
empty name, a key that is already taken, a route to a menu outside this IVR, deleting the menu
callers hear first); everything an IVR may hold but should not (an unknown group, a malformed
outside number, a menu with no way out) is left to lint, which reports it with a fix.
"""

from dataclasses import replace

from ivr.engine.destinations import ACTIONS, Destination, GoToMenu, UnknownAction
from ivr.engine.document import CALLER_KEYS, KEYPRESSES, IvrDocument, Menu, Route, new_menu_key
from ivr.engine.frozen_json import EMPTY
from ivr.engine.wording import keypress_name, keypress_subject, names_list, quoted


class EditError(ValueError):
    """An edit that cannot be made; `field` names the input that caused it, for the form."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def rename_ivr(document: IvrDocument, *, name: str) -> IvrDocument:
    return replace(document, name=_required_name(name, what="The IVR"))


def add_menu(
    document: IvrDocument,
    *,
    name: str,
    greeting_id: int | str | None = None,
    key: str | None = None,
) -> IvrDocument:
    """Add a menu at the end; pass `key` (e.g. from `new_menu_key()`) to know it afterwards."""
    name = _unique_menu_name(document, name, menu_key=None)
    key = key or new_menu_key()
    if document.find_menu(key) is not None:
        raise EditError("That menu key is already used in this IVR.", field="key")
    menu = Menu(key=key, name=name, greeting_id=_menu_greeting(greeting_id))
    return replace(document, menus=(*document.menus, menu))


def rename_menu(document: IvrDocument, *, menu_key: str, name: str) -> IvrDocument:
    menu = _menu(document, menu_key)
    name = _unique_menu_name(document, name, menu_key=menu_key)
    return _with_menu(document, replace(menu, name=name))


def set_menu_greeting(
    document: IvrDocument, *, menu_key: str, greeting_id: int | str | None
) -> IvrDocument:
    """A menu's greeting: one of the account's own (an integer id), none, or the one it has
    (even a built-in one Zendesk set, whose id is text: kept, never cleared by a rename)."""
    menu = _menu(document, menu_key)
    if greeting_id is not None and greeting_id == menu.greeting_id:
        return document
    return _with_menu(document, replace(menu, greeting_id=_menu_greeting(greeting_id)))


def delete_menu(document: IvrDocument, *, menu_key: str) -> IvrDocument:
    """Delete a menu and its routes; refused while other menus' keys lead to it."""
    menu = _menu(document, menu_key)
    if menu.default:
        raise EditError(
            f"{quoted(menu.name)} is the menu callers hear first, so it cannot be deleted.",
            field="menu",
        )
    leading_here = [
        f"{keypress_subject(route.keypress)} in {quoted(other.name)}"
        for other in document.menus
        if other.key != menu_key
        for route in other.routes
        if route.destination == GoToMenu(menu_key)
    ]
    if leading_here:
        raise EditError(
            f"Callers reach {quoted(menu.name)} this way: {names_list(leading_here)}. "
            "Change or delete those routes first, then delete the menu.",
            field="menu",
        )
    return replace(document, menus=tuple(m for m in document.menus if m.key != menu_key))


def add_route(
    document: IvrDocument,
    *,
    menu_key: str,
    keypress: str,
    destination: Destination,
    tags: tuple[str, ...] | None = None,
) -> IvrDocument:
    menu = _menu(document, menu_key)
    _check_keypress_free(menu, keypress)
    _check_destination(document, destination)
    route = Route(keypress=keypress, destination=destination, tags=_tags(tags))
    return _with_menu(document, replace(menu, routes=(*menu.routes, route)))


def update_route(
    document: IvrDocument,
    *,
    menu_key: str,
    keypress: str,
    new_keypress: str | None = None,
    destination: Destination | None = None,
    tags: tuple[str, ...] | None = None,
) -> IvrDocument:
    """Change a route's key, destination or tags (what is not given stays as it is)."""
    menu = _menu(document, menu_key)
    route = _route(menu, keypress)
    changed = route
    if new_keypress is not None and new_keypress != keypress:
        _check_keypress_free(menu, new_keypress)
        changed = replace(changed, keypress=new_keypress)
    if destination is not None:
        _check_destination(document, destination)
        # Zendesk's label may describe an old or vanished target: it is read again after
        # publishing. Unknown options belong to the action they came with.
        keeps_action = destination.action == route.action
        changed = replace(
            changed,
            destination=destination,
            read_only=EMPTY,
            extra_options=route.extra_options if keeps_action else EMPTY,
        )
    if tags is not None:
        changed = replace(changed, tags=_tags(tags))
    routes = tuple(changed if r is route else r for r in menu.routes)
    return _with_menu(document, replace(menu, routes=routes))


def delete_route(document: IvrDocument, *, menu_key: str, keypress: str) -> IvrDocument:
    menu = _menu(document, menu_key)
    route = _route(menu, keypress)
    return _with_menu(
        document, replace(menu, routes=tuple(r for r in menu.routes if r is not route))
    )


def rekey_menu(
    document: IvrDocument, *, old_key: str, new_key: str, menu_id: int | None = None
) -> IvrDocument:
    """Give a menu a new key (and id), e.g. once Zendesk has created a draft's new menu.

    Routes that lead to the menu follow it, so publishing again after a failure plans from
    what Zendesk now holds instead of creating the menu twice.
    """
    menu = _menu(document, old_key)
    if old_key != new_key and document.find_menu(new_key) is not None:
        raise EditError("That menu key is already used in this IVR.", field="key")
    menus = []
    for each in document.menus:
        if each is menu:
            each = replace(each, key=new_key, id=menu_id if menu_id is not None else each.id)
        routes = tuple(
            replace(route, destination=GoToMenu(new_key))
            if route.destination == GoToMenu(old_key)
            else route
            for route in each.routes
        )
        menus.append(replace(each, routes=routes))
    return replace(document, menus=tuple(menus))


# --- Checks -------------------------------------------------------------------------------------


def _required_name(name: str, *, what: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise EditError(f"{what} needs a name.", field="name")
    return name


def _unique_menu_name(document: IvrDocument, name: str, *, menu_key: str | None) -> str:
    name = _required_name(name, what="A menu")
    for menu in document.menus:
        if menu.key != menu_key and menu.name.casefold() == name.casefold():
            raise EditError(
                f"There is already a menu called {quoted(menu.name)}. "
                "Give this one a different name so callers' paths stay easy to follow.",
                field="name",
            )
    return name


def _menu_greeting(greeting_id: int | str | None) -> int | None:
    if greeting_id is not None and (
        isinstance(greeting_id, bool) or not isinstance(greeting_id, int)
    ):
        raise EditError(
            "A menu can only play one of your own IVR greetings, not a built-in one.",
            field="greeting_id",
        )
    return greeting_id


def _menu(document: IvrDocument, menu_key: str) -> Menu:
    menu = document.find_menu(menu_key)
    if menu is None:
        raise EditError(
            "That menu is not part of this IVR (it may have been deleted).", field="menu"
        )
    return menu


def _route(menu: Menu, keypress: str) -> Route:
    route = menu.route(keypress)
    if route is None:
        raise EditError(
            f"{quoted(menu.name)} has no route for {keypress_name(keypress)}.", field="keypress"
        )
    return route


def _check_keypress_free(menu: Menu, keypress: str) -> None:
    if keypress not in KEYPRESSES:
        raise EditError(
            f"Callers can press {names_list(list(CALLER_KEYS), 'or')}; "
            "or choose the default route for callers who press nothing or a wrong key.",
            field="keypress",
        )
    if menu.route(keypress) is not None:
        raise EditError(
            f"{quoted(menu.name)} already has a route for {keypress_name(keypress)}. "
            "Change that route, or pick another key.",
            field="keypress",
        )


def _check_destination(document: IvrDocument, destination: Destination) -> None:
    if isinstance(destination, UnknownAction) or destination.action not in ACTIONS:
        raise EditError("Choose what this key should do.", field="action")
    if isinstance(destination, GoToMenu) and document.find_menu(destination.menu_key) is None:
        raise EditError("Choose one of this IVR's menus.", field="menu_key")


def _tags(tags: tuple[str, ...] | None) -> tuple[str, ...] | None:
    if tags is None:
        return None
    return tuple(tag.strip() for tag in tags if tag.strip())


def _with_menu(document: IvrDocument, menu: Menu) -> IvrDocument:
    return replace(document, menus=tuple(menu if m.key == menu.key else m for m in document.menus))
