"""The publish page's before/after trees: the IVR as Zendesk holds it and as it will be, each
drawn as the call-flow tree with what is added, removed and changed marked on its menus and
rows. No Django here: the page renders what this returns.
"""

from dataclasses import dataclass
from enum import StrEnum

from ivr.engine.diff import IvrChanges, compare
from ivr.engine.document import IvrDocument
from ivr.engine.lookups import Lookups
from ivr.web.presenters.call_flow import MenuNode, build_call_flow


class Mark(StrEnum):
    NONE = ""
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"

    @property
    def label(self) -> str:
        return {"added": "Added", "removed": "Removed", "changed": "Changed"}.get(self.value, "")

    @property
    def symbol(self) -> str:
        return {"added": "+", "removed": "\u2212", "changed": "✎"}.get(self.value, "")


@dataclass(frozen=True, slots=True)
class MarkedRow:
    row: object  # ivr.web.presenters.call_flow.RouteRow
    mark: Mark
    submenu: "MarkedMenu | None"


@dataclass(frozen=True, slots=True)
class MarkedMenu:
    node: MenuNode
    mark: Mark
    rows: tuple[MarkedRow, ...]


@dataclass(frozen=True, slots=True)
class MarkedTree:
    title: str
    name: str
    name_mark: Mark
    first_menu: MarkedMenu | None
    unreachable: tuple[MarkedMenu, ...]


@dataclass(frozen=True, slots=True)
class BeforeAfter:
    before: MarkedTree
    after: MarkedTree
    count: int  # parts that differ


def before_and_after(*, live: IvrDocument, desired: IvrDocument, lookups: Lookups) -> BeforeAfter:
    changes = compare(live, desired)
    return BeforeAfter(
        before=_tree("Now, in Zendesk", live, lookups, changes, side="before"),
        after=_tree("After publishing", desired, lookups, changes, side="after"),
        count=changes.count,
    )


def _tree(
    title: str, document: IvrDocument, lookups: Lookups, changes: IvrChanges, *, side: str
) -> MarkedTree:
    menu_marks: dict[str, Mark] = {}
    route_marks: dict[tuple[str, str], Mark] = {}
    for change in changes.menus:
        if side == "before" and change.after is None:
            menu_marks[change.key] = Mark.REMOVED
        elif side == "after" and change.before is None:
            menu_marks[change.key] = Mark.ADDED
        elif change.before is not None and change.after is not None:
            menu_marks[change.key] = Mark.CHANGED
    for route in changes.routes:
        key = (route.menu_key, route.keypress)
        if route.before is not None and route.after is not None:
            route_marks[key] = Mark.CHANGED
        elif side == "before" and route.after is None:
            route_marks[key] = Mark.REMOVED
        elif side == "after" and route.before is None:
            route_marks[key] = Mark.ADDED
    # A deleted menu's routes go with it; a new menu's routes come with it.
    gone = Mark.REMOVED if side == "before" else Mark.ADDED

    def marked(node: MenuNode) -> MarkedMenu:
        menu_mark = menu_marks.get(node.menu.key, Mark.NONE)
        rows = []
        for row in node.rows:
            mark = route_marks.get((node.menu.key, row.keypress), Mark.NONE)
            if menu_mark is gone and row.route is not None:
                mark = gone
            if row.route is None:  # the "Zendesk hangs up" row stands for no route
                mark = Mark.NONE
            submenu = marked(row.submenu) if row.submenu is not None else None
            rows.append(MarkedRow(row, mark, submenu))
        return MarkedMenu(node, menu_mark, tuple(rows))

    flow = build_call_flow(document=document, lookups=lookups)
    return MarkedTree(
        title=title,
        name=document.name,
        name_mark=Mark.CHANGED if changes.renamed else Mark.NONE,
        first_menu=marked(flow.first_menu) if flow.first_menu is not None else None,
        unreachable=tuple(marked(node) for node in flow.unreachable),
    )
