"""Three versions of an IVR: the base a draft started from, live Zendesk now, and the draft.

Admins edit a draft while the live IVR may change in Zendesk's own Admin Center. Publishing
must keep those upstream changes and apply only the admins' own, so:

- `merge_draft(base=, live=, draft=)` is live with the draft's changes (everything that differs
  between base and draft) applied on top. Where both changed the same part, the draft wins:
  that is what "overwrite" publishes and what "keep my changes on top of Zendesk's" (rebase)
  keeps in the draft.
- `find_conflicts(...)` lists the parts both sides changed differently, each described on both
  sides in words. A part both sides changed the same way is not a conflict. A menu deleted on
  one side while the other side changed something in it, or added a key leading to it, is one
  conflict about that menu.
- `conflicts_seen(...)` is a token of the conflicts as Zendesk holds those parts: it binds an
  overwrite to the version the admin saw.

Parts are those of ivr.engine.diff: the IVR's name, each menu (its name and greeting) and each route
(a menu's keypress). Pure logic: no database, no network.
"""

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from ivr.engine.destinations import GoToMenu
from ivr.engine.diff import IvrChanges, compare
from ivr.engine.document import IvrDocument, Menu, Route, keypad_position
from ivr.engine.lookups import Lookups
from ivr.engine.wording import (
    greeting_phrase,
    keypress_subject,
    names_list,
    quoted,
    route_destination,
)

Part = tuple[str, ...]  # ("ivr", "name"), ("menu", key) or ("route", key, keypress)
IVR_NAME: Part = ("ivr", "name")


@dataclass(frozen=True, slots=True)
class Conflict:
    """One part of the IVR changed both in Zendesk and in the draft, differently."""

    subject: str  # "Press 2 in menu 'Billing'"
    when_started: str  # the part when the draft was started: "goes to the group 'Billing'"
    in_zendesk: str  # the part in Zendesk now
    in_draft: str  # the part in the draft
    menu_key: str | None = None
    keypress: str | None = None

    @property
    def sentence(self) -> str:
        return (
            f"{self.subject}: in Zendesk it now {self.in_zendesk}; "
            f"in your draft it {self.in_draft} (when your draft was started it "
            f"{self.when_started})."
        )


def merge_draft(*, base: IvrDocument, live: IvrDocument, draft: IvrDocument) -> IvrDocument:
    """Live Zendesk with the draft's own changes on top (the draft wins where both changed)."""
    ours = compare(base, draft)
    menus: dict[str, Menu] = {menu.key: menu for menu in live.menus}
    order = [menu.key for menu in live.menus]
    taken_whole: set[str] = set()

    def take_whole(menu: Menu) -> None:
        if menu.key not in menus:
            order.append(menu.key)
        menus[menu.key] = menu
        taken_whole.add(menu.key)

    for change in ours.menus:
        if change.after is None:
            menus.pop(change.key, None)
        elif change.before is None or change.key not in menus:
            take_whole(change.after)  # new in the draft, or deleted in Zendesk meanwhile
        else:
            current = menus[change.key]
            menus[change.key] = replace(
                current,
                name=change.after.name if change.renamed else current.name,
                greeting_id=(
                    change.after.greeting_id if change.greeting_changed else current.greeting_id
                ),
            )
    for route_change in ours.routes:
        if route_change.menu_key in taken_whole:
            continue
        in_live = menus.get(route_change.menu_key)
        if in_live is None:  # deleted in Zendesk meanwhile: the draft's menu comes back whole
            kept = draft.find_menu(route_change.menu_key)
            if kept is not None:
                take_whole(kept)
            continue
        keypress = route_change.keypress
        routes = tuple(route for route in in_live.routes if route.keypress != keypress)
        if route_change.after is not None:
            routes = (*routes, route_change.after)
        menus[route_change.menu_key] = replace(in_live, routes=routes)
    return replace(
        live,
        name=draft.name if ours.renamed else live.name,
        menus=tuple(menus[key] for key in order if key in menus),
    )


