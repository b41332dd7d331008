"""Every setting of a phone number an admin can change, grouped as an admin thinks of them.

One Setting says where the value lives in Zendesk's phone-number JSON (a top-level field, a key
of its `settings` object, a greeting category, ...), what kind of value it is (which decides the
form field and its validation) and its words: its `label` in the form and on the number's page,
its `noun` where a sentence names it (the audit log: "Changed the maximum queue wait from 5
minutes to 10 minutes."), and the words of its choices, which read both as an option and in a
sentence. zendesk-phone-numbers.txt is the source: every writable field and every key of the
settings object is here, except `token` (written on create only) and `line_type` (shown: a
phone line does not become a digital one). numbers/audit_describer.py speaks from this.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from core import phone

# Zendesk's retention periods (zendesk-phone-numbers.txt, settings), in the admin's words. Choice
# words say the state, so they read as an option and, first letter lowered, in a sentence:
# "Changed the keeping of voicemails from deleted after 1 week to deleted after 1 month."
RETENTION_CHOICES = (
    ("never", "Kept forever"),
    ("1.days", "Deleted after 1 day"),
    ("1.weeks", "Deleted after 1 week"),
    ("2.weeks", "Deleted after 2 weeks"),
    ("1.months", "Deleted after 1 month"),
    ("2.months", "Deleted after 2 months"),
    ("3.months", "Deleted after 3 months"),
    ("6.months", "Deleted after 6 months"),
    ("1.years", "Deleted after 1 year"),
    ("2.years", "Deleted after 2 years"),
)
CONSENT_CHOICES = (
    ("always", "Always recorded, and callers are told"),
    ("opt_in", "Recorded only when the caller agrees (opt in: presses 3)"),
    ("opt_out", "Recorded unless the caller refuses (opt out: presses 3)"),
    ("never", "Recorded without asking callers"),
)
# Greeting category: (label, noun in a sentence).
GREETING_CATEGORIES = {
    "1": ("Voicemail greeting", "voicemail greeting"),
    "2": ("Available agents greeting", "available-agents greeting"),
    "3": ("Wait greeting (music in the queue)", "wait greeting"),
    "4": ("Hold greeting", "hold greeting"),
    "6": ("Callback greeting", "callback greeting"),
    "7": ("Callback confirmation greeting", "callback confirmation greeting"),
    "8": ("Recording notice, opt out", "recording opt-out greeting"),
    "9": ("Recording notice, opt in", "recording opt-in greeting"),
}  # 5 (IVR greetings) belongs to IVR menus, not to numbers
LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")


class Kind(StrEnum):
    ON_OFF = "on_off"
    TEXT = "text"  # the nickname
    CHOICE = "choice"  # one of `choices`
    COUNT = "count"  # a whole number from `low` to `high`
    PHONE = "phone"  # an E.164 number, or none (typed nationally: the number's country)
    BRAND = "brand"  # one of the account's brands (Support's brands endpoint)
    GROUP = "group"  # one group, or none
    GROUPS = "groups"  # several groups
    SCHEDULE = "schedule"
    IVR = "ivr"
    GREETING = "greeting"  # the greeting of one category (`category`)
    GREETINGS = "greetings"  # custom greetings
    LANGUAGE = "language"  # an ISO 639-1 code


@dataclass(frozen=True)
class Setting:
    """One setting: `key` names its form field; `path` finds it in Zendesk's JSON.

    `noun` names it in a sentence (default: the label, its first letter lowered); `unit`
    follows a count there ("10 minutes").
    """

    key: str
    label: str
    section: str
    kind: Kind
    path: tuple[str, ...]
    help: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    low: int | None = None
    high: int | None = None
    category: str = ""
    noun: str = ""
    unit: str = ""

    @property
    def sentence_noun(self) -> str:
        if self.noun:
            return self.noun
        # "Voicemail" is "voicemail" in a sentence; "IVR" stays "IVR".
        return self.label[0].lower() + self.label[1:] if self.label[1:2].islower() else self.label

    @property
    def dotted_path(self) -> str:
        """Where it is in Zendesk's JSON, as the audit log's field keys say it."""
        return ".".join(self.path)

    @property
    def in_settings(self) -> bool:
        return self.path[0] == "settings"

    def read(self, number: dict[str, Any]) -> Any:
        """The setting's value in a number's JSON, in the form's terms (None when absent)."""
        value: Any = number
        for part in self.path:
            value = value.get(part) if isinstance(value, dict) else None
        return normalise(self, value)


def normalise(setting: Setting, value: Any) -> Any:
    """A value as the form holds it, so loaded, submitted and re-read values compare equal."""
    if setting.kind is Kind.ON_OFF:
        return bool(value)
    if setting.kind in (Kind.GROUPS, Kind.GREETINGS):
        return sorted((str(item) for item in value or ()), key=_sort_key)
    if value in (None, ""):
        return None
    if setting.kind is Kind.PHONE:
        return phone.compact(str(value))
    if setting.kind is Kind.COUNT:
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    return str(value)


