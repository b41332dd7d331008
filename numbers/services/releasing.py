"""Releasing a phone number: what would stop working, then the audited release.

    preview = release_preview(number_id)          # what routes to it, in sentences
    release_number(number_id=..., confirm_digits="+44 20 7946 0874", actor=..., reason=...)

Releasing gives the number back to Zendesk's supplier: calls to it stop reaching the account and
it may not be had again. So the admin first sees what depends on it (the IVR that answers it, the
groups its calls go to, IVR keys that transfer callers to it or send texts from it, numbers that
fail over to it) and types its digits to confirm.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

import audit
import mirror.services as mirror
import talk
from audit.actor import Actor
from audit.models import ChangeSet
from audit.recording import ReasonRequired
from core import phone
from core.parallel import in_parallel
from talk.errors import NotFound, TalkError, Unavailable
from talk.resources import Ivr, PhoneNumber


@dataclass(frozen=True)
class ReleasePreview:
    """A number about to be released, and what routes to it, in plain sentences."""

    number: PhoneNumber
    answered_by: list[str] = field(default_factory=list)  # how calls to it are answered
    depends_on_it: list[str] = field(default_factory=list)  # what elsewhere stops working
    names: dict[str, dict[int, str]] = field(default_factory=dict)  # for the audit log

    @property
    def label(self) -> str:
        return number_label(self.number)


def number_label(number: PhoneNumber) -> str:
    """ "UK main line (+44 20 7946 0874)", or the number alone when it has no nickname: a name,
    unquoted, as the audit log keeps it and the release page's title shows it."""
    label = phone.full_label(
        nickname=number.nickname,
        number=number.number,
        display_number=number.display_number,
        name=number.name,
        quote=False,
    )
    return label or f"number {number.id}"


def release_preview(number_id: int) -> ReleasePreview:
    """The number and what routes to it, read from Zendesk now (NotFound when it is gone)."""
    client = talk.get_client()
    found = in_parallel(
        number=lambda: client.get_phone_number(number_id),
        ivrs=client.list_ivrs,
        numbers=client.list_phone_numbers,
        lookups=lambda: client.load_lookups("groups", "schedules"),
    )
    number: PhoneNumber = found["number"]
    lookups = found["lookups"]
    answered_by: list[str] = []
    names: dict[str, dict[int, str]] = {"group": {}, "ivr": {}, "phone_number": {}}

    ivrs: list[Ivr] = found["ivrs"]
    answering = [i for i in ivrs if i.id == number.ivr_id or number.id in i.phone_number_ids]
    for ivr in answering:
        answered_by.append(f"Calls to it are answered by the IVR '{ivr.name}'.")
        if ivr.id is not None:
            names["ivr"][ivr.id] = ivr.name or ""
    group_names = []
    for group_id in number.group_ids:
        name = lookups.group_name(group_id)
        group_names.append(f"'{name}'" if name else "a group that no longer exists")
        if name:
            names["group"][group_id] = name
    if group_names:
        groups = ", ".join(group_names)
        answered_by.append(f"Its calls are queued for the group{_s(group_names)} {groups}.")
    if number.default_group_id and number.default_group_id not in number.group_ids:
        name = lookups.group_name(number.default_group_id)
        if name:
            answered_by.append(f"Its tickets go to the group '{name}' by default.")
            names["group"][number.default_group_id] = name
    if number.sms_enabled and number.sms_group_id:
        name = lookups.group_name(number.sms_group_id)
        if name:
            answered_by.append(f"Texts to it go to the group '{name}'.")
            names["group"][number.sms_group_id] = name
    if number.schedule_id:
        name = lookups.schedule_name(number.schedule_id)
        if name:
            answered_by.append(f"It follows the business hours '{name}'.")
    if not answered_by:
        answered_by.append("No IVR or group answers it: calls to it reach no one in particular.")

    depends_on_it = _references(number, ivrs, found["numbers"], names)
    if number.id is not None:
        names["phone_number"][number.id] = number_label(number)
    return ReleasePreview(
        number=number,
        answered_by=answered_by,
        depends_on_it=depends_on_it,
        names={kind: entries for kind, entries in names.items() if entries},
    )


def _references(
    number: PhoneNumber,
    ivrs: list[Ivr],
    numbers: list[PhoneNumber],
    names: dict[str, dict[Any, str]],
) -> list[str]:
    """Sentences for every IVR key and other number that uses this number."""
    found = []
    for ivr in ivrs:
        for menu in ivr.menus:
            for route in menu.routes:
                key = "the default key" if route.keypress == "default" else f"key {route.keypress}"
                where = f"In the IVR '{ivr.name}', menu '{menu.name}', {key}"
                if route.action == "phone_number" and phone.numbers_match(
                    route.phone_number, number.number
                ):
                    found.append(f"{where} transfers callers to this number.")
                    names["ivr"][ivr.id] = ivr.name or ""
                if route.action == "textback" and route.textback_phone_number_id == number.id:
                    found.append(f"{where} sends its text message from this number.")
                    names["ivr"][ivr.id] = ivr.name or ""
    for other in numbers:
        if other.id != number.id and phone.numbers_match(other.failover_number, number.number):
            found.append(f"The number {number_label(other)} fails over to this number.")
            names["phone_number"][other.id] = number_label(other)
    return found


def _s(items: list[Any]) -> str:
    return "s" if len(items) != 1 else ""


def release_number(*, number_id: int, confirm_digits: str, actor: Actor, reason: str) -> ChangeSet:
    """Release the number from the account, once the admin has typed its digits.

    Refusals that send nothing: ReasonRequired, ValidationError on "confirm_digits" (the digits
    differ). Zendesk's failures raise talk.errors.TalkError after the change set recorded them.
    """
    if not (reason or "").strip():
        raise ReasonRequired()
    preview = release_preview(number_id)
    number = preview.number
    if not phone.numbers_match(confirm_digits, number.number):
        shown = number.display_number or number.number
        raise ValidationError(
            {
                "confirm_digits": [
                    f"Type this number, {shown}, to confirm that it should be released (with or "
                    "without its country code; spaces and dashes do not matter). "
                    "Nothing was changed."
                ]
            }
        )
    consequences = " ".join(preview.answered_by + preview.depends_on_it)
    with audit.change_set(
        actor=actor,
        action=audit.Action.RELEASE_PHONE_NUMBER,
        target_type=audit.TargetType.PHONE_NUMBER,
        target_id=number.id,
        target_name=preview.label,
        reason=reason,
        summary=f"Release the number {preview.label} from the account. Until now: {consequences}",
        before=number.raw,
        names=preview.names,
    ) as change:
        released = f"Released the number {preview.label}."
        try:
            talk.get_client().delete_phone_number(number_id)
        except NotFound:
            # A retried DELETE whose first answer was lost meets a number already gone.
            change.confirm_write()
            released += (
                " Zendesk answered that it was already gone: the release went through before "
                "its answer was lost, or someone released it at the same moment."
            )
        except Unavailable as error:
            if not (error.may_have_applied and _gone(number_id)):
                raise
            change.confirm_write()
            released += " Zendesk's answer was lost; reading the number again found it gone."
        change.set_after(None)
        change.set_summary(f"{released} Until now: {consequences}")
    mirror.forget(mirror.PHONE_NUMBERS, number_id)
    return change.change_set


def _gone(number_id: int) -> bool:
    try:
        talk.get_client().get_phone_number(number_id, include=())
    except NotFound:
        return True
    except TalkError:
        return False
    return False
