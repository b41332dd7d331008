"""A phone number in plain words: what happens to a call, shown values, and the warnings.

Pure functions of Zendesk's JSON for the number (settings included) and the names it refers
to; no I/O. The warnings are the interplays of TALK-API-NOTES.md ("Interplays worth a warning").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from numbers.catalogue import (
    CONSENT_CHOICES,
    RETENTION_CHOICES,
    SETTINGS_BY_KEY,
    Kind,
    Setting,
)


@dataclass(frozen=True)
class Names:
    """Names by id for what a number refers to (ids as text, as the forms hold them)."""

    groups: dict[str, str] = field(default_factory=dict)
    deleted_groups: frozenset[str] = frozenset()
    ivrs: dict[str, str] = field(default_factory=dict)
    schedules: dict[str, str] = field(default_factory=dict)
    brands: dict[str, str] = field(default_factory=dict)
    greetings: dict[str, str] = field(default_factory=dict)
    greeting_categories: dict[str, str] = field(default_factory=dict)  # greeting id -> category

    def for_audit(self) -> dict[str, dict[str, str]]:
        """The names an audit change set keeps, so its before/after reads in words."""
        return {
            "group": self.groups,
            "ivr": self.ivrs,
            "schedule": self.schedules,
            "brand": self.brands,
            "greeting": self.greetings,
        }


def quoted(name: str) -> str:
    return f"'{name}'"


def names_list(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _setting(number: dict[str, Any], key: str) -> Any:
    return SETTINGS_BY_KEY[key].read(number)


def _group_names(number: dict[str, Any], names: Names) -> list[str]:
    return [quoted(names.groups.get(str(g), f"#{g}")) for g in number.get("group_ids") or ()]


def call_summary(number: dict[str, Any], names: Names) -> list[str]:
    """Sentences saying what happens to a call to this number, in the order a caller meets it."""
    display = number.get("display_number") or number.get("number") or "this number"
    sentences: list[str] = []
    if number.get("voice_enabled") is False:
        sentences.append(f"{display} does not take voice calls.")
    else:
        ivr_id = number.get("ivr_id")
        groups = _group_names(number, names)
        if ivr_id:
            ivr = names.ivrs.get(str(ivr_id))
            target = f"the IVR {quoted(ivr)}" if ivr else "an IVR Zendesk no longer has"
            sentences.append(f"Calls to {display} go to {target}.")
        elif groups:
            word = "group" if len(groups) == 1 else "groups"
            sentences.append(f"Calls to {display} go to the {word} {names_list(groups)}.")
        else:
            sentences.append(f"Calls to {display} go to no group: any available agent answers.")
        sentences.append(_recording_sentence(number))
        sentences.extend(_when_busy_sentences(number, names))
    if number.get("sms_enabled"):
        group = names.groups.get(str(number.get("sms_group_id")))
        where = f" and go to the group {quoted(group)}" if group else ""
        sentences.append(f"Text messages to this number are received{where}.")
    return sentences


def _recording_sentence(number: dict[str, Any]) -> str:
    if not number.get("recorded"):
        return "Calls are not recorded."
    consent = number.get("call_recording_consent")
    return {
        "opt_in": "Calls are recorded only when the caller agrees.",
        "opt_out": "Calls are recorded unless the caller refuses.",
        "never": "Calls are recorded, and callers are not asked.",
    }.get(consent or "", "Calls are recorded and callers are told.")


def _when_busy_sentences(number: dict[str, Any], names: Names) -> list[str]:
    sentences = []
    transcribed = ", transcribed" if number.get("transcription") else ""
    voicemail = _setting(number, "voicemail")
    overflow_on = _setting(number, "overflow_enabled") and _setting(number, "overflow_number")
    if voicemail:
        sentences.append(f"When no agent is free, callers can leave a voicemail{transcribed}.")
    elif overflow_on:
        sentences.append(
            f"When no agent can take a call, it goes on to {_setting(number, 'overflow_number')}."
        )
    else:
        sentences.append("When no agent is free, callers wait in the queue; no voicemail.")
    if _setting(number, "callback_from_queue"):
        sentences.append("Callers waiting can ask to be called back.")
    schedule_id = number.get("schedule_id")
    if schedule_id:
        schedule = names.schedules.get(str(schedule_id), "a schedule Zendesk no longer has")
        outside = f"Outside business hours (schedule {quoted(schedule)})"
        if _setting(number, "voicemail_outside_business_hours"):
            sentences.append(f"{outside} callers can leave a voicemail{transcribed}.")
        else:
            sentences.append(f"{outside} callers cannot leave a voicemail.")
    return sentences


# --- Values in words ----------------------------------------------------------------------------

_CHOICE_WORDS = {
    "call_recording_consent": dict(CONSENT_CHOICES),
    "call_recording_delete_after": dict(RETENTION_CHOICES),
    "voicemail_recording_delete_after": dict(RETENTION_CHOICES),
}


def shown_value(setting: Setting, value: Any, names: Names) -> str:
    """A setting's value as the number page and the audit summary say it."""
    kind = setting.kind
    if kind is Kind.ON_OFF:
        return "on" if value else "off"
    if kind is Kind.GROUPS:
        return names_list([_group(names, v) for v in value]) if value else "none"
    if kind is Kind.GREETINGS:
        return names_list([_greeting(names, v) for v in value]) if value else "none"
    if value is None:
        return {
            Kind.GREETING: "Zendesk's default",
            Kind.IVR: "none: calls go straight to the groups",
        }.get(
            kind,
            "not set"
            if kind in (Kind.CHOICE, Kind.COUNT, Kind.TEXT, Kind.LANGUAGE, Kind.BRAND)
            else "none",
        )
    if kind is Kind.GROUP:
        return _group(names, value)
    if kind is Kind.IVR:
        return names.ivrs.get(str(value), f"an IVR Zendesk no longer has (#{value})")
    if kind is Kind.BRAND:
        return names.brands.get(str(value), f"a brand Zendesk no longer has (#{value})")
    if kind is Kind.SCHEDULE:
        return names.schedules.get(str(value), f"a schedule Zendesk no longer has (#{value})")
    if kind is Kind.GREETING:
        return _greeting(names, value)
    if kind is Kind.CHOICE:
        return _CHOICE_WORDS.get(setting.key, {}).get(str(value), str(value))
    return str(value)