def find_conflicts(
    *, base: IvrDocument, live: IvrDocument, draft: IvrDocument, lookups: Lookups
) -> tuple[Conflict, ...]:
    """The parts changed in Zendesk since the draft's base that the draft changed otherwise."""
    upstream, ours = compare(base, live), compare(base, draft)
    words = _Words(base=base, live=live, draft=draft, lookups=lookups)
    whole_menus = _menus_in_conflict(base, live, draft, upstream, ours)
    conflicts = [words.menu_conflict(key, upstream, ours) for key in whole_menus]
    shared = upstream.touched() & ours.touched()
    for part in sorted(shared, key=_part_order(base, live, draft)):
        if part != IVR_NAME and part[1] in whole_menus:
            continue
        if not _same(part, live, draft):
            conflicts.append(words.part_conflict(part))
    return tuple(conflicts)


def conflicts_seen(conflicts: Sequence[Conflict], live: IvrDocument) -> str:
    """A short token for these conflicts as `live` holds each part: what an admin saw when
    choosing to publish over Zendesk's version. A publish told to overwrite does so only while
    the token is the same: if Zendesk changed a conflicting part again (or another part came into
    conflict), the admin sees the newer change first. "" when there is no conflict."""
    if not conflicts:
        return ""
    parts = sorted(
        (conflict.menu_key or "", conflict.keypress or "", _live_state(conflict, live))
        for conflict in conflicts
    )
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:32]


def _live_state(conflict: Conflict, live: IvrDocument) -> str:
    if conflict.menu_key is None:
        return live.name
    menu = live.find_menu(conflict.menu_key)
    if menu is None:
        return "gone"
    if conflict.keypress is not None:
        route = menu.route(conflict.keypress)
        return json.dumps(_route_state(route), sort_keys=True)
    routes = [_route_state(route) for route in menu.routes_in_keypad_order]
    return json.dumps([menu.name, menu.greeting_id, routes], sort_keys=True)


def _route_state(route: Route | None) -> object:
    if route is None:
        return None
    return [route.keypress, route.action, route.options_json(menu_id=None), repr(route.destination)]


# --- Which parts conflict -------------------------------------------------------------------


def _menus_in_conflict(
    base: IvrDocument,
    live: IvrDocument,
    draft: IvrDocument,
    upstream: IvrChanges,
    ours: IvrChanges,
) -> list[str]:
    """Menus deleted on one side while the other side still changes them or leads to them."""
    keys = []
    for menu in base.menus:
        key = menu.key
        gone_upstream = live.find_menu(key) is None and draft.find_menu(key) is not None
        gone_here = draft.find_menu(key) is None and live.find_menu(key) is not None
        if (gone_upstream and _involving(key, ours, draft)) or (
            gone_here and _involving(key, upstream, live)
        ):
            keys.append(key)
    return keys


def _involving(key: str, changes: IvrChanges, after: IvrDocument) -> list[Part]:
    """The parts of `changes` inside menu `key`, or adding a way into it."""
    parts = []
    for part in sorted(changes.touched(), key=_part_order(after)):
        if part == IVR_NAME:
            continue
        if part[1] == key:
            parts.append(part)
        elif part[0] == "route":
            menu = after.find_menu(part[1])
            route = menu.route(part[2]) if menu is not None else None
            if route is not None and route.destination == GoToMenu(key):
                parts.append(part)
    return parts


def _same(part: Part, one: IvrDocument, other: IvrDocument) -> bool:
    if part == IVR_NAME:
        return one.name == other.name
    first, second = one.find_menu(part[1]), other.find_menu(part[1])
    if part[0] == "menu":
        if first is None or second is None:
            return first is second
        return (first.name, first.greeting_id) == (second.name, second.greeting_id)
    route = first.route(part[2]) if first is not None else None
    counterpart = second.route(part[2]) if second is not None else None
    if route is None or counterpart is None:
        return route is counterpart
    return route.same_configuration(counterpart)


