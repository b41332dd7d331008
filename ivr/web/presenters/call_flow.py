"""The call flow of one IVR as a tree a person reads top-down, for the IVR page.

Built from any IvrDocument (the live IVR, a draft, a version to revert to), the account's
lookups, its lint findings and optionally a simulated call:
- the menu callers hear first is the root; each menu lists one row per key, in keypad order,
  with the default route ("no key or a wrong key") last, or a flagged row saying Zendesk hangs
  up when there is none;
- a menu is drawn in full beneath the first row that leads to it (depth first, keypad order);
  every later route to it is a link: back to a menu above it on the way from the root (a loop),
  to its own menu, or to a menu drawn elsewhere; so the tree never repeats a subtree;
- menus that no route reaches from the first menu are drawn in a separate section;
- lint findings become numbered checks, each pointing at the anchor of its menu or row, and
  hang on that menu or row; a simulated call marks the menus and routes it went through.

Anchors are stable for a menu key and keypress, so the checks panel, "Try it" and the editing
controls can point at a card or row. No Django here: the page renders what this returns.
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from ivr.engine.destinations import GoToMenu
from ivr.engine.document import DEFAULT_KEYPRESS, IvrDocument, Menu, Route
from ivr.engine.lint.findings import Finding, Severity
from ivr.engine.lookups import Lookups, PhoneNumber
from ivr.engine.simulate import CallEndKind, SimulatedCall
from ivr.engine.wording import quoted
from ivr.web.converters import KEY_TOKENS, keypress_token
from ivr.web.presenters.route_words import Words, destination_words, greeting_words

IVR_ANCHOR = "call-flow"  # findings about the whole IVR point at the top of the tree
NUMBERS_ANCHOR = "call-flow-numbers"  # where the tree lists the numbers that use the IVR
# Lint rules about the phone numbers that answer with the IVR rather than its menus.
NUMBER_RULES = frozenset(
    {"not-assigned", "digital-line", "callback-greeting", "recording-consent-greeting"}
)


# --- Anchors ------------------------------------------------------------------------------------


def menu_anchor(menu_key: str) -> str:
    """The HTML id of a menu's card: "menu-m-123" for the menu key "m:123"."""
    return "menu-" + re.sub(r"[^A-Za-z0-9_-]+", "-", menu_key)


def route_anchor(menu_key: str, keypress: str) -> str:
    """The HTML id of a route's row: "menu-m-123-key-1", "...-key-star", "...-key-default"."""
    if keypress in KEY_TOKENS:
        slug = keypress_token(keypress)
    else:  # a keypress Zendesk does not know; lint flags it, the page still needs an id
        slug = "other-" + keypress.encode().hex()
    return f"{menu_anchor(menu_key)}-key-{slug}"


def keypress_label(keypress: str) -> str:
    """How a row names its key: "Press 1", or the default route's plain meaning."""
    if keypress == DEFAULT_KEYPRESS:
        return "No key or a wrong key"
    return f"Press {keypress}"


# --- What the page shows ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Check:
    """One lint finding, numbered for the checks panel and linked to where it applies."""

    number: int
    finding: Finding
    anchor: str  # the card or row it concerns (IVR_ANCHOR for the whole IVR)
    place: str  # that place in words: "Press 1 in 'Main menu'", "'Billing'", "the whole IVR"

    @property
    def id(self) -> str:
        return f"check-{self.number}"

    @property
    def is_error(self) -> bool:
        return self.finding.severity is Severity.ERROR


class LinkKind(StrEnum):
    BACK = "back"  # to a menu above this one on the way from the first menu: a loop back
    SAME = "same"  # to the menu the row is in: the caller hears it again
    ELSEWHERE = "elsewhere"  # to a menu drawn in another branch


@dataclass(frozen=True, slots=True)
class MenuLink:
    kind: LinkKind
    anchor: str
    name: str

    @property
    def text(self) -> str:
        match self.kind:
            case LinkKind.BACK:
                return f"Back to {quoted(self.name)}"
            case LinkKind.SAME:
                return f"Hears {quoted(self.name)} again"
            case LinkKind.ELSEWHERE:
                return f"Goes on in {quoted(self.name)}, shown above"