def _sort_key(item: str) -> tuple[int, str]:
    return (0, f"{int(item):020d}") if item.isdigit() else (1, item)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    intro: str


SECTIONS = (
    Section("general", "General", "How the number is named and weighed against other lines."),
    Section("routing", "Routing", "Who answers calls, and when the business is open."),
    Section("greetings", "Greetings", "What callers hear, by kind of greeting."),
    Section(
        "recording",
        "Recording and transcription",
        "Whether calls are recorded, whether callers are asked, and how long recordings stay.",
    ),
    Section("voicemail", "Voicemail", "Whether callers can leave a message."),
    Section("queue", "Queue", "What happens while callers wait for an agent."),
    Section("after_call", "After the call", "Time for agents after a call, and tickets."),
    Section(
        "overflow",
        "Overflow and failover",
        "Where calls go when nobody can take them, or when Zendesk cannot reach agents.",
    ),
    Section("text", "Text", "Text messages (SMS) to this number."),
    Section("outbound", "Outbound", "Calls agents make from this number."),
)
SECTIONS_BY_KEY = {section.key: section for section in SECTIONS}


def _s(key: str, label: str, section: str, kind: Kind, *path: str, **extra: Any) -> Setting:
    return Setting(key, label, section, kind, path or (key,), **extra)


SETTINGS: tuple[Setting, ...] = (
    # General
    _s("nickname", "Nickname", "general", Kind.TEXT,
       help="The name your team sees for this line. Leave empty to show the number."),
    _s("brand_id", "Brand", "general", Kind.BRAND,
       help="The Zendesk brand this line belongs to."),
    _s("priority", "Priority", "general", Kind.COUNT, low=0, high=10,
       help="0 to 10. Agents get calls to higher-priority lines first."),
    _s("voice_enabled", "Voice calls", "general", Kind.ON_OFF),
    # Routing
    _s("ivr_id", "IVR", "routing", Kind.IVR,
       help="A phone menu that answers calls first. None: calls go straight to the groups."),
    _s("group_ids", "Groups", "routing", Kind.GROUPS,
       help="The agents' groups that take calls to this number."),
    _s("default_group_id", "Default group", "routing", Kind.GROUP,
       help="The group tickets from this number go to."),
    _s("schedule_id", "Business hours", "routing", Kind.SCHEDULE, noun="business-hours schedule",
       help="The schedule that says when the business is open."),
    # Greetings
    *(
        _s(f"greeting_{category}", label, "greetings", Kind.GREETING,
           "categorised_greetings", category, category=category, noun=noun)
        for category, (label, noun) in GREETING_CATEGORIES.items()
    ),
    _s("greeting_ids", "Custom greetings used", "greetings", Kind.GREETINGS,
       noun="custom greetings", help="The account's own recordings this number uses."),
    # Recording and transcription
    _s("recorded", "Call recording", "recording", Kind.ON_OFF),
    _s("call_recording_consent", "Recording consent", "recording", Kind.CHOICE,
       choices=CONSENT_CHOICES),
    _s("transcription", "Voicemail transcription", "recording", Kind.ON_OFF),
    _s("call_recording_delete_after", "Call recordings", "recording", Kind.CHOICE,
       "settings", "call_recording_delete_after", choices=RETENTION_CHOICES,
       noun="keeping of call recordings"),
    _s("voicemail_recording_delete_after", "Voicemail recordings", "recording", Kind.CHOICE,
       "settings", "voicemail_recording_delete_after", choices=RETENTION_CHOICES,
       noun="keeping of voicemails"),
    # Voicemail
    _s("voicemail", "Voicemail", "voicemail", Kind.ON_OFF, "settings", "voicemail",
       help="Callers can leave a message when no agent is free."),
    _s("voicemail_outside_business_hours", "Voicemail outside business hours", "voicemail",
       Kind.ON_OFF, "settings", "voicemail_outside_business_hours"),
    # Queue
    _s("maximum_queue_size", "Most callers waiting", "queue", Kind.COUNT,
       "settings", "maximum_queue_size", low=1, high=50, noun="maximum queue size",
       unit="callers",
       help="1 to 50. Callers beyond this go to voicemail."),
    _s("maximum_queue_wait_time", "Longest wait (minutes)", "queue", Kind.COUNT,
       "settings", "maximum_queue_wait_time", low=1, high=60, noun="maximum queue wait",
       unit="minutes",
       help="1 to 60 minutes. After this, callers go to voicemail."),
    _s("call_offering_duration", "Time a call rings an agent (seconds)", "queue", Kind.COUNT,
       "settings", "call_offering_duration", low=5, high=600, help="5 to 600 seconds.",
       noun="time a call rings an agent", unit="seconds"),
    _s("average_wait_time_message_enabled", "Average wait message", "queue",
       Kind.ON_OFF, "settings", "average_wait_time_message_enabled",
       noun="average wait time message"),
    _s("callback_from_queue", "Callback from the queue", "queue", Kind.ON_OFF,
       "settings", "callback_from_queue", help="Callers in the queue press 2 for a callback."),
    _s("callback_locale", "Callback confirmation language", "queue", Kind.LANGUAGE,
       "settings", "callback_locale", help="A two-letter language code, such as en or es.",
       noun="callback language"),
    _s("dequeue_retry_if_attempted", "Leaving the queue after a retry", "queue", Kind.ON_OFF,
       "settings", "dequeue_retry_if_attempted"),
    # After the call
    _s("wrap_up_enabled", "Wrap-up time", "after_call", Kind.ON_OFF,
       "settings", "wrap_up_enabled",
       help="Agents get time after each call to finish the ticket."),
    _s("wrap_up_time_limit", "Wrap-up time limit (seconds)", "after_call", Kind.COUNT,
       "settings", "wrap_up_time_limit", low=0, high=3600, help="0 to 3600 seconds.",
       noun="wrap-up time limit", unit="seconds"),
    _s("create_ticket_for_abandoned_calls", "Tickets for abandoned calls", "after_call",
       Kind.ON_OFF, "settings", "create_ticket_for_abandoned_calls"),
    _s("post_call_voice_ai_enabled", "Post-call voice AI", "after_call", Kind.ON_OFF),
    _s("voice_qa_enabled", "Voice quality assurance", "after_call", Kind.ON_OFF),
    # Overflow and failover
    _s("overflow_enabled", "Overflow", "overflow", Kind.ON_OFF,
       "settings", "overflow_number", "enabled", noun="overflow number",
       help="Only used when voicemail is off."),
    _s("overflow_number", "Overflow number", "overflow", Kind.PHONE,
       "settings", "overflow_number", "number", noun="overflow phone number",
       help="Where calls go when no agent can take them, e.g. +14155550100."),
    _s("failover_number", "Failover number", "overflow", Kind.PHONE,
       help="Where calls go when Zendesk cannot reach your agents, e.g. +14155550100."),
    # Text
    _s("sms_enabled", "Text messages (SMS)", "text", Kind.ON_OFF, noun="SMS"),
    _s("sms_group_id", "Group for text messages", "text", Kind.GROUP, noun="SMS group"),
    # Outbound
    _s("outbound_enabled", "Outbound calls", "outbound", Kind.ON_OFF),
    _s("allow_outbound_calls", "Outbound calls in the call settings", "outbound",
       Kind.ON_OFF, "settings", "allow_outbound_calls", noun="outbound calling"),
)  # fmt: skip
SETTINGS_BY_KEY = {setting.key: setting for setting in SETTINGS}


