"""Bad input in a settings form: a message beside the field, nothing sent, nothing lost."""

from __future__ import annotations

import pytest

from audit.models import ChangeSet
from tests.numbers.forms import form_values, open_form, page, submit, text

pytestmark = pytest.mark.django_db

BILLING = "US Billing Direct"

# (number, section, changes, field with the message, words of the message)
BAD_INPUT = [
    (BILLING, "general", {"priority": "11"}, "priority", "from 0 to 10"),
    (BILLING, "general", {"priority": "high"}, "priority", "from 0 to 10"),
    (BILLING, "general", {"priority": ""}, "priority", "from 0 to 10"),
    (BILLING, "general", {"nickname": "x" * 256}, "nickname", "Keep it to 255 characters"),
    (BILLING, "general", {"brand_id": "acme"}, "brand_id", "Choose one of the options"),
    (BILLING, "queue", {"maximum_queue_size": "0"}, "maximum_queue_size", "from 1 to 50"),
    (BILLING, "queue", {"maximum_queue_size": "51"}, "maximum_queue_size", "from 1 to 50"),
    (BILLING, "queue", {"maximum_queue_wait_time": "2.5"}, "maximum_queue_wait_time", "whole"),
    (BILLING, "queue", {"call_offering_duration": "601"}, "call_offering_duration", "to 600"),
    (BILLING, "queue", {"callback_locale": "English"}, "callback_locale", "two letters"),
    (BILLING, "queue", {"callback_locale": "EN"}, "callback_locale", "two-letter"),
    (BILLING, "after_call", {"wrap_up_time_limit": "-1"}, "wrap_up_time_limit", "0 to 3600"),
    (BILLING, "overflow", {"failover_number": "555-0100"}, "failover_number", "international"),
    (BILLING, "overflow", {"failover_number": "+0123"}, "failover_number", "international"),
    (BILLING, "recording", {"call_recording_consent": "maybe"}, "call_recording_consent",
     "Choose one of the options"),
    (BILLING, "recording", {"call_recording_delete_after": "5.years"},
     "call_recording_delete_after", "Choose one of the options"),
    (BILLING, "routing", {"group_ids": ["987654"]}, "group_ids", "Choose groups from the list"),
    (BILLING, "routing", {"ivr_id": "987654"}, "ivr_id", "Choose one of the options"),
    (BILLING, "text", {"sms_group_id": "987654"}, "sms_group_id", "Choose one of the options"),
    (BILLING, "greetings", {"greeting_1": "hold_en"}, "greeting_1", "Choose one of the options"),
    # Zendesk's rules that involve the number or another section
    ("US VIP Accounts", "overflow", {"overflow_number": ""}, "overflow_number",
     "Enter the overflow number"),
    (BILLING, "overflow", {"overflow_enabled": True, "overflow_number": "+12125550100"},
     "overflow_enabled", "only used when voicemail is off"),
    ("US VIP Accounts", "voicemail", {"voicemail": True}, "voicemail",
     "only used when voicemail is off"),
    ("UK Freephone", "text", {"sms_enabled": True}, "sms_enabled", "cannot receive text"),
    (BILLING, "recording", {"recorded": True, "reason": ""}, "reason", "Say why"),
]  # fmt: skip


def _field_errors(response, key: str) -> str:
    element = page(response).select_one(f"#id_{key}_error") or page(response).find(
        "fieldset", class_="field-invalid"
    )
    assert element is not None, f"no message beside {key}: {text(page(response))[:1500]}"
    return text(element)


