"""An IVR change set in words, for the audit pages: the engine's own sentences, with names.

Registered for target type "ivr" (ivr/apps.py). A change set's before and after are IVRs as
Zendesk returned them (or IVR documents, for a draft); the change between them is said the way
the publish preview says it ("Press 2 in menu 'Billing' now goes to the group 'Tier 2' instead
of the group 'Tier 1'."), with group, greeting and number names as recorded with the change
set. A pair the planner cannot read as two versions of one IVR falls back to the field-by-field
describer.
"""

from typing import Any

from audit.describe import NOTHING, DescribedChange, GenericDescriber, Names
from audit.vocabulary import IVR_WORDS
from ivr.engine.document import DocumentError, IvrDocument, Menu
from ivr.engine.lookups import Greeting, Group, Lookups, PhoneNumber
from ivr.engine.plan import Operation, OperationKind, PlanError, plan_changes
from ivr.engine.wording import (
    greeting_phrase,
    keypress_subject,
    names_list,
    quoted,
    route_destination,
)

_fallback = GenericDescriber(IVR_WORDS)


def describe_ivr_change(*, before: Any, after: Any, names: Names) -> list[DescribedChange]:
    try:
        old, new = _document(before), _document(after)
    except DocumentError:
        return _fallback(before=before, after=after, names=names)
    lookups = _lookups(names)
    if old is None and new is None:
        return []
    if old is None:
        assert new is not None
        menus = names_list([quoted(menu.name) for menu in new.menus])
        plural = "s" if len(new.menus) != 1 else ""
        return [
            DescribedChange(
                f"Created the IVR {quoted(new.name)} with the menu{plural} {menus}.",
                "IVR",
                NOTHING,
                "created",
            ),
            *_numbers(IvrDocument(name=new.name, menus=()), new, lookups),
        ]
    if new is None:
        count = len(old.menus)
        plural = "s" if count != 1 else ""
        return [
            DescribedChange(
                f"Deleted the IVR {quoted(old.name)} with its {count} menu{plural}.",
                "IVR",
                "existed",
                NOTHING,
            ),
            *_numbers(old, IvrDocument(name=old.name, menus=()), lookups),
        ]
    try:
        plan = plan_changes(live=old, desired=new, lookups=lookups)
    except PlanError:
        return _fallback(before=before, after=after, names=names)
    return [_row(operation, old, new, lookups) for operation in plan] + _numbers(old, new, lookups)


def _document(snapshot: Any) -> IvrDocument | None:
    if snapshot is None:
        return None
    if isinstance(snapshot, dict) and "document_version" in snapshot:
        return IvrDocument.from_json(snapshot)
    return IvrDocument.from_zendesk(snapshot)


def _lookups(names: Names) -> Lookups:
    def identity(key: str) -> int | str:
        return int(key) if key.isdigit() else key

    return Lookups(
        groups={int(k): Group(int(k), v) for k, v in names.get("group", {}).items() if k.isdigit()},
        greetings={
            identity(k): Greeting(identity(k), v, category_id=None)
            for k, v in names.get("greeting", {}).items()
        },
        phone_numbers={
            int(k): PhoneNumber(id=int(k), name=v, number="")
            for k, v in names.get("phone_number", {}).items()
            if k.isdigit()
        },
    )


def _row(
    operation: Operation, old: IvrDocument, new: IvrDocument, lookups: Lookups
) -> DescribedChange:
    kind = operation.kind
    if kind is OperationKind.RENAME_IVR:
        return DescribedChange(operation.sentence, "IVR name", quoted(old.name), quoted(new.name))
    before_menu = old.find_menu(operation.menu_key or "")
    after_menu = new.find_menu(operation.menu_key or "")
    either = after_menu or before_menu
    menu_name = quoted(either.name) if either is not None else "?"
    if kind in (OperationKind.CREATE_MENU, OperationKind.UPDATE_MENU, OperationKind.DELETE_MENU):

        def state(menu: Menu | None) -> str:
            if menu is None:
                return NOTHING
            return f"{quoted(menu.name)}, playing {greeting_phrase(menu.greeting_id, lookups)}"

        return DescribedChange(
            operation.sentence, f"Menu {menu_name}", state(before_menu), state(after_menu)
        )
    keypress = operation.keypress or ""

    def destination(document: IvrDocument, menu: Menu | None) -> str:
        route = menu.route(keypress) if menu is not None else None
        return NOTHING if route is None else route_destination(route, document, lookups)

    return DescribedChange(
        operation.sentence,
        f"{keypress_subject(keypress)} in menu {menu_name}",
        destination(old, before_menu),
        destination(new, after_menu),
    )


def _numbers(old: IvrDocument, new: IvrDocument, lookups: Lookups) -> list[DescribedChange]:
    def named(number_id: int) -> tuple[str, str]:
        """How a sentence starts with the number, and the table's field for it."""
        number = lookups.phone_numbers.get(number_id)
        if number is None:
            return f"The number #{number_id} (name not recorded)", f"Phone number #{number_id}"
        return quoted(number.name), f"Phone number {quoted(number.name)}"

    rows = []
    before, after = set(old.phone_number_ids), set(new.phone_number_ids)
    for number_id in sorted(after - before):
        subject, field = named(number_id)
        rows.append(
            DescribedChange(
                f"{subject} now answers with this IVR.",
                field,
                "answered without it",
                "answers with it",
            )
        )
    for number_id in sorted(before - after):
        subject, field = named(number_id)
        rows.append(
            DescribedChange(
                f"{subject} no longer answers with this IVR.",
                field,
                "answered with it",
                "answers without it",
            )
        )
    return rows
