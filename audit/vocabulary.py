"""Plain-word labels for the fields of TalkAdmin's snapshots, and the built-in describers.

Field keys follow zendesk-phone-numbers.txt and zendesk-ivrs.txt. A key is a dotted path with
"[]" for a list of objects ("menus[].routes[].options.group_ids"); the describer uses the most
specific entry that matches the end of a changed field's path.
"""

from typing import Any

from audit.describe import (
    Describer,
    FieldWords,
    GenericDescriber,
    Names,
    choice,
    on_off,
    reference,
)

RETENTION_PERIODS = {
    "never": "kept forever",
    "1.days": "deleted after 1 day",
    "1.weeks": "deleted after 1 week",
    "2.weeks": "deleted after 2 weeks",
    "1.months": "deleted after 1 month",
    "2.months": "deleted after 2 months",
    "3.months": "deleted after 3 months",
    "6.months": "deleted after 6 months",
    "1.years": "deleted after 1 year",
    "2.years": "deleted after 2 years",
}
# Zendesk's spelling of the consent modes other than "always" is unconfirmed: accept both.
RECORDING_CONSENT = {
    "always": "always recorded",
    "opt_in": "recorded only when the caller opts in",
    "opt-in": "recorded only when the caller opts in",
    "opt_out": "recorded unless the caller opts out",
    "opt-out": "recorded unless the caller opts out",
    "never": "never recorded",
}
GREETING_CATEGORIES = {
    "1": "voicemail greeting",
    "2": "available-agents greeting",
    "3": "wait greeting",
    "4": "hold greeting",
    "5": "IVR greeting",
    "6": "callback greeting",
    "7": "callback confirmation greeting",
    "8": "recording opt-out greeting",
    "9": "recording opt-in greeting",
}


def plain(value: Any, names: Names) -> str:
    return "none" if value is None else str(value)


def seconds(value: Any, names: Names) -> str:
    return "none" if value is None else f"{value} seconds"


def minutes(value: Any, names: Names) -> str:
    return "none" if value is None else f"{value} minutes"


def callers(value: Any, names: Names) -> str:
    return "none" if value is None else f"{value} callers"