@dataclass(frozen=True, slots=True)
class RouteRow:
    keypress: str
    label: str  # "Press 1", "No key or a wrong key"
    anchor: str
    kind: str  # the route's action ("group", "menu", ...), or "hang_up" for a missing default
    kind_label: str  # the action in a word or two, shown beside the destination
    destination: Words
    route: Route | None  # None: the row stands for a default route the menu lacks
    submenu: "MenuNode | None" = None  # the menu it leads to, drawn beneath this row
    link: MenuLink | None = None  # a menu drawn elsewhere in the tree
    checks: tuple[Check, ...] = ()
    steps: tuple[int, ...] = ()  # the simulated call's steps (1-based) that took this route
    call_ends_here: bool = False

    @property
    def severity(self) -> str:
        return _worst(self.checks)

    @property
    def taken(self) -> bool:
        return bool(self.steps)


@dataclass(frozen=True, slots=True)
class MenuNode:
    menu: Menu
    anchor: str
    greeting: Words
    rows: tuple[RouteRow, ...]
    is_first: bool  # the menu callers hear first
    checks: tuple[Check, ...] = ()  # about the menu itself rather than one of its rows
    visited: bool = False  # the simulated call went through this menu
    caller_is_here: bool = False  # the simulated call is waiting here for a key

    @property
    def severity(self) -> str:
        return _worst(self.checks)


@dataclass(frozen=True, slots=True)
class CallFlow:
    document: IvrDocument
    numbers: tuple[PhoneNumber, ...]  # the phone numbers that answer with this IVR
    first_menu: MenuNode | None
    unreachable: tuple[MenuNode, ...]  # menus no route reaches from the first menu
    checks: tuple[Check, ...]  # errors first

    @property
    def errors(self) -> tuple[Check, ...]:
        return tuple(check for check in self.checks if check.is_error)

    @property
    def warnings(self) -> tuple[Check, ...]:
        return tuple(check for check in self.checks if not check.is_error)

    @property
    def ivr_checks(self) -> tuple[Check, ...]:
        """Checks about the IVR as a whole (its name, its numbers), shown at the top."""
        return tuple(c for c in self.checks if c.anchor in (IVR_ANCHOR, NUMBERS_ANCHOR))


def _worst(checks: Iterable[Check]) -> str:
    checks = tuple(checks)
    if any(check.is_error for check in checks):
        return "error"
    return "warning" if checks else ""


# --- Building -----------------------------------------------------------------------------------


def number_checks(document: IvrDocument, findings: Sequence[Finding]) -> tuple[Check, ...]:
    """Number the findings (errors first, as lint orders them) and find where each applies."""
    checks = []
    for number, finding in enumerate(
        sorted(findings, key=lambda f: f.severity is not Severity.ERROR), start=1
    ):
        menu = document.find_menu(finding.menu_key)
        if menu is None and finding.rule in NUMBER_RULES:
            anchor, place = NUMBERS_ANCHOR, "the phone numbers"
        elif menu is None:
            anchor, place = IVR_ANCHOR, "the whole IVR"
        elif finding.keypress is not None:
            anchor = route_anchor(menu.key, finding.keypress)
            place = f"{keypress_label(finding.keypress)} in {quoted(menu.name)}"
        else:
            anchor, place = menu_anchor(menu.key), quoted(menu.name)
        checks.append(Check(number=number, finding=finding, anchor=anchor, place=place))
    return tuple(checks)


def build_call_flow(
    *,
    document: IvrDocument,
    lookups: Lookups,
    findings: Sequence[Finding] = (),
    call: SimulatedCall | None = None,
) -> CallFlow:
    """The tree of `document` for the page, with its checks and the path of `call` marked."""
    checks = number_checks(document, findings)
    builder = _Builder(document, lookups, checks, call)
    first = document.default_menu
    first_node = builder.draw(first, ancestors=()) if first is not None else None
    # Drawing one unreachable menu may draw others beneath it; those return None here.
    drawn = (builder.draw(menu, ancestors=()) for menu in builder.unreachable_starts())
    return CallFlow(
        document=document,
        numbers=lookups.numbers_using(document),
        first_menu=first_node,
        unreachable=tuple(node for node in drawn if node is not None),
        checks=checks,
    )


