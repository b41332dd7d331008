"""A phone-number change set in words, for the audit pages: the catalogue's own words.

Registered for target type "phone_number" (numbers/apps.py), the way ivr/apps.py registers the
IVR's. Every setting an admin can change speaks as numbers.catalogue says it (its noun, its unit,
its choices), so a setting added there is described here too; what the catalogue does not hold
(the read-only facts of a number, and fields Zendesk derives from others) is listed below. The
order is the one an admin reads a change in: general, routing, recording, greetings, queue, ...
"""

from __future__ import annotations

from typing import Any

from audit.describe import FieldWords, GenericDescriber, Names, Render, choice, on_off, reference
from numbers.catalogue import SETTINGS, Kind, Setting

# The sections in the order a change reads best (the number's page groups them for editing).
SECTION_ORDER = (
    "general",
    "routing",
    "recording",
    "voicemail",
    "greetings",
    "queue",
    "after_call",
    "overflow",
    "text",
    "outbound",
)
# Zendesk's spelling of the consent modes other than "always" is unconfirmed: accept both.
CHOICE_SPELLINGS = {"opt_in": "opt-in", "opt_out": "opt-out"}
REFERENCES = {
    Kind.BRAND: "brand",
    Kind.GROUP: "group",
    Kind.GROUPS: "group",
    Kind.SCHEDULE: "schedule",
    Kind.IVR: "ivr",
    Kind.GREETING: "greeting",
    Kind.GREETINGS: "greeting",
}


def plain(value: Any, names: Names) -> str:
    return "none" if value is None else str(value)


def _counted(unit: str) -> Render:
    def render(value: Any, names: Names) -> str:
        return "none" if value is None else f"{value} {unit}"

    return render


def _choice_words(setting: Setting) -> Render:
    words = {value: said[0].lower() + said[1:] for value, said in setting.choices}
    for value, spelling in CHOICE_SPELLINGS.items():
        if value in words:
            words[spelling] = words[value]
    return choice(words)


def _render(setting: Setting) -> Render | None:
    """How a sentence says the setting's value; None: the describer's own (on/off, quoted)."""
    if setting.kind in REFERENCES:
        return reference(REFERENCES[setting.kind])
    if setting.kind is Kind.CHOICE:
        return _choice_words(setting)
    if setting.kind is Kind.COUNT:
        return _counted(setting.unit) if setting.unit else plain
    if setting.kind in (Kind.PHONE, Kind.LANGUAGE):
        return plain
    return None


def _setting_words() -> dict[str, FieldWords]:
    ordered = sorted(SETTINGS, key=lambda setting: SECTION_ORDER.index(setting.section))
    return {
        setting.dotted_path: FieldWords(setting.sentence_noun, _render(setting))
        for setting in ordered
    }


# What a number's JSON holds beyond the settings an admin changes.
FACTS: dict[str, FieldWords] = {
    "line_type": FieldWords("line type", choice({"phone": "phone", "digital": "digital"})),
    "settings.priority": FieldWords("priority", plain),  # sent with the field, equal to it
    "categorised_greetings.5": FieldWords("IVR greeting", reference("greeting")),
    "id": FieldWords("Zendesk id", plain),
    "number": FieldWords("number", plain),
    "display_number": FieldWords("displayed number", plain),
    "country_code": FieldWords("country", plain),
    "location": FieldWords("location", plain),
    "toll_free": FieldWords("toll-free"),
    "external": FieldWords("external caller id"),
    "created_at": FieldWords("creation date", plain),
    "capabilities.sms": FieldWords("SMS capability", on_off),
    "capabilities.mms": FieldWords("MMS capability", on_off),
    "capabilities.voice": FieldWords("voice capability", on_off),
    "capabilities.emergency_address": FieldWords("emergency address capability", on_off),
    # Derived by Zendesk from the fields above: they only repeat those changes.
    "name": FieldWords("name", hidden=True),  # the nickname, else the number
    "categorised_greetings_with_sub_settings": FieldWords("greeting details", hidden=True),
    "default_greeting_ids": FieldWords("default greetings", hidden=True),
    "token": FieldWords("provisioning token", hidden=True),  # a one-time handle
}

PHONE_NUMBER_WORDS: dict[str, FieldWords] = {**_setting_words(), **FACTS}

describe_phone_number_change = GenericDescriber(PHONE_NUMBER_WORDS, in_vocabulary_order=True)
