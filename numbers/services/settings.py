"""The phone-number use cases the pages call.

`change_number_settings` sends one section's changed settings in one PUT, inside one audit
change set with the admin's reason, after re-reading the number to check that the fields being
changed still hold what the form was loaded with. Refusals that send nothing raise
SettingsConflict (someone changed the same field meanwhile) or a ValidationError keyed by the
form field. Zendesk refusing a value (a 422) is a ValidationError too, its words beside the
fields it names, once the change set recorded the refusal; Zendesk's other failures raise
talk.errors.TalkError after the change set recorded them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

import audit
import mirror.services as mirror
import talk
from audit.actor import Actor
from audit.models import ChangeSet
from audit.recording import ReasonRequired
from core import phone
from numbers.catalogue import SETTINGS_BY_KEY, Kind, current_values, update_for
from numbers.wording import Names, names_list, quoted, shown_value
from talk.errors import Invalid, TalkError, Unavailable


@dataclass(frozen=True)
class ConflictingSetting:
    """A setting the admin changed that someone else changed meanwhile in Zendesk."""

    key: str
    label: str
    loaded: Any  # what the form was opened with
    mine: Any  # what the admin submitted
    theirs: Any  # what Zendesk holds now
    mine_words: str
    theirs_words: str


class SettingsConflict(Exception):
    """Nothing was sent: `conflicts` changed in Zendesk since the form was loaded.

    `current` holds the section's values as Zendesk has them now, `changed` the keys the admin
    changed; the form is shown again with both values of each conflict.
    """

    def __init__(
        self,
        conflicts: tuple[ConflictingSetting, ...],
        current: dict[str, Any],
        changed: frozenset[str],
    ) -> None:
        super().__init__(", ".join(c.key for c in conflicts))
        self.conflicts = conflicts
        self.current = current
        self.changed = changed

    @property
    def user_message(self) -> str:
        labels = names_list([quoted(c.label) for c in self.conflicts])
        return (
            f"Someone changed {labels} on this number in Zendesk since you opened this form. "
            "Nothing was sent: choose which value to keep, then save again."
        )


@dataclass(frozen=True)
class SettingsSaved:
    number: dict[str, Any]  # the number as Zendesk now holds it, settings included
    change_set: ChangeSet | None  # None when nothing was changed (nothing sent)
    summary: str


def change_number_settings(
    *,
    number_id: int,
    section: str,
    submitted: dict[str, Any],
    loaded: dict[str, Any],
    names: Names,
    actor: Actor,
    reason: str,
    undo_of: int | None = None,
) -> SettingsSaved:
    """Send the settings of `section` whose `submitted` value differs from `loaded`.

    `undo_of`: this save undoes that change set (numbers.services.undo); its summary says so.

    `submitted` and `loaded` are in the form's terms (numbers.catalogue.normalise). The number
    is read again first: a changed setting whose value in Zendesk is no longer `loaded` (and
    not already what was submitted) raises SettingsConflict; the section's rules
    (check_section) raise ValidationError. Nothing is sent when nothing changed.
    """
    if not (reason or "").strip():
        raise ReasonRequired()
    client = talk.get_client()
    number = client.get_phone_number(number_id).raw
    mirror.record_phone_number(number, source="sync")  # the re-read refreshes the copy
    current = current_values(number, section)
    changes = {key: value for key, value in submitted.items() if value != loaded.get(key, value)}
    conflicts = tuple(
        ConflictingSetting(
            key=key,
            label=SETTINGS_BY_KEY[key].label,
            loaded=loaded.get(key),
            mine=value,
            theirs=current[key],
            mine_words=shown_value(SETTINGS_BY_KEY[key], value, names),
            theirs_words=shown_value(SETTINGS_BY_KEY[key], current[key], names),
        )
        for key, value in changes.items()
        if current[key] != loaded.get(key) and current[key] != value
    )
    if conflicts:
        raise SettingsConflict(conflicts, current, frozenset(changes))
    # Already what Zendesk holds (someone made the same change): nothing to send for those.
    changes = {key: value for key, value in changes.items() if current[key] != value}
    if not changes:
        return SettingsSaved(number=number, change_set=None, summary="")
    check_section(number, changes)
    fields, settings = update_for(changes, number)
    summary = settings_summary(number, changes, names)
    if undo_of is not None:
        summary = f"Undo of change #{undo_of}: {summary}"
    try:
        with audit.change_set(
            actor=actor,
            action=audit.Action.UPDATE_PHONE_NUMBER,
            target_type=audit.TargetType.PHONE_NUMBER,
            target_id=number_id,
            target_name=phone.short_label(**phone.label_parts(number)),
            reason=reason,
            summary=summary,
            before=number,
            names=names.for_audit(),
        ) as change:
            try:
                after = client.update_phone_number(number_id, fields, settings=settings).raw
            except Unavailable as error:
                after = _made_anyway(number_id, changes, error)
                change.confirm_write()
            change.set_after(after)
    except Invalid as refusal:
        # After the change set recorded the refusal: the form shows Zendesk's words in place.
        raise _refused_fields(refusal) from refusal
    mirror.record_phone_number(after)
    return SettingsSaved(number=after, change_set=change.change_set, summary=summary)


def _refused_fields(refusal: Invalid) -> ValidationError:
    """Zendesk's 422 beside the fields it names ("settings.voicemail" is the form's
    "voicemail"); one it does not place goes above the form."""
    found: dict[str, Any] = {}
    for field, texts in refusal.details.items():
        key = field.removeprefix("settings.")
        target = key if key in SETTINGS_BY_KEY else NON_FIELD_ERRORS
        found.setdefault(target, []).extend(f"Zendesk refused this: {text}" for text in texts)
    return ValidationError(found or {str(NON_FIELD_ERRORS): [refusal.user_message]})


def _made_anyway(number_id: int, changes: dict[str, Any], error: Unavailable) -> dict[str, Any]:
    """The number, when a PUT whose answer was lost did make the change; else raise `error`."""
    if not error.may_have_applied:
        raise error
    try:
        number = talk.get_client().get_phone_number(number_id).raw
    except TalkError:
        raise error from None
    if any(SETTINGS_BY_KEY[key].read(number) != value for key, value in changes.items()):
        raise error
    return number


def check_section(number: dict[str, Any], changes: dict[str, Any]) -> None:
    """Zendesk's rules that involve the number itself or another section, before sending.

    Raises ValidationError keyed by the form field.
    """
    after = {key: SETTINGS_BY_KEY[key].read(number) for key in SETTINGS_BY_KEY} | changes
    errors: dict[str, list[str]] = {}
    overflow_touched = "overflow_enabled" in changes or "overflow_number" in changes
    if overflow_touched and after["overflow_enabled"] and not after["overflow_number"]:
        errors["overflow_number"] = ["Enter the overflow number, or turn overflow off."]
    if (
        after["overflow_enabled"]
        and after["voicemail"]
        and ("overflow_enabled" in changes or "voicemail" in changes)
    ):
        key = "voicemail" if "voicemail" in changes else "overflow_enabled"
        errors[key] = [
            "An overflow number is only used when voicemail is off. Turn voicemail off "
            "(Voicemail) or the overflow number off (Overflow and failover) first."
        ]
    capabilities = number.get("capabilities") or {}
    if changes.get("sms_enabled") and capabilities.get("sms") is False:
        errors["sms_enabled"] = ["This number cannot receive text messages (it has no SMS)."]
    if changes.get("ivr_id") and number.get("line_type") == "digital":
        errors["ivr_id"] = ["This is a digital line, and Zendesk cannot play an IVR on it."]
    if errors:
        raise ValidationError(errors)


def settings_summary(number: dict[str, Any], changes: dict[str, Any], names: Names) -> str:
    """ "Turned call recording off on 'UK main line' (+44 20 7946 0321)." and the like."""
    parts = []
    for key, value in changes.items():
        setting = SETTINGS_BY_KEY[key]
        label = setting.label
        if label[1:2].islower():
            label = label[0].lower() + label[1:]
        if setting.kind is Kind.ON_OFF:
            parts.append(f"turned {label} {'on' if value else 'off'}")
        else:
            before = shown_value(setting, setting.read(number), names)
            after = shown_value(setting, value, names)
            parts.append(f"changed {label} from {before} to {after}")
    text = "; ".join(parts)
    return f"{text[0].upper()}{text[1:]} on {phone.full_label(**phone.label_parts(number))}."