@pytest.mark.parametrize(
    ("number_name", "section", "changes", "field", "words"),
    BAD_INPUT,
    ids=[f"{case[1]}-{case[3]}-{index}" for index, case in enumerate(BAD_INPUT)],
)
def test_bad_input_shows_a_message_by_the_field_and_sends_nothing(
    as_editor, sandbox, number_name, section, changes, field, words
):
    number = sandbox.state.number_named(number_name)
    form = open_form(as_editor, number["id"], section)
    sandbox.clear_requests()
    changes = dict(changes)
    reason = changes.pop("reason", "Customer asked for it")

    response = submit(
        as_editor, number["id"], section, changes, loaded_from=form, reason=reason or None
    )

    assert response.status_code == 422
    assert words in _field_errors(response, field)
    assert sandbox.requests_to("PUT") == []
    assert not ChangeSet.objects.filter(action="update_phone_number").exists()
    kept = form_values(response)
    typed = {
        key: value
        for key, value in changes.items()
        if page(response).select_one(f"input[name={key}]") is not None
    }
    for key, value in typed.items():
        if isinstance(value, str) and len(value) <= 255:
            assert kept.get(key, "") == value, f"{key} lost what was typed"


def test_bad_input_comes_back_in_place_for_htmx(as_editor, sandbox):
    number = sandbox.state.number_named(BILLING)

    response = submit(as_editor, number["id"], "general", {"priority": "99"}, htmx=True)

    assert response.status_code == 422
    section = page(response).select_one("section#section-general")
    assert "from 0 to 10" in text(section)
    assert form_values(response)["priority"] == "99"


def test_a_tampered_form_is_refused(as_editor, sandbox):
    number = sandbox.state.number_named(BILLING)
    form = open_form(as_editor, number["id"], "queue")
    sandbox.clear_requests()

    response = submit(
        as_editor, number["id"], "queue", {"loaded": "forged", "maximum_queue_size": "9"},
        loaded_from=form,
    )  # fmt: skip

    assert response.status_code == 422
    assert "Reload the page" in text(page(response))
    assert sandbox.requests_to("PUT") == []


def test_an_ivr_cannot_answer_a_digital_line(as_editor, sandbox):
    digital = sandbox.state.add_phone_number(
        number="+14155550190", display_number="+1 (415) 555-0190", nickname="Web calls",
        line_type="digital",
    )  # fmt: skip
    ivr = sandbox.state.ivr_named("Sales & orders")
    sandbox.clear_requests()

    response = submit(as_editor, digital["id"], "routing", {"ivr_id": str(ivr["id"])})

    assert response.status_code == 422
    assert "digital line" in _field_errors(response, "ivr_id")
    assert sandbox.requests_to("PUT") == []


def test_a_value_zendesk_holds_outside_the_range_does_not_block_other_changes(as_editor, sandbox):
    number = sandbox.state.number_named(BILLING)
    number["settings"]["maximum_queue_size"] = 80  # set in Zendesk, beyond TalkAdmin's range
    sandbox.clear_requests()

    response = submit(as_editor, number["id"], "queue", {"maximum_queue_wait_time": "15"})

    assert response.status_code == 302
    (put,) = sandbox.requests_to("PUT")
    assert put.body == {"phone_number": {"settings": {"maximum_queue_wait_time": 15}}}


def test_a_choice_zendesk_holds_that_the_list_lacks_is_kept(as_editor, sandbox):
    number = sandbox.state.number_named(BILLING)
    number["call_recording_consent"] = "opt-in"  # Zendesk's spelling is not documented
    sandbox.clear_requests()

    response = submit(as_editor, number["id"], "recording", {"recorded": True})

    assert response.status_code == 302
    (put,) = sandbox.requests_to("PUT")
    assert put.body == {"phone_number": {"recorded": True}}


def test_a_language_zendesk_holds_in_another_form_is_kept(as_editor, sandbox):
    number = sandbox.state.number_named(BILLING)
    number["settings"]["callback_locale"] = "pt-BR"
    sandbox.clear_requests()

    response = submit(as_editor, number["id"], "queue", {"maximum_queue_size": "12"})

    assert response.status_code == 302
    (put,) = sandbox.requests_to("PUT")
    assert put.body == {"phone_number": {"settings": {"maximum_queue_size": 12}}}
