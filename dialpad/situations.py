"""Dialpad's custom IVR types, the situations in which a target plays a recording, in words.

`IvrType` holds every `ivr_type` of Dialpad's custom IVR endpoints (the enum of
../shared/talk-api/dialpad-custom-ivrs.txt and of Dialpad's OpenAPI description, 67 values).
`describe(ivr_type)` gives the words an admin reads and the group a page shows it in.

Only some meanings are documented: Dialpad's "Custom IVR Types" page
(developers.dialpad.com/docs/custom-ivr-types) describes GREETING to CSAT_PREAMBLE; the others are
worded from their names, and `Situation.documented` says which is which, so a page never passes
a guess off as Dialpad's word.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class IvrType(StrEnum):
    """Every `ivr_type` Dialpad documents, in the document's spelling."""

    ASK_FIRST_OPERATOR_NOT_AVAILABLE = "ASK_FIRST_OPERATOR_NOT_AVAILABLE"
    AUTO_RECORDING = "AUTO_RECORDING"
    CALLAI_AUTO_RECORDING = "CALLAI_AUTO_RECORDING"
    CG_AUTO_RECORDING = "CG_AUTO_RECORDING"
    CLOSED = "CLOSED"
    CLOSED_DEPARTMENT_INTRO = "CLOSED_DEPARTMENT_INTRO"
    CLOSED_MENU = "CLOSED_MENU"
    CLOSED_MENU_OPTION = "CLOSED_MENU_OPTION"
    CSAT_INTRO = "CSAT_INTRO"
    CSAT_OUTRO = "CSAT_OUTRO"
    CSAT_PREAMBLE = "CSAT_PREAMBLE"
    CSAT_QUESTION = "CSAT_QUESTION"
    DEPARTMENT_INTRO = "DEPARTMENT_INTRO"
    GREETING = "GREETING"
    HOLD_AGENT_READY = "HOLD_AGENT_READY"
    HOLD_APPREC = "HOLD_APPREC"
    HOLD_CALLBACK_ACCEPT = "HOLD_CALLBACK_ACCEPT"
    HOLD_CALLBACK_ACCEPTED = "HOLD_CALLBACK_ACCEPTED"
    HOLD_CALLBACK_CONFIRM = "HOLD_CALLBACK_CONFIRM"
    HOLD_CALLBACK_CONFIRM_NUMBER = "HOLD_CALLBACK_CONFIRM_NUMBER"
    HOLD_CALLBACK_DIFFERENT_NUMBER = "HOLD_CALLBACK_DIFFERENT_NUMBER"
    HOLD_CALLBACK_DIRECT = "HOLD_CALLBACK_DIRECT"
    HOLD_CALLBACK_FULFILLED = "HOLD_CALLBACK_FULFILLED"
    HOLD_CALLBACK_INVALID_NUMBER = "HOLD_CALLBACK_INVALID_NUMBER"
    HOLD_CALLBACK_KEYPAD = "HOLD_CALLBACK_KEYPAD"
    HOLD_CALLBACK_REJECT = "HOLD_CALLBACK_REJECT"
    HOLD_CALLBACK_REJECTED = "HOLD_CALLBACK_REJECTED"
    HOLD_CALLBACK_REQUEST = "HOLD_CALLBACK_REQUEST"
    HOLD_CALLBACK_REQUESTED = "HOLD_CALLBACK_REQUESTED"
    HOLD_CALLBACK_SAME_NUMBER = "HOLD_CALLBACK_SAME_NUMBER"
    HOLD_CALLBACK_TRY_AGAIN = "HOLD_CALLBACK_TRY_AGAIN"
    HOLD_CALLBACK_UNDIALABLE = "HOLD_CALLBACK_UNDIALABLE"
    HOLD_ESCAPE_VM_EIGHT = "HOLD_ESCAPE_VM_EIGHT"
    HOLD_ESCAPE_VM_FIVE = "HOLD_ESCAPE_VM_FIVE"
    HOLD_ESCAPE_VM_FOUR = "HOLD_ESCAPE_VM_FOUR"
    HOLD_ESCAPE_VM_NINE = "HOLD_ESCAPE_VM_NINE"
    HOLD_ESCAPE_VM_ONE = "HOLD_ESCAPE_VM_ONE"
    HOLD_ESCAPE_VM_POUND = "HOLD_ESCAPE_VM_POUND"
    HOLD_ESCAPE_VM_SEVEN = "HOLD_ESCAPE_VM_SEVEN"
    HOLD_ESCAPE_VM_SIX = "HOLD_ESCAPE_VM_SIX"
    HOLD_ESCAPE_VM_STAR = "HOLD_ESCAPE_VM_STAR"
    HOLD_ESCAPE_VM_TEN = "HOLD_ESCAPE_VM_TEN"
    HOLD_ESCAPE_VM_THREE = "HOLD_ESCAPE_VM_THREE"
    HOLD_ESCAPE_VM_TWO = "HOLD_ESCAPE_VM_TWO"
    HOLD_ESCAPE_VM_ZERO = "HOLD_ESCAPE_VM_ZERO"
    HOLD_INTERRUPT = "HOLD_INTERRUPT"
    HOLD_INTRO = "HOLD_INTRO"
    HOLD_MUSIC = "HOLD_MUSIC"
    HOLD_POSITION_EIGHT = "HOLD_POSITION_EIGHT"
    HOLD_POSITION_FIVE = "HOLD_POSITION_FIVE"
    HOLD_POSITION_FOUR = "HOLD_POSITION_FOUR"
    HOLD_POSITION_MORE = "HOLD_POSITION_MORE"
    HOLD_POSITION_NINE = "HOLD_POSITION_NINE"
    HOLD_POSITION_ONE = "HOLD_POSITION_ONE"
    HOLD_POSITION_SEVEN = "HOLD_POSITION_SEVEN"
    HOLD_POSITION_SIX = "HOLD_POSITION_SIX"
    HOLD_POSITION_TEN = "HOLD_POSITION_TEN"
    HOLD_POSITION_THREE = "HOLD_POSITION_THREE"
    HOLD_POSITION_TWO = "HOLD_POSITION_TWO"
    HOLD_POSITION_ZERO = "HOLD_POSITION_ZERO"
    HOLD_WAIT = "HOLD_WAIT"
    MENU = "MENU"
    MENU_OPTION = "MENU_OPTION"
    NEXT_TARGET = "NEXT_TARGET"
    VM_DROP_MESSAGE = "VM_DROP_MESSAGE"
    VM_UNAVAILABLE = "VM_UNAVAILABLE"
    VM_UNAVAILABLE_CLOSED = "VM_UNAVAILABLE_CLOSED"


