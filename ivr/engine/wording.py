"""IVR parts in plain words, with names rather than ids, for lint, the simulator and the planner.

Every phrase names things the way an admin knows them: "the group 'Billing'", "the menu
'Main menu'", "the greeting 'Welcome'". Something that no longer exists is said to be gone,
never shown as a bare id.
"""

from collections.abc import Sequence

from ivr.engine.destinations import (
    Destination,
    GoToMenu,
    QueueForGroups,
    TextBack,
    TransferToNumber,
    UnknownAction,
    Voicemail,
)
from ivr.engine.document import DEFAULT_KEYPRESS, IvrDocument, Route
from ivr.engine.lookups import Lookups

TEXT_SHOWN = 60  # characters of a text-back message quoted in a sentence


def quoted(name: str) -> str:
    return f"'{name}'"


def keypress_subject(keypress: str) -> str:
    """The start of a sentence about a route: "Press 2", or the default route's wording."""
    if keypress == DEFAULT_KEYPRESS:
        return "Pressing nothing or a wrong key"
    return f"Press {keypress}"


def keypress_name(keypress: str) -> str:
    if keypress == DEFAULT_KEYPRESS:
        return "the default route (no key or a wrong key)"
    return f"key {keypress}"


def menu_phrase(document: IvrDocument, menu_key: str | None) -> str:
    if menu_key is None:
        return "no menu (none is chosen)"
    menu = document.find_menu(menu_key)
    if menu is None:
        return "a menu that no longer exists"
    return f"the menu {quoted(menu.name)}"


def names_list(names: Sequence[str], conjunction: str = "and") -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {conjunction} {names[-1]}"


def group_phrase(
    group_ids: Sequence[int], lookups: Lookups, *, zendesk_label: str | None = None
) -> str:
    """ "the group 'Billing'", "the groups 'Billing' and 'Sales'", or what is missing."""
    if not group_ids:
        return "no group (none is chosen)"
    known = []
    missing = 0
    for group_id in group_ids:
        group = lookups.groups.get(group_id)
        if group is None:
            missing += 1
        elif group.deleted:
            known.append(f"{quoted(group.name)} (which has been deleted)")
        else:
            known.append(quoted(group.name))
    if len(group_ids) == 1:
        if known:
            return f"the group {known[0]}"
        # Zendesk's own label, when it still had one, is better than nothing.
        if zendesk_label:
            return f"the group {quoted(zendesk_label)} (which no longer exists)"
        return "a group that no longer exists"
    if not known:
        return f"{missing} groups that no longer exist"
    if missing:
        known.append(
            "one that no longer exists" if missing == 1 else f"{missing} that no longer exist"
        )
    return f"the groups {names_list(known)}"


def greeting_phrase(greeting_id: int | str | None, lookups: Lookups) -> str:
    if greeting_id is None:
        return "no greeting"
    greeting = lookups.greetings.get(greeting_id)
    if greeting is None:
        return "a greeting that no longer exists"
    if isinstance(greeting.id, str):
        return f"Zendesk's built-in greeting {quoted(greeting.name)}"
    return f"the greeting {quoted(greeting.name)}"


def number_phrase(number_id: int | None, lookups: Lookups) -> str:
    if number_id is None:
        return "no number (none is chosen)"
    number = lookups.phone_numbers.get(number_id)
    if number is None:
        return "a number that no longer exists"
    return number.label


def destination_phrase(
    destination: Destination,
    document: IvrDocument,
    lookups: Lookups,
    *,
    zendesk_label: str | None = None,
) -> str:
    """Where a route sends the caller, as the end of "... goes to <phrase>"."""
    match destination:
        case QueueForGroups(group_ids):
            return group_phrase(group_ids, lookups, zendesk_label=zendesk_label)
        case Voicemail(group_ids):
            groups = group_phrase(group_ids, lookups, zendesk_label=zendesk_label)
            return f"voicemail for {groups}"
        case TransferToNumber(phone_number):
            if not phone_number.strip():
                return "an outside number that is not filled in"
            return f"the outside number {phone_number}"
        case TextBack(sms_text, sending_number_id):
            sender = number_phrase(sending_number_id, lookups)
            if not sms_text.strip():
                return f"a text message from {sender}, with no text written yet"
            return f'a text message from {sender} saying "{shorten(sms_text)}"'
        case GoToMenu(menu_key):
            return menu_phrase(document, menu_key)
        case UnknownAction(name):
            return f"an action TalkAdmin does not know ({quoted(name)})"


def route_destination(route: Route, document: IvrDocument, lookups: Lookups) -> str:
    return destination_phrase(route.destination, document, lookups, zendesk_label=route.option_text)


def shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TEXT_SHOWN else text[: TEXT_SHOWN - 1].rstrip() + "…"


def tags_phrase(tags: Sequence[str] | None) -> str:
    if not tags:
        return "no tags"
    noun = "tag" if len(tags) == 1 else "tags"
    return f"the {noun} {names_list([quoted(tag) for tag in tags])}"
