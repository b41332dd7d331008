"""Every call is reported to the audit log's recorder; no write happens outside a change set."""

import pytest

from talk.masking import MASK, mask_secrets
from talk.recording import WriteOutsideChangeSet
from tests.talk.recorder import change_set


def test_a_write_outside_a_change_set_is_refused_before_anything_is_sent(sandbox):
    ivr = sandbox.state.ivr_named("Holiday closure")
    for write in (
        lambda: sandbox.client.create_ivr(name="Sneaky"),
        lambda: sandbox.client.update_ivr(ivr["id"], name="Sneaky"),
        lambda: sandbox.client.delete_ivr(ivr["id"]),
        lambda: sandbox.client.update_phone_number(ivr["id"], {"nickname": "Sneaky"}),
    ):
        with pytest.raises(WriteOutsideChangeSet):
            write()
    assert sandbox.requests == []


def test_reads_need_no_change_set_and_are_recorded_inside_one(sandbox):
    assert sandbox.client.list_ivrs()  # allowed, and nobody to report to
    with change_set() as recorded:
        ivr = sandbox.client.get_ivr(sandbox.state.ivr_named("Holiday closure")["id"])
    (call,) = recorded.calls
    assert (call.method, call.path, call.status, call.attempts, call.error) == (
        "GET", f"/api/v2/channels/voice/ivr/{ivr.id}", 200, 1, "",
    )  # fmt: skip
    assert call.request_body is None
    assert call.response_body == {"ivr": ivr.to_json()}
    assert call.zendesk_request_id.startswith("sandbox-")
    assert call.duration_ms >= 0


def test_a_failed_write_is_recorded_with_what_zendesk_said(sandbox):
    main = sandbox.state.ivr_named("Main support line")
    menu = sandbox.state.default_menu(main["id"])
    with change_set() as recorded, pytest.raises(Exception, match="RecordInvalid"):
        sandbox.client.create_route(
            main["id"], menu["id"], keypress="1", action="group", options={"group_ids": [1]}
        )
    (call,) = recorded.calls
    assert call.status == 422
    assert call.request_body == {
        "ivr_route": {"keypress": "1", "action": "group", "options": {"group_ids": [1]}}
    }
    assert call.response_body["error"] == "RecordInvalid"
    assert call.error.startswith("422 RecordInvalid")
    assert "keypress" in call.error


def test_a_call_that_got_no_answer_is_recorded_without_a_status(sandbox):
    sandbox.time_out("PUT", "*")  # every attempt, first and retries
    number = sandbox.state.number_named("UK Freephone")
    with change_set() as recorded, pytest.raises(Exception, match="did not answer in time"):
        sandbox.client.update_phone_number(number["id"], {"nickname": "Freephone"})
    (call,) = recorded.calls
    assert (call.status, call.attempts, call.zendesk_request_id) == (None, 4, "")
    assert call.error == "no answer: Zendesk did not answer in time"


def test_secrets_in_bodies_are_masked_but_a_number_reservation_token_is_kept():
    body = {
        "phone_number": {"token": "24a407cef67213be6d26b4c02d7d86c0", "nickname": "Main"},
        "phone_numbers": [{"token": "reservation", "number": "+1"}],
        "address_sid": "AD123",
        "settings": {"api_key": "k", "webhook": {"password": "p", "secret_value": "s"}},
        "access_token": "oauth",
        "Authorization": "Basic abc",
        "token": "bare token is a credential",
        "empty_password": "",
    }
    assert mask_secrets(body) == {
        "phone_number": {"token": "24a407cef67213be6d26b4c02d7d86c0", "nickname": "Main"},
        "phone_numbers": [{"token": "reservation", "number": "+1"}],
        "address_sid": "AD123",
        "settings": {"api_key": MASK, "webhook": {"password": MASK, "secret_value": MASK}},
        "access_token": MASK,
        "Authorization": MASK,
        "token": MASK,
        "empty_password": "",
    }


def test_the_recorded_request_body_is_masked(sandbox):
    number = sandbox.state.number_named("UK Freephone")
    with change_set() as recorded:
        sandbox.client.transport.request(
            "PUT",
            f"/api/v2/channels/voice/phone_numbers/{number['id']}",
            body={"phone_number": {"nickname": "Freephone", "api_token": "do-not-keep"}},
        )
    assert recorded.calls[0].request_body == {
        "phone_number": {"nickname": "Freephone", "api_token": MASK}
    }
    # Zendesk received the real body: masking is for the record only.
    assert sandbox.requests[-1].body["phone_number"]["api_token"] == "do-not-keep"