class Group(StrEnum):
    """How pages group the situations, in the order a caller meets them."""

    OPEN = "When open"
    CLOSED = "When closed"
    QUEUE = "While callers wait in the queue"
    POSITION = "Announcing the caller's place in the queue"
    ESCAPE = "Offering voicemail instead of waiting"
    CALLBACK = "Offering a callback"
    RECORDING = "Call recording notices"
    SURVEY = "Satisfaction survey after the call"
    OTHER = "Other messages"


@dataclass(frozen=True)
class Situation:
    """One ivr_type in words: `words` for the admin, `documented` when Dialpad's "Custom IVR
    Types" page describes it (else the words come from its name)."""

    ivr_type: IvrType
    group: Group
    words: str
    documented: bool


_NUMBERS = ("ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE", "TEN")
_KEYS = {**{name: str(n) for n, name in enumerate(_NUMBERS)}, "STAR": "*", "POUND": "#"}

_DOCUMENTED: dict[IvrType, tuple[Group, str]] = {
    IvrType.DEPARTMENT_INTRO: (Group.OPEN, "Welcome, when open"),
    IvrType.MENU: (Group.OPEN, "The menu callers hear when open (“press 1 for …”)"),
    IvrType.MENU_OPTION: (Group.OPEN, "After a caller presses a key, when open"),
    IvrType.GREETING: (Group.OPEN, "Voicemail greeting, when open"),
    IvrType.VM_UNAVAILABLE: (Group.OPEN, "When nobody can take the call, when open"),
    IvrType.CLOSED_DEPARTMENT_INTRO: (Group.CLOSED, "Welcome, when closed"),
    IvrType.CLOSED_MENU: (Group.CLOSED, "The menu callers hear when closed"),
    IvrType.CLOSED_MENU_OPTION: (Group.CLOSED, "After a caller presses a key, when closed"),
    IvrType.CLOSED: (Group.CLOSED, "When closed: the voicemail greeting"),
    IvrType.VM_UNAVAILABLE_CLOSED: (Group.CLOSED, "When nobody can take the call, when closed"),
    IvrType.AUTO_RECORDING: (Group.RECORDING, "Call recording notice (call centres)"),
    IvrType.CG_AUTO_RECORDING: (Group.RECORDING, "Call recording notice (coaching groups)"),
    IvrType.CSAT_PREAMBLE: (Group.SURVEY, "Telling callers a short survey follows the call"),
    IvrType.CSAT_QUESTION: (Group.SURVEY, "The survey question: how satisfied were they"),
    IvrType.NEXT_TARGET: (Group.OTHER, "When the call is passed on to another team or person"),
    IvrType.VM_DROP_MESSAGE: (Group.OTHER, "A user's pre-recorded voicemail drop message"),
}

