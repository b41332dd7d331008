"""Plain-word labels for the fields of the audit log's own snapshots, and the built-in describers.

Users and exports are audit's own; IVRs have a starting point here that the IVR app replaces
with its own describer (ivr/apps.py), and phone numbers are described by the phone-number app
from its catalogue (numbers/apps.py, numbers/audit_describer.py). Field keys follow
zendesk-ivrs.txt. A key is a dotted path with "[]" for a list of objects
("menus[].routes[].options.group_ids"); the describer uses the most specific entry that matches
the end of a changed field's path.
"""

from typing import Any

from audit.describe import (
    Describer,
    FieldWords,
    GenericDescriber,
    Names,
    choice,
    reference,
)


def plain(value: Any, names: Names) -> str:
    return "none" if value is None else str(value)


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
    "ivr": GenericDescriber(IVR_WORDS),
    "user": GenericDescriber(USER_WORDS, in_vocabulary_order=True),
    "audit_log": GenericDescriber(EXPORT_WORDS, in_vocabulary_order=True),
}
