"""Phone-number endpoints: list, show, update (settings too), search, provision, release."""

from __future__ import annotations

import re
from typing import Any

from sandbox.demo_numbers import NEEDS_BUSINESS_VERIFICATION
from sandbox.http import Answer, ApiError, Request, invalid, not_found, offset_page
from sandbox.ivrs import E164
from sandbox.render import phone_number_json
from sandbox.state import SandboxState

BOOLEAN_FIELDS = (
    "recorded", "transcription", "outbound_enabled", "sms_enabled", "voice_enabled",
    "post_call_voice_ai_enabled", "voice_qa_enabled",
)  # fmt: skip
ID_FIELDS = ("brand_id", "default_group_id", "sms_group_id")
CONSENT_VALUES = ("always", "never", "opt_in", "opt_out")
RETENTION = (
    "never", "1.days", "1.weeks", "2.weeks", "1.months", "2.months", "3.months", "6.months",
    "1.years", "2.years",
)  # fmt: skip
BOOLEAN_SETTINGS = (
    "allow_outbound_calls", "average_wait_time_message_enabled", "callback_from_queue",
    "create_ticket_for_abandoned_calls", "dequeue_retry_if_attempted", "voicemail",
    "voicemail_outside_business_hours", "wrap_up_enabled",
)  # fmt: skip
COUNT_SETTINGS = {
    "call_offering_duration": (5, 600),
    "maximum_queue_size": (1, 50),
    "maximum_queue_wait_time": (1, 60),
    "priority": (0, 10),
    "wrap_up_time_limit": (0, 3600),
}
KEYPAD = {**dict.fromkeys("abc", "2"), **dict.fromkeys("def", "3"), **dict.fromkeys("ghi", "4"),
          **dict.fromkeys("jkl", "5"), **dict.fromkeys("mno", "6"), **dict.fromkeys("pqrs", "7"),
          **dict.fromkeys("tuv", "8"), **dict.fromkeys("wxyz", "9")}  # fmt: skip


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(state: SandboxState, number_id: int) -> dict[str, Any]:
    number = state.phone_numbers.get(number_id)
    if number is None:
        raise not_found()
    return number


def list_phone_numbers(state: SandboxState, request: Request) -> Answer:
    minimal = request.flag("minimal_mode")
    numbers = [
        phone_number_json(number, minimal=minimal)
        for number in sorted(state.phone_numbers.values(), key=lambda n: n["id"])
    ]
    return Answer(200, offset_page(request, numbers, "phone_numbers"))


def _includes_settings(request: Request) -> bool:
    return "settings" in request.query.get("include", "").split(",")


def show_phone_number(state: SandboxState, request: Request, number_id: int) -> Answer:
    number = _number(state, number_id)
    shown = phone_number_json(number, settings=_includes_settings(request))
    return Answer(200, {"phone_number": shown})


def update_phone_number(state: SandboxState, request: Request, number_id: int) -> Answer:
    number = _number(state, number_id)
    fields = request.envelope("phone_number")
    changes = _field_changes(state, number, fields)
    # Settings are only read with ?include=settings, as Zendesk documents.
    settings = fields.get("settings") if _includes_settings(request) else None
    setting_changes = _setting_changes(settings) if settings is not None else {}
    number.update(changes)
    number["settings"].update(setting_changes)
    number["name"] = number.get("nickname") or number["display_number"]
    shown = phone_number_json(number, settings=_includes_settings(request))
    return Answer(200, {"phone_number": shown})


