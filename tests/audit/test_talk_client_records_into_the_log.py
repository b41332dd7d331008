"""The real Talk client and the real audit log together: every call lands in the ledger, a write
before it is sent as well as with its answer."""

import copy

import pytest
from django.db import OperationalError

import audit
from audit.models import ApiCall, SentCall
from talk import get_client
from talk.errors import NotRecorded, Unavailable
from talk.recording import WriteOutsideChangeSet
from talk.transport import Transport

pytestmark = pytest.mark.django_db


def _open(actor, number):
    return audit.change_set(
        actor=actor,
        action=audit.Action.UPDATE_PHONE_NUMBER,
        target_type=audit.TargetType.PHONE_NUMBER,
        target_id=number["id"],
        target_name=number["nickname"],
        reason="Customers asked for recordings",
        summary="Turn call recording on",
        before=number,
    )


def _a_number(sandbox):
    return next(iter(sandbox.state.phone_numbers.values()))


def test_a_write_and_its_read_land_in_the_ledger_in_order(sandbox, ana):
    number = _a_number(sandbox)
    with _open(ana, number) as change:
        get_client().get_phone_number(number["id"])
        updated = get_client().update_phone_number(number["id"], {"recorded": True})
        change.set_after(updated.raw)
    recorded = change.change_set
    assert recorded.status == audit.Outcome.APPLIED
    calls = list(ApiCall.objects.filter(change_set=recorded).order_by("sequence"))
    assert [(c.method, c.status) for c in calls] == [("GET", 200), ("PUT", 200)]
    assert calls[1].request_body == {"phone_number": {"recorded": True}}
    assert sandbox.state.phone_numbers[number["id"]]["recorded"] is True


def test_a_failed_write_is_recorded_as_faithfully_as_a_success(sandbox, ana):
    number = _a_number(sandbox)
    sandbox.fail("PUT", "/api/v2/channels/voice/phone_numbers/*", status=503)
    with pytest.raises(Unavailable), _open(ana, number) as change:
        get_client().update_phone_number(number["id"], {"recorded": True})
    recorded = change.change_set
    assert recorded.status == audit.Outcome.FAILED
    (call,) = ApiCall.objects.filter(change_set=recorded)
    assert call.status == 503
    assert call.attempts > 1  # a PUT is retried before giving up
    assert call.error


def test_no_write_leaves_without_a_change_set(sandbox):
    number = _a_number(sandbox)
    before = len(sandbox.requests)
    with pytest.raises(WriteOutsideChangeSet):
        get_client().update_phone_number(number["id"], {"recorded": True})
    assert len(sandbox.requests) == before


def test_a_write_is_on_record_before_it_is_sent_and_a_read_only_with_its_answer(
    sandbox, ana, monkeypatch
):
    number = _a_number(sandbox)
    on_record_when_sent = []
    send = Transport._send

    def sending(self, method, path, *args, **kwargs):
        # What the ledger holds at the moment the request leaves for Zendesk.
        on_record_when_sent.append((method, list(SentCall.objects.values_list("method", "path"))))
        return send(self, method, path, *args, **kwargs)

    monkeypatch.setattr(Transport, "_send", sending)
    with _open(ana, number) as change:
        get_client().get_phone_number(number["id"])
        get_client().update_phone_number(number["id"], {"recorded": True})
    path = f"/api/v2/channels/voice/phone_numbers/{number['id']}?include=settings"
    assert on_record_when_sent == [("GET", []), ("PUT", [("PUT", path)])]
    (sent,) = SentCall.objects.filter(change_set=change.change_set)
    answer = ApiCall.objects.get(change_set=change.change_set, method="PUT")
    assert (sent.sequence, answer.sequence) == (2, 2)  # the answer is filed under the same call
    assert sent.request_body == {"phone_number": {"recorded": True}}
    assert sent.sent_at <= answer.recorded_at


def test_a_write_that_cannot_be_put_on_record_first_is_not_sent(sandbox, ana, monkeypatch):
    number = _a_number(sandbox)

    def database_down(self, call):
        raise OperationalError("connection to server lost")

    monkeypatch.setattr("audit.recording.OpenChangeSet.record_sending", database_down)
    before, as_it_was = len(sandbox.requests), copy.deepcopy(number)
    with pytest.raises(NotRecorded) as refusal, _open(ana, number) as change:
        get_client().update_phone_number(number["id"], {"recorded": True})
    assert len(sandbox.requests) == before  # nothing reached Zendesk
    assert sandbox.state.phone_numbers[number["id"]] == as_it_was
    assert "did not send it to Zendesk: nothing was changed" in refusal.value.user_message
    recorded = change.change_set
    assert recorded.status == audit.Outcome.FAILED
    assert recorded.outcome_row.error.startswith("TalkAdmin could not write this change")
    assert not ApiCall.objects.filter(change_set=recorded).exists()
