"""How the call-flow tree names a menu's greeting and where each route goes, names set apart.

Short phrases for a row that already says what kind of action it is ("Group", "Voicemail"):
"Billing", "for Customer Support", "Transfer to +14155550188". Something that no longer exists
is said to be gone, never shown by its id, as everywhere else (see ivr.engine.wording).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from ivr.engine.destinations import (
    GoToMenu,
    QueueForGroups,
    TextBack,
    TransferToNumber,
    UnknownAction,
    Voicemail,
)
from ivr.engine.document import IvrDocument, Menu, Route
from ivr.engine.lookups import Lookups, PhoneNumber

TEXT_SHOWN = 80  # characters of a text-back message shown in a row

Part = tuple[str, bool]  # (text, whether it is a name)


@dataclass(frozen=True, slots=True)
class Words:
    """A phrase whose names are marked, so the page can set names apart from the words."""

    parts: tuple[Part, ...]

    @classmethod
    def plain(cls, text: str) -> "Words":
        return cls(((text, False),))

    def __str__(self) -> str:
        return "".join(text for text, _ in self.parts)


def _words(*parts: str | Part) -> Words:
    return Words(tuple(part if isinstance(part, tuple) else (part, False) for part in parts))


def _name(text: str) -> Part:
    return (text, True)


def greeting_words(menu: Menu, lookups: Lookups) -> Words:
    """The greeting a menu plays, by name."""
    if menu.greeting_id is None:
        return _words("No greeting")
    greeting = lookups.greetings.get(menu.greeting_id)
    if greeting is None:
        return _words("A greeting that no longer exists")
    if isinstance(greeting.id, str):  # Zendesk's own ("ivr_none" is "None"): said so
        return _words("Zendesk's built-in greeting ", _name(greeting.name))
    if greeting.pending:
        return _words(_name(greeting.name), " (not recorded yet)")
    return _words(_name(greeting.name))


@dataclass(frozen=True, slots=True)
class Heard:
    """What callers hear in a menu: its greeting's words (as an admin typed them, "" when
    nobody did) and whether TalkAdmin can play its recording (`key` names it in addresses)."""

    key: str
    name: str
    script: str
    playable: bool


def heard_in(menu: Menu, lookups: Lookups) -> Heard | None:
    """The greeting a menu plays, for its words and its ▶; None without one."""
    greeting = lookups.greetings.get(menu.greeting_id) if menu.greeting_id is not None else None
    if greeting is None:
        return None
    return Heard(
        key=str(greeting.id), name=greeting.name, script=greeting.script, playable=greeting.playable
    )


def destination_words(
    route: Route, document: IvrDocument, lookups: Lookups
) -> tuple[str, str, Words]:
    """The route's action as (kind, its label, where the caller goes)."""
    match route.destination:
        case GoToMenu(menu_key):
            return "menu", "Menu", _menu_words(document, menu_key)
        case QueueForGroups(group_ids):
            label = "Groups" if len(group_ids) > 1 else "Group"
            return "group", label, _groups_words(group_ids, route, lookups)
        case Voicemail(group_ids):
            groups = _groups_words(group_ids, route, lookups)
            return "voicemail", "Voicemail", _words("for ", *groups.parts)
        case TransferToNumber(phone_number):
            if not phone_number.strip():
                return "phone_number", "Outside number", _words("No number filled in")
            return "phone_number", "Outside number", _words("Transfer to ", _name(phone_number))
        case TextBack(sms_text, sending_number_id):
            return "textback", "Text message", _text_words(sms_text, sending_number_id, lookups)
        case UnknownAction(name):
            words = _words("Zendesk's ", _name(name), ", kept as it is")
            return "unknown", "An action TalkAdmin cannot edit", words


def _menu_words(document: IvrDocument, menu_key: str | None) -> Words:
    if menu_key is None:
        return _words("No menu chosen")
    target = document.find_menu(menu_key)
    if target is None:
        return _words("A menu that no longer exists")
    return _words(_name(target.name or "(no name)"))


def _groups_words(group_ids: Sequence[int], route: Route, lookups: Lookups) -> Words:
    if not group_ids:
        return _words("no group chosen")
    names: list[str | Part] = []
    missing = 0
    for group_id in group_ids:
        group = lookups.groups.get(group_id)
        if group is None:
            missing += 1
            continue
        if names:
            names.append(", ")
        names.append(_name(group.name))
        if group.deleted:
            names.append(" (deleted in Zendesk)")
    if missing and not names and len(group_ids) == 1 and route.option_text:
        # Zendesk's own label, when it still had one, is better than nothing.
        return _words("the group ", _name(route.option_text), " (which no longer exists)")
    if missing:
        gone = "a group" if missing == 1 else f"{missing} groups"
        gone += " that no longer exists" if missing == 1 else " that no longer exist"
        names.append(f", and {gone}" if names else gone)
    return _words(*names)


def _text_words(sms_text: str, sending_number_id: int | None, lookups: Lookups) -> Words:
    sender: list[str | Part]
    if sending_number_id is None:
        sender = ["no number chosen to send it"]
    else:
        number = lookups.phone_numbers.get(sending_number_id)
        sender = _number_parts(number) if number else ["a number that no longer exists"]
    text = " ".join(sms_text.split())
    if not text:
        return _words("From ", *sender, ", with no text written yet")
    if len(text) > TEXT_SHOWN:
        text = text[: TEXT_SHOWN - 1].rstrip() + "…"
    return _words("From ", *sender, f": “{text}”")


def _number_parts(number: PhoneNumber) -> list[str | Part]:
    """A phone number as admins know it: its nickname, then the number itself."""
    shown = number.display_number or number.number
    if number.name and number.name not in (shown, number.number):
        return [_name(number.name), f" ({shown})"]
    return [_name(shown or number.name)]