def _field_changes(
    state: SandboxState, number: dict[str, Any], fields: dict[str, Any]
) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in BOOLEAN_FIELDS:
        if name in fields:
            if isinstance(fields[name], bool):
                changes[name] = fields[name]
            else:
                errors[name] = "must be true or false"
    for name in ID_FIELDS:
        if name in fields:
            if fields[name] is None or _is_int(fields[name]):
                changes[name] = fields[name]
            else:
                errors[name] = "must be an id"
    if "priority" in fields:
        if _is_int(fields["priority"]) and 0 <= fields["priority"] <= 10:
            changes["priority"] = fields["priority"]
        else:
            errors["priority"] = "must be a whole number from 0 to 10"
    if "nickname" in fields:
        nickname = fields["nickname"]
        if nickname is None or (isinstance(nickname, str) and len(nickname) <= 255):
            changes["nickname"] = nickname.strip() if nickname else None
        else:
            errors["nickname"] = "must be text of at most 255 characters"
    if "call_recording_consent" in fields:
        if fields["call_recording_consent"] in CONSENT_VALUES:
            changes["call_recording_consent"] = fields["call_recording_consent"]
        else:
            errors["call_recording_consent"] = f"must be one of {', '.join(CONSENT_VALUES)}"
    if "failover_number" in fields:
        failover = fields["failover_number"]
        if failover is None or (isinstance(failover, str) and E164.match(failover)):
            changes["failover_number"] = failover
        else:
            errors["failover_number"] = "must be a phone number in international format"
    if "group_ids" in fields:
        group_ids = fields["group_ids"]
        if isinstance(group_ids, list) and all(_is_int(g) for g in group_ids):
            changes["group_ids"] = group_ids
        else:
            errors["group_ids"] = "must be a list of group ids"
    if "greeting_ids" in fields:
        greeting_ids = fields["greeting_ids"]
        if isinstance(greeting_ids, list) and all(g in state.greetings for g in greeting_ids):
            changes["greeting_ids"] = greeting_ids
        else:
            errors["greeting_ids"] = "must be ids of existing greetings"
    if "categorised_greetings" in fields:
        chosen = fields["categorised_greetings"]
        if isinstance(chosen, dict):
            changes["categorised_greetings"] = {**number["categorised_greetings"], **chosen}
        else:
            errors["categorised_greetings"] = "must map greeting categories to greetings"
    if "ivr_id" in fields:
        ivr_id = fields["ivr_id"]
        if ivr_id is not None and ivr_id not in state.ivrs:
            errors["ivr_id"] = "must be the id of an IVR of this account"
        elif ivr_id is not None and number.get("line_type") == "digital":
            errors["ivr_id"] = "an IVR cannot answer a digital line"
        else:
            changes["ivr_id"] = ivr_id
    if "schedule_id" in fields:
        schedule_id = fields["schedule_id"]
        if schedule_id is None or schedule_id in state.schedules:
            changes["schedule_id"] = schedule_id
        else:
            errors["schedule_id"] = "must be the id of a schedule of this account"
    if changes.get("sms_enabled") and not number["capabilities"].get("sms"):
        errors["sms_enabled"] = "this number cannot send text messages"
    if errors:
        raise invalid(errors)  # type: ignore[arg-type]
    return changes


def _setting_changes(settings: Any) -> dict[str, Any]:
    if not isinstance(settings, dict):
        raise invalid({"settings": "must be an object"})
    changes: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, value in settings.items():
        key = f"settings.{name}"
        if name in BOOLEAN_SETTINGS:
            if isinstance(value, bool):
                changes[name] = value
            else:
                errors[key] = "must be true or false"
        elif name in COUNT_SETTINGS:
            low, high = COUNT_SETTINGS[name]
            if _is_int(value) and low <= value <= high:
                changes[name] = value
            else:
                errors[key] = f"must be a whole number from {low} to {high}"
        elif name in ("call_recording_delete_after", "voicemail_recording_delete_after"):
            if value in RETENTION:
                changes[name] = value
            else:
                errors[key] = f"must be one of {', '.join(RETENTION)}"
        elif name == "callback_locale":
            if isinstance(value, str) and re.fullmatch(r"[a-z]{2}", value):
                changes[name] = value
            else:
                errors[key] = "must be a two-letter language code such as en"
        elif name == "overflow_number":
            problem = _overflow_problem(value)
            if problem:
                errors[key] = problem
            else:
                changes[name] = {"enabled": value["enabled"], "number": value.get("number")}
        # Unknown settings are ignored, as Zendesk ignores fields it does not know.
    if errors:
        raise invalid(errors)  # type: ignore[arg-type]
    return changes


