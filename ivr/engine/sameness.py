"""Whether two versions of an IVR make callers hear the same thing, whatever their keys and ids.

A revert or an undo is recorded as one only when what is published equals the version it
restores; menus created again get new keys and ids, so documents are compared by what they
hold (names, greetings, each key's destination, a "go to menu" by the name of its menu).
"""

from typing import Any

from ivr.engine.destinations import GoToMenu
from ivr.engine.document import IvrDocument, Menu, Route


def same_call_flow(one: IvrDocument, other: IvrDocument) -> bool:
    """True when both versions hold the same menus, greetings and keys."""
    return _shape(one) == _shape(other)


def _shape(document: IvrDocument) -> tuple[Any, ...]:
    names = {menu.key: menu.name for menu in document.menus}
    menus = sorted((_menu_shape(menu, names) for menu in document.menus), key=repr)
    return (document.name, tuple(menus))


def _menu_shape(menu: Menu, names: dict[str, str]) -> tuple[Any, ...]:
    routes = sorted((_route_shape(route, names) for route in menu.routes), key=repr)
    return (menu.name, menu.greeting_id, menu.default, tuple(routes))


def _route_shape(route: Route, names: dict[str, str]) -> tuple[Any, ...]:
    destination: Any = route.destination
    if isinstance(destination, GoToMenu):
        destination = ("menu", names.get(destination.menu_key or ""))
    return (route.keypress, destination, tuple(route.tags or ()))