class _Builder:
    """Draws menus depth first, each in full once; remembers what is drawn where."""

    def __init__(
        self,
        document: IvrDocument,
        lookups: Lookups,
        checks: tuple[Check, ...],
        call: SimulatedCall | None,
    ) -> None:
        self.document = document
        self.lookups = lookups
        self.drawn: set[str] = set()
        self.checks_at: dict[str, list[Check]] = defaultdict(list)
        for check in checks:
            self.checks_at[check.anchor].append(check)
        self.anchors_used: set[str] = set()
        self.steps_at: dict[tuple[str, str], list[int]] = defaultdict(list)
        self.visited: set[str] = set()
        self.waiting_in = call.waiting_in if call else None
        self.end = call.end if call else None
        for number, step in enumerate(call.steps if call else (), start=1):
            self.visited.add(step.menu_key)
            if step.route_keypress is not None:
                self.steps_at[(step.menu_key, step.route_keypress)].append(number)
        if self.waiting_in is not None:
            self.visited.add(self.waiting_in)

    def draw(self, menu: Menu, *, ancestors: tuple[str, ...]) -> "MenuNode | None":
        if menu.key in self.drawn:
            return None
        self.drawn.add(menu.key)
        path = (*ancestors, menu.key)
        rows = [self._row(menu, route, path) for route in menu.routes_in_keypad_order]
        if menu.route(DEFAULT_KEYPRESS) is None:
            rows.append(self._hang_up_row(menu))
        anchor = menu_anchor(menu.key)
        return MenuNode(
            menu=menu,
            anchor=anchor,
            greeting=greeting_words(menu, self.lookups),
            rows=tuple(rows),
            is_first=menu.default and menu.key == getattr(self.document.default_menu, "key", None),
            checks=tuple(self.checks_at.get(anchor, ())),
            visited=menu.key in self.visited,
            caller_is_here=self.waiting_in == menu.key,
        )

    def unreachable_starts(self) -> list[Menu]:
        """Menus not drawn yet, those no other undrawn menu leads to first, in document order."""
        left = [menu for menu in self.document.menus if menu.key not in self.drawn]
        targeted = {
            route.destination.menu_key
            for menu in left
            for route in menu.routes
            if isinstance(route.destination, GoToMenu) and route.destination.menu_key != menu.key
        }
        firsts = [menu for menu in left if menu.key not in targeted]
        return firsts + [menu for menu in left if menu.key in targeted]

    def _unique(self, anchor: str) -> str:
        """Two routes with the same key (a lint error) still get distinct ids."""
        unique, count = anchor, 1
        while unique in self.anchors_used:
            count += 1
            unique = f"{anchor}-{count}"
        self.anchors_used.add(unique)
        return unique

    def _row(self, menu: Menu, route: Route, path: tuple[str, ...]) -> RouteRow:
        plain_anchor = route_anchor(menu.key, route.keypress)
        anchor = self._unique(plain_anchor)
        kind, kind_label, destination = destination_words(route, self.document, self.lookups)
        submenu = link = None
        if isinstance(route.destination, GoToMenu):
            target = self.document.find_menu(route.destination.menu_key)
            if target is not None:
                if target.key == menu.key:
                    link = MenuLink(LinkKind.SAME, menu_anchor(target.key), target.name)
                elif target.key in path:
                    link = MenuLink(LinkKind.BACK, menu_anchor(target.key), target.name)
                elif target.key in self.drawn:
                    link = MenuLink(LinkKind.ELSEWHERE, menu_anchor(target.key), target.name)
                else:
                    submenu = self.draw(target, ancestors=path)
        ends_here = (
            self.end is not None
            and self.end.menu_key == menu.key
            and self.end.route_keypress == route.keypress
        )
        return RouteRow(
            keypress=route.keypress,
            label=keypress_label(route.keypress),
            anchor=anchor,
            kind=kind,
            kind_label=kind_label,
            destination=destination,
            route=route,
            submenu=submenu,
            link=link,
            # A duplicate key's checks hang on its first row only.
            checks=tuple(self.checks_at.get(anchor, ())) if anchor == plain_anchor else (),
            steps=tuple(self.steps_at.get((menu.key, route.keypress), ())),
            call_ends_here=ends_here,
        )

    def _hang_up_row(self, menu: Menu) -> RouteRow:
        anchor = self._unique(route_anchor(menu.key, DEFAULT_KEYPRESS))
        return RouteRow(
            keypress=DEFAULT_KEYPRESS,
            label=keypress_label(DEFAULT_KEYPRESS),
            anchor=anchor,
            kind="hang_up",
            kind_label="Hangs up",
            destination=Words.plain("Zendesk hangs up: this menu has no default route"),
            route=None,
            checks=tuple(self.checks_at.get(anchor, ())),
            call_ends_here=(
                self.end is not None
                and self.end.kind is CallEndKind.DISCONNECTED
                and self.end.menu_key == menu.key
            ),
        )
