"""Field-by-field differences between two JSON snapshots of a Talk object.

Lists of objects are matched by identity (their `id`, else their `keypress`), not by position,
so a route added at the top of a menu is one addition rather than every later route "changed".
Lists of plain values (group ids) are compared as one value. JSON diff libraries match list
items by position or need this identity rule plugged in; the rule is most of the work, so it
is kept here, small and tested (tests/audit/test_diff.py).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# Keys that identify an object inside a list, tried in this order.
IDENTITY_KEYS = ("id", "keypress")


class _Missing:
    """The value of a field that is absent on one side of the diff."""

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()


@dataclass(frozen=True)
class ItemStep:
    """A step into one object of a list, e.g. the menu with id 10 of "menus"."""

    collection: str  # the list's key ("menus"), "" for a list at the top
    identity: Any  # the item's id or keypress, or its position when it has neither
    item: dict  # the item itself (the "after" version when it exists), to name it

    def __str__(self) -> str:
        return f"{self.collection}[{self.identity!r}]"


PathStep = str | ItemStep


@dataclass(frozen=True)
class FieldChange:
    path: tuple[PathStep, ...]
    before: Any  # MISSING when the field or item was added
    after: Any  # MISSING when it was removed

    @property
    def key(self) -> str:
        """The name of the field that changed ("" for the whole snapshot or a list item)."""
        return self.path[-1] if self.path and isinstance(self.path[-1], str) else ""

    @property
    def is_item(self) -> bool:
        """True when a whole object was added to or removed from a list."""
        return bool(self.path) and isinstance(self.path[-1], ItemStep)

    @property
    def pattern(self) -> str:
        """The path without identities, e.g. "menus[].routes[].options.group_ids"."""
        parts = [
            f"{step.collection}[]" if isinstance(step, ItemStep) else step for step in self.path
        ]
        return ".".join(part for part in parts if part)


def _identity_key(before: list, after: list) -> str | None:
    """The key that identifies each object on both sides, if there is one."""
    items = before + after
    if not items or not all(isinstance(item, dict) for item in items):
        return None
    for key in IDENTITY_KEYS:
        for side in (before, after):
            values = [repr(item.get(key)) for item in side]
            if "None" in values or len(set(values)) != len(values):
                break
        else:
            return key
    return None


def _list_changes(
    path: tuple[PathStep, ...], collection: str, before: list, after: list
) -> Iterator[FieldChange]:
    key = _identity_key(before, after)
    if key is None:
        objects = before + after and all(isinstance(item, dict) for item in before + after)
        if not objects:
            if before != after:
                yield FieldChange(path, before, after)
            return
        # Objects without identity: compare position by position.
        before_items = dict(enumerate(before))
        after_items = dict(enumerate(after))
    else:
        before_items = {item[key]: item for item in before}
        after_items = {item[key]: item for item in after}
    container = path[:-1] if path and isinstance(path[-1], str) else path
    for identity in [*before_items, *(i for i in after_items if i not in before_items)]:
        old, new = before_items.get(identity, MISSING), after_items.get(identity, MISSING)
        step = ItemStep(collection, identity, new if new is not MISSING else old)
        if old is MISSING or new is MISSING:
            yield FieldChange((*container, step), old, new)
        else:
            yield from _changes((*container, step), old, new)


def _changes(path: tuple[PathStep, ...], before: Any, after: Any) -> Iterator[FieldChange]:
    # Equal subtrees hold no change: compared at C speed rather than walked. Inside a
    # container == takes True for 1, so containers must also print the same.
    if (
        type(before) is type(after)
        and before == after
        and (not isinstance(before, dict | list) or repr(before) == repr(after))
    ):
        return
    if isinstance(before, dict) and isinstance(after, dict):
        for key in [*before, *(k for k in after if k not in before)]:
            yield from _changes((*path, key), before.get(key, MISSING), after.get(key, MISSING))
    elif isinstance(before, list) and isinstance(after, list):
        collection = path[-1] if path and isinstance(path[-1], str) else ""
        yield from _list_changes(path, collection, before, after)
    elif not _same(before, after):
        yield FieldChange(path, before, after)


def _same(before: Any, after: Any) -> bool:
    if isinstance(before, bool) or isinstance(after, bool):
        return type(before) is type(after) and before == after
    if isinstance(before, int | float) and isinstance(after, int | float):
        return before == after  # 1 and 1.0 are the same number
    return type(before) is type(after) and before == after


def diff_json(before: Any, after: Any) -> list[FieldChange]:
    """Every field that differs between two snapshots.

    None stands for "did not exist": a created object shows each of its fields as added, a
    deleted one each of its fields as removed.
    """
    if before is None and after is None:
        return []
    if before is None and isinstance(after, dict):
        before = {}
    if after is None and isinstance(before, dict):
        after = {}
    return list(
        _changes((), MISSING if before is None else before, MISSING if after is None else after)
    )