def _part_order(*documents: IvrDocument) -> Callable[[Part], tuple[int, int, int]]:
    positions: dict[str, int] = {}
    for document in documents:
        for menu in document.menus:
            positions.setdefault(menu.key, len(positions))

    def order(part: Part) -> tuple[int, int, int]:
        if part == IVR_NAME:
            return (-1, 0, 0)
        is_route = part[0] == "route"
        keypress = part[2] if is_route else ""
        return (positions.get(part[1], len(positions)), is_route, keypad_position(keypress))

    return order


# --- Words ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Words:
    base: IvrDocument
    live: IvrDocument
    draft: IvrDocument
    lookups: Lookups

    def menu_name(self, key: str) -> str:
        for document in (self.draft, self.live, self.base):
            menu = document.find_menu(key)
            if menu is not None:
                return quoted(menu.name)
        return "a menu"

    def part_conflict(self, part: Part) -> Conflict:
        if part == IVR_NAME:
            return Conflict(
                subject="The IVR's name",
                when_started=f"was {quoted(self.base.name)}",
                in_zendesk=f"is {quoted(self.live.name)}",
                in_draft=f"is {quoted(self.draft.name)}",
            )
        if part[0] == "menu":
            return Conflict(
                subject=f"The menu {self.menu_name(part[1])}",
                when_started=self.menu_state(self.base, part[1], past=True),
                in_zendesk=self.menu_state(self.live, part[1]),
                in_draft=self.menu_state(self.draft, part[1]),
                menu_key=part[1],
            )
        key, keypress = part[1], part[2]
        return Conflict(
            subject=f"{keypress_subject(keypress)} in menu {self.menu_name(key)}",
            when_started=self.route_state(self.base, key, keypress, past=True),
            in_zendesk=self.route_state(self.live, key, keypress),
            in_draft=self.route_state(self.draft, key, keypress),
            menu_key=key,
            keypress=keypress,
        )

    def menu_conflict(self, key: str, upstream: IvrChanges, ours: IvrChanges) -> Conflict:
        return Conflict(
            subject=f"The menu {self.menu_name(key)}",
            when_started="existed" + self.with_routes(self.base.find_menu(key)),
            in_zendesk=self.menu_fate(key, upstream, self.live),
            in_draft=self.menu_fate(key, ours, self.draft),
            menu_key=key,
        )

    def menu_fate(self, key: str, changes: IvrChanges, after: IvrDocument) -> str:
        if after.find_menu(key) is None:
            return "is deleted"
        changed = [self.change_phrase(part, after, key) for part in _involving(key, changes, after)]
        if not changed:
            return "is unchanged"
        return "is kept, and " + names_list(changed)

    def change_phrase(self, part: Part, after: IvrDocument, key: str) -> str:
        if part[0] == "menu":
            return f"it {self.menu_state(after, key)}"
        menu = after.find_menu(part[1])
        where = "" if part[1] == key else f" in menu {quoted(menu.name) if menu else 'another'}"
        return f"{keypress_subject(part[2]).lower()}{where} {self.route_state(after, *part[1:])}"

    def menu_state(self, document: IvrDocument, key: str, *, past: bool = False) -> str:
        menu = document.find_menu(key)
        if menu is None:
            return "did not exist" if past else "is deleted"
        verb = "was" if past else "is"
        greeting = greeting_phrase(menu.greeting_id, self.lookups)
        return f"{verb} called {quoted(menu.name)} and {'played' if past else 'plays'} {greeting}"

    def route_state(
        self, document: IvrDocument, key: str, keypress: str, *, past: bool = False
    ) -> str:
        menu = document.find_menu(key)
        if menu is None:
            return "was gone with its menu" if past else "is gone with its menu"
        route = menu.route(keypress)
        if route is None:
            return "did nothing (it had no route)" if past else "does nothing (it has no route)"
        verb = "went" if past else "goes"
        return f"{verb} to {route_destination(route, document, self.lookups)}"

    @staticmethod
    def with_routes(menu: Menu | None) -> str:
        if menu is None or not menu.routes:
            return ""
        count = len(menu.routes)
        return f" with {count} route{'s' if count != 1 else ''}"