PHONE_NUMBER_WORDS: dict[str, FieldWords] = {
    # General
    "nickname": FieldWords("nickname"),
    "brand_id": FieldWords("brand", reference("brand")),
    "priority": FieldWords("priority", plain),
    "line_type": FieldWords("line type", choice({"phone": "phone", "digital": "digital"})),
    # Routing
    "ivr_id": FieldWords("IVR", reference("ivr")),
    "group_ids": FieldWords("groups", reference("group")),
    "default_group_id": FieldWords("default group", reference("group")),
    "schedule_id": FieldWords("business-hours schedule", reference("schedule")),
    # Recording and transcription
    "recorded": FieldWords("call recording"),
    "call_recording_consent": FieldWords("recording consent", choice(RECORDING_CONSENT)),
    "transcription": FieldWords("voicemail transcription"),
    "settings.call_recording_delete_after": FieldWords(
        "keeping of call recordings", choice(RETENTION_PERIODS)
    ),
    "settings.voicemail_recording_delete_after": FieldWords(
        "keeping of voicemails", choice(RETENTION_PERIODS)
    ),
    # Voicemail
    "settings.voicemail": FieldWords("voicemail"),
    "settings.voicemail_outside_business_hours": FieldWords("voicemail outside business hours"),
    # Greetings
    **{
        f"categorised_greetings.{category}": FieldWords(label, reference("greeting"))
        for category, label in GREETING_CATEGORIES.items()
    },
    "greeting_ids": FieldWords("custom greetings", reference("greeting")),
    # Queue
    "settings.maximum_queue_size": FieldWords("maximum queue size", callers),
    "settings.maximum_queue_wait_time": FieldWords("maximum queue wait", minutes),
    "settings.average_wait_time_message_enabled": FieldWords("average wait time message"),
    "settings.callback_from_queue": FieldWords("callback from the queue"),
    "settings.callback_locale": FieldWords("callback language", plain),
    "settings.dequeue_retry_if_attempted": FieldWords("leaving the queue after a retry"),
    "settings.call_offering_duration": FieldWords("time a call rings an agent", seconds),
    "settings.priority": FieldWords("priority", plain),
    # After the call
    "settings.wrap_up_enabled": FieldWords("wrap-up time"),
    "settings.wrap_up_time_limit": FieldWords("wrap-up time limit", seconds),
    "settings.create_ticket_for_abandoned_calls": FieldWords("tickets for abandoned calls"),
    # Overflow and failover
    "settings.overflow_number.enabled": FieldWords("overflow number"),
    "settings.overflow_number.number": FieldWords("overflow phone number", plain),
    "failover_number": FieldWords("failover number", plain),
    # Text
    "sms_enabled": FieldWords("SMS"),
    "sms_group_id": FieldWords("SMS group", reference("group")),
    # Outbound and other channels
    "outbound_enabled": FieldWords("outbound calls"),
    "settings.allow_outbound_calls": FieldWords("outbound calling"),
    "voice_enabled": FieldWords("voice calls"),
    "post_call_voice_ai_enabled": FieldWords("post-call voice AI"),
    "voice_qa_enabled": FieldWords("voice quality assurance"),
    # Read-only facts
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

ROUTE_ACTIONS = {
    "group": "a group",
    "voicemail": "voicemail",
    "phone_number": "an outside number",
    "textback": "a text message",
    "menu": "another menu",
}

# A starting point; the IVR engine registers its own describer for "ivr".
IVR_WORDS: dict[str, FieldWords] = {
    "menus[]": FieldWords("menu"),
    "routes[]": FieldWords("route"),
    "name": FieldWords("name"),
    "greeting_id": FieldWords("greeting", reference("greeting")),
    "default": FieldWords("first menu callers hear"),
    "keypress": FieldWords("key", plain),
    "action": FieldWords("destination type", choice(ROUTE_ACTIONS)),
    "options.group_ids": FieldWords("groups", reference("group")),
    "options.menu_id": FieldWords("menu it goes to", reference("menu")),
    "options.phone_number": FieldWords("outside number", plain),
    "options.sms_text": FieldWords("text message"),
    "options.sms_textstring": FieldWords("text message"),
    "options.textback_phone_number_id": FieldWords("sending number", reference("phone_number")),
    "options.tags": FieldWords("ticket tags"),
    "phone_number_ids": FieldWords("phone numbers using it", reference("phone_number")),
    # Read-only echoes Zendesk fills in from the fields above.
    "option_text": FieldWords("description", hidden=True),
    "greeting": FieldWords("greeting name", hidden=True),
    "phone_number_names": FieldWords("phone number names", hidden=True),
}

USER_WORDS: dict[str, FieldWords] = {
    "username": FieldWords("username"),
    "display_name": FieldWords("display name"),
    "email": FieldWords("email address"),
    "role": FieldWords("role", plain),
    "active": FieldWords("account status", choice({True: "active", False: "deactivated"})),
}

EXPORT_WORDS: dict[str, FieldWords] = {
    "format": FieldWords("file format", plain),
    "filters": FieldWords("filter", plain),
    "rows": FieldWords("number of change sets exported", plain),
    "up_to_change_set": FieldWords("newest change set included", lambda v, n: f"#{v}"),
}

BUILT_IN_DESCRIBERS: dict[str, Describer] = {
    "phone_number": GenericDescriber(PHONE_NUMBER_WORDS, in_vocabulary_order=True),
    "ivr": GenericDescriber(IVR_WORDS),
    "user": GenericDescriber(USER_WORDS, in_vocabulary_order=True),
    "audit_log": GenericDescriber(EXPORT_WORDS, in_vocabulary_order=True),
}