def _overflow_problem(value: Any) -> str | None:
    if not isinstance(value, dict) or not isinstance(value.get("enabled"), bool):
        return 'must be {"enabled": true or false, "number": "+..."}'
    number = value.get("number")
    if value["enabled"] and not (isinstance(number, str) and E164.match(number)):
        return "needs a phone number in international format when enabled"
    if number is not None and not (isinstance(number, str) and E164.match(number)):
        return "must be a phone number in international format"
    return None


def search_available(state: SandboxState, request: Request) -> Answer:
    country = request.query.get("country", "").upper()
    if not country:
        raise ApiError(Answer.text(400, "Bad Request: param is missing: country"))
    area_code = request.query.get("area_code", "")
    contains = request.query.get("contains", "")
    if contains and not re.fullmatch(r"[0-9a-zA-Z*]+", contains):
        raise invalid({"contains": "may only hold digits, letters and *"})
    toll_free = request.query.get("toll_free", "").lower()
    matches = [
        {key: value for key, value in available.items() if key != NEEDS_BUSINESS_VERIFICATION}
        for available in state.available_numbers
        if available["country_code"] == country
        and (not area_code or _area_code(available) == area_code)
        and (toll_free not in ("true", "false") or available["toll_free"] == (toll_free == "true"))
        and (not contains or _contains(available["number"], contains))
    ]
    return Answer(200, offset_page(request, matches, "phone_numbers"))


def _area_code(available: dict[str, Any]) -> str:
    number = available["number"]
    return number[2:5] if number.startswith("+1") else ""


def _contains(number: str, pattern: str) -> bool:
    digits = "".join(KEYPAD.get(char.lower(), char) for char in pattern)
    regex = re.escape(digits).replace(r"\*", r"\d")
    return re.search(regex, number[1:]) is not None


def create_phone_number(state: SandboxState, request: Request) -> Answer:
    body = request.json()
    fields = request.envelope("phone_number")
    token = fields.get("token")
    available = next((a for a in state.available_numbers if a["token"] == token), None)
    if available is None:
        raise invalid({"token": "is not a number available to you (search again: tokens expire)"})
    if available.get(NEEDS_BUSINESS_VERIFICATION):
        # Zendesk documents that the API cannot create these; its exact answer is unconfirmed.
        raise invalid(
            {
                "base": "This number requires a verified business. Phone numbers that need "
                "business verification cannot be created through the API; use Admin Center."
            }
        )
    requirement = available.get("address_requirements", "none")
    address_sid = body.get("address_sid") if isinstance(body, dict) else None
    if requirement != "none":
        address = next(
            (a for a in state.addresses.values() if a.get("provider_reference") == address_sid),
            None,
        )
        if address is None:
            raise invalid(
                {"address_sid": "this number needs the address_sid of a registered address"}
            )
        if requirement == "local" and address["country_code"] != available["country_code"]:
            raise invalid(
                {"address_sid": f"this number needs an address in {available['country_code']}"}
            )
        if requirement == "foreign" and address["country_code"] == available["country_code"]:
            raise invalid({"address_sid": "this number needs an address outside its country"})
    state.available_numbers.remove(available)
    number = state.add_phone_number(
        number=available["number"],
        display_number=available["display_number"],
        country_code=available["country_code"],
        location=available.get("location", ""),
        toll_free=available["toll_free"],
        capabilities={"emergency_address": False, **available.get("capabilities", {})},
    )
    # The documents show 200 (not 201) for this create.
    return Answer(200, {"phone_number": phone_number_json(number)})


def delete_phone_number(state: SandboxState, request: Request, number_id: int) -> Answer:
    _number(state, number_id)
    del state.phone_numbers[number_id]
    return Answer(200, None)