def _group(names: Names, group_id: Any) -> str:
    name = names.groups.get(str(group_id))
    if name is None:
        return f"a group Zendesk no longer has (#{group_id})"
    return f"{name} (deleted)" if str(group_id) in names.deleted_groups else name


def _greeting(names: Names, greeting_id: Any) -> str:
    return names.greetings.get(
        str(greeting_id), f"a greeting Zendesk no longer has ({greeting_id})"
    )


# --- Warnings -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Interplay:
    section: str  # the settings section it is shown in
    text: str


def warnings(number: dict[str, Any]) -> list[Interplay]:
    """The documented interplays this number's settings run into (TALK-API-NOTES.md)."""
    found = []
    has_ivr = bool(number.get("ivr_id"))
    if has_ivr and _setting(number, "callback_from_queue"):
        found.append(
            Interplay(
                "queue",
                "An IVR answers this number, so Zendesk does not play the callback greeting: "
                "the IVR's greeting should tell callers to press 2 to be called back.",
            )
        )
    if (
        has_ivr
        and number.get("recorded")
        and number.get("call_recording_consent")
        in (
            "opt_in",
            "opt_out",
        )
    ):
        found.append(
            Interplay(
                "recording",
                "An IVR answers this number, so callers routed by it to a group do not hear the "
                "recording consent greeting: the IVR's greeting must tell them to press 3.",
            )
        )
    if _setting(number, "overflow_enabled") and _setting(number, "voicemail"):
        found.append(
            Interplay(
                "overflow",
                "The overflow number is only used when voicemail is off, and voicemail is on: "
                "calls never reach the overflow number.",
            )
        )
    if number.get("sms_enabled") and not number.get("sms_group_id"):
        found.append(
            Interplay("text", "Text messages are on but no group is chosen to receive them.")
        )
    return found
