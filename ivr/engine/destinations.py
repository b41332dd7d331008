"""Where a route sends the caller: one typed destination per Zendesk route action.

A route's `action` and `options` are read into one of these (`destination_from_options`) and
written back as Zendesk expects them (`destination_options`). A menu route's target is a menu
key of the document (see ivr.engine.document); it becomes `options.menu_id` only when sent.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True, slots=True)
class QueueForGroups:
    """Action `group`: the caller waits for an agent of these groups (the first is primary)."""

    group_ids: tuple[int, ...]
    action: ClassVar[str] = "group"


@dataclass(frozen=True, slots=True)
class Voicemail:
    """Action `voicemail`: the caller leaves a message; the ticket goes to the group."""

    group_ids: tuple[int, ...]
    action: ClassVar[str] = "voicemail"


@dataclass(frozen=True, slots=True)
class TransferToNumber:
    """Action `phone_number`: the call is passed to an outside number."""

    phone_number: str
    action: ClassVar[str] = "phone_number"


@dataclass(frozen=True, slots=True)
class TextBack:
    """Action `textback`: the caller gets a text message from one of the account's numbers."""

    sms_text: str
    sending_number_id: int | None
    action: ClassVar[str] = "textback"


@dataclass(frozen=True, slots=True)
class GoToMenu:
    """Action `menu`: the caller moves to another menu of the same IVR (None: no target set)."""

    menu_key: str | None
    action: ClassVar[str] = "menu"


@dataclass(frozen=True, slots=True)
class UnknownAction:
    """An action TalkAdmin does not know; kept as read so it can be shown and sent back."""

    name: str

    @property
    def action(self) -> str:
        return self.name


Destination = QueueForGroups | Voicemail | TransferToNumber | TextBack | GoToMenu | UnknownAction
ACTIONS = ("group", "voicemail", "phone_number", "textback", "menu")


def destination_from_options(
    action: str,
    options: Mapping[str, Any],
    target_of: Callable[[Mapping[str, Any]], str | None],
    target_field: str,
) -> tuple[Destination, set[str]]:
    """The destination, and which option keys it consumed."""
    match action:
        case "group":
            return QueueForGroups(integers(options.get("group_ids"))), {"group_ids"}
        case "voicemail":
            return Voicemail(integers(options.get("group_ids"))), {"group_ids"}
        case "phone_number":
            return TransferToNumber(str(options.get("phone_number") or "")), {"phone_number"}
        case "textback":
            # Older accounts spell the text `sms_textstring`; TalkAdmin writes `sms_text`.
            text = options.get("sms_text", options.get("sms_textstring"))
            sender = integer_or_none(options.get("textback_phone_number_id"))
            used = {"sms_text", "sms_textstring", "textback_phone_number_id"}
            return TextBack(str(text or ""), sender), used
        case "menu":
            return GoToMenu(target_of(options)), {target_field}
        case _:
            return UnknownAction(action), set()


def destination_options(destination: Destination, *, menu_id: int | str | None) -> dict[str, Any]:
    match destination:
        case QueueForGroups(group_ids) | Voicemail(group_ids):
            return {"group_ids": list(group_ids)}
        case TransferToNumber(phone_number):
            return {"phone_number": phone_number}
        case TextBack(sms_text, sending_number_id):
            return {"sms_text": sms_text, "textback_phone_number_id": sending_number_id}
        case GoToMenu():
            return {"menu_id": menu_id}
        case UnknownAction():
            return {}


def integer_or_none(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def integers(values: Any) -> tuple[int, ...]:
    if not isinstance(values, list | tuple):
        return ()
    return tuple(n for n in (integer_or_none(v) for v in values) if n is not None)