def settings_of(section: str) -> tuple[Setting, ...]:
    return tuple(setting for setting in SETTINGS if setting.section == section)


def current_values(number: dict[str, Any], section: str) -> dict[str, Any]:
    """The section's values in a number's JSON, by setting key."""
    return {setting.key: setting.read(number) for setting in settings_of(section)}


def update_for(changes: dict[str, Any], number: dict[str, Any]) -> tuple[dict, dict]:
    """The (fields, settings) of the PUT that makes exactly these changes.

    Priority is both a field and a setting in Zendesk: both are sent, so they stay equal. The
    overflow number is one object: its two halves are sent together.
    """
    fields: dict[str, Any] = {}
    settings: dict[str, Any] = {}
    greetings: dict[str, Any] = {}
    for key, value in changes.items():
        setting = SETTINGS_BY_KEY[key]
        sent = _zendesk_value(setting, value)
        if setting.kind is Kind.GREETING:
            greetings[setting.category] = sent
        elif key in ("overflow_enabled", "overflow_number"):
            continue
        elif setting.in_settings:
            settings[setting.path[1]] = sent
        else:
            fields[key] = sent
    if "priority" in fields:
        settings["priority"] = fields["priority"]
    if greetings:
        fields["categorised_greetings"] = greetings
    if "overflow_enabled" in changes or "overflow_number" in changes:
        enabled = changes.get("overflow_enabled", SETTINGS_BY_KEY["overflow_enabled"].read(number))
        phone = changes.get("overflow_number", SETTINGS_BY_KEY["overflow_number"].read(number))
        settings["overflow_number"] = {"enabled": enabled, "number": phone}
    return fields, settings


def _zendesk_value(setting: Setting, value: Any) -> Any:
    if setting.kind in (Kind.GROUP, Kind.SCHEDULE, Kind.IVR, Kind.BRAND):
        return None if value is None else int(value)
    if setting.kind is Kind.GROUPS:
        return [int(item) for item in value]
    if setting.kind in (Kind.GREETINGS, Kind.GREETING):
        items = value if setting.kind is Kind.GREETINGS else [value]
        converted = [int(item) if str(item).isdigit() else item for item in items if item]
        if setting.kind is Kind.GREETING:
            return converted[0] if converted else None
        return converted
    return value
