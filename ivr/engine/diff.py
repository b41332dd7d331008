"""What differs between two versions of an IVR, part by part.

Menus are matched by key. Routes are matched by their menu and keypress, not by route id: a route
is "what key N does in menu M", so swapping two keys is two changed routes and a route moved to
another key is one route gone and one added. The planner turns these differences into Talk API
operations; the publish service intersects two sets of differences to find conflicts.
"""

from dataclasses import dataclass

from ivr.engine.document import IvrDocument, Menu, Route, keypad_position


@dataclass(frozen=True, slots=True)
class MenuChange:
    key: str
    before: Menu | None  # None: the menu is new
    after: Menu | None  # None: the menu is deleted, with its routes

    @property
    def renamed(self) -> bool:
        return (
            self.before is not None
            and self.after is not None
            and (self.before.name != self.after.name)
        )

    @property
    def greeting_changed(self) -> bool:
        return (
            self.before is not None
            and self.after is not None
            and (self.before.greeting_id != self.after.greeting_id)
        )


@dataclass(frozen=True, slots=True)
class RouteChange:
    menu_key: str
    keypress: str
    before: Route | None  # None: a route is added for this key
    after: Route | None  # None: the key's route is deleted


@dataclass(frozen=True, slots=True)
class IvrChanges:
    name_before: str
    name_after: str
    menus: tuple[MenuChange, ...]  # created, changed (name or greeting) and deleted menus
    routes: tuple[RouteChange, ...]  # in menus kept or created; a deleted menu takes its own

    @property
    def renamed(self) -> bool:
        return self.name_before != self.name_after

    @property
    def count(self) -> int:
        """How many parts differ: the IVR's name, each menu, and each route of a kept menu."""
        return int(self.renamed) + len(self.menus) + len(self.routes)

    def touched(self) -> frozenset[tuple[str, ...]]:
        """The parts changed: ("ivr", "name"), ("menu", key) and ("route", key, keypress).

        A deleted menu also touches each of its routes, so that an edit to a route on one side
        conflicts with the deletion of its menu on the other.
        """
        parts: set[tuple[str, ...]] = {("ivr", "name")} if self.renamed else set()
        for change in self.menus:
            parts.add(("menu", change.key))
            if change.after is None and change.before is not None:
                parts.update(("route", change.key, r.keypress) for r in change.before.routes)
        parts.update(("route", c.menu_key, c.keypress) for c in self.routes)
        return frozenset(parts)


def compare(before: IvrDocument, after: IvrDocument) -> IvrChanges:
    """Every part of the IVR that differs between `before` and `after`."""
    menus: list[MenuChange] = []
    routes: list[RouteChange] = []
    for menu in after.menus:
        old = before.find_menu(menu.key)
        if old is None:
            menus.append(MenuChange(menu.key, None, menu))
            routes.extend(RouteChange(menu.key, r.keypress, None, r) for r in menu.routes)
            continue
        if old.name != menu.name or old.greeting_id != menu.greeting_id:
            menus.append(MenuChange(menu.key, old, menu))
        routes.extend(_route_changes(old, menu))
    menus.extend(
        MenuChange(menu.key, menu, None)
        for menu in before.menus
        if after.find_menu(menu.key) is None
    )
    return IvrChanges(
        name_before=before.name, name_after=after.name, menus=tuple(menus), routes=tuple(routes)
    )


def _route_changes(before: Menu, after: Menu) -> list[RouteChange]:
    keypresses = sorted(
        {r.keypress for r in before.routes} | {r.keypress for r in after.routes},
        key=lambda keypress: (keypad_position(keypress), keypress),
    )
    changes = []
    for keypress in keypresses:
        old = [r for r in before.routes if r.keypress == keypress]
        new = [r for r in after.routes if r.keypress == keypress]
        # Normally one route per key on each side; extra routes pair with nothing.
        for position in range(max(len(old), len(new))):
            was = old[position] if position < len(old) else None
            now = new[position] if position < len(new) else None
            if was is None or now is None or not was.same_configuration(now):
                changes.append(RouteChange(after.key, keypress, was, now))
    return changes