_FROM_NAMES: dict[IvrType, tuple[Group, str]] = {
    IvrType.HOLD_INTRO: (Group.QUEUE, "When a caller joins the queue"),
    IvrType.HOLD_MUSIC: (Group.QUEUE, "Music while callers wait"),
    IvrType.HOLD_WAIT: (Group.QUEUE, "Asking callers to keep holding"),
    IvrType.HOLD_APPREC: (Group.QUEUE, "Thanking callers for their patience"),
    IvrType.HOLD_INTERRUPT: (Group.QUEUE, "A message that interrupts the music"),
    IvrType.HOLD_AGENT_READY: (Group.QUEUE, "When someone is about to answer"),
    IvrType.ASK_FIRST_OPERATOR_NOT_AVAILABLE: (
        Group.OTHER,
        "When the first person tried is not available",
    ),
    IvrType.CALLAI_AUTO_RECORDING: (Group.RECORDING, "Call recording notice (Dialpad Ai)"),
    IvrType.CSAT_INTRO: (Group.SURVEY, "The survey's introduction"),
    IvrType.CSAT_OUTRO: (Group.SURVEY, "Thanking callers at the end of the survey"),
    IvrType.HOLD_POSITION_MORE: (Group.POSITION, "Announcing a place past 10 in the queue"),
    IvrType.HOLD_CALLBACK_REQUEST: (Group.CALLBACK, "Offering to call the caller back"),
    IvrType.HOLD_CALLBACK_DIRECT: (Group.CALLBACK, "Offering a callback straight away"),
    IvrType.HOLD_CALLBACK_KEYPAD: (Group.CALLBACK, "Asking for the number on the keypad"),
    IvrType.HOLD_CALLBACK_SAME_NUMBER: (Group.CALLBACK, "Offering to call back this number"),
    IvrType.HOLD_CALLBACK_DIFFERENT_NUMBER: (Group.CALLBACK, "Offering another number"),
    IvrType.HOLD_CALLBACK_CONFIRM_NUMBER: (Group.CALLBACK, "Reading the number back"),
    IvrType.HOLD_CALLBACK_CONFIRM: (Group.CALLBACK, "Asking the caller to confirm"),
    IvrType.HOLD_CALLBACK_ACCEPT: (Group.CALLBACK, "How to accept the callback"),
    IvrType.HOLD_CALLBACK_ACCEPTED: (Group.CALLBACK, "The callback is booked"),
    IvrType.HOLD_CALLBACK_REJECT: (Group.CALLBACK, "How to decline the callback"),
    IvrType.HOLD_CALLBACK_REJECTED: (Group.CALLBACK, "The callback was declined"),
    IvrType.HOLD_CALLBACK_REQUESTED: (Group.CALLBACK, "A callback was already requested"),
    IvrType.HOLD_CALLBACK_FULFILLED: (Group.CALLBACK, "When the callback is made"),
    IvrType.HOLD_CALLBACK_INVALID_NUMBER: (Group.CALLBACK, "The number is not valid"),
    IvrType.HOLD_CALLBACK_UNDIALABLE: (Group.CALLBACK, "The number cannot be dialled"),
    IvrType.HOLD_CALLBACK_TRY_AGAIN: (Group.CALLBACK, "Asking the caller to try again"),
}


def _numbered(ivr_type: IvrType) -> tuple[Group, str] | None:
    name = ivr_type.value
    if name.startswith("HOLD_POSITION_") and name[14:] in _NUMBERS:
        return Group.POSITION, f"Announcing place {_NUMBERS.index(name[14:])} in the queue"
    if name.startswith("HOLD_ESCAPE_VM_") and name[15:] in _KEYS:
        key = _KEYS[name[15:]]
        return Group.ESCAPE, f"Offering voicemail: press {key} to leave a message"
    return None


def describe(ivr_type: IvrType | str) -> Situation:
    """The situation an ivr_type names, in words (ValueError for a value Dialpad lacks)."""
    kind = IvrType(ivr_type)
    if kind in _DOCUMENTED:
        group, words = _DOCUMENTED[kind]
        return Situation(kind, group, words, documented=True)
    found = _FROM_NAMES.get(kind) or _numbered(kind)
    if found is None:  # every member is worded: a test keeps it so
        raise ValueError(f"no words for {kind}")
    return Situation(kind, found[0], found[1], documented=False)


def _rank(kind: IvrType) -> float:
    """Where a situation comes within its group: as listed above; places and keys by number."""
    name = kind.value
    for prefix in ("HOLD_POSITION_", "HOLD_ESCAPE_VM_"):
        if name.startswith(prefix) and name[len(prefix) :] in _KEYS:
            return list(_KEYS).index(name[len(prefix) :])
    if kind is IvrType.HOLD_POSITION_MORE:
        return len(_KEYS)
    listed = [*_DOCUMENTED, *_FROM_NAMES]
    return listed.index(kind)


def situations() -> list[Situation]:
    """Every situation, grouped in Group's order, then in the order a caller meets them."""
    return sorted(
        (describe(kind) for kind in IvrType),
        key=lambda s: (list(Group).index(s.group), _rank(s.ivr_type)),
    )
