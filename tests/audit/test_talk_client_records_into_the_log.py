"""The real Talk client and the real audit log together: every call lands in the ledger."""

import pytest

import audit
from audit.models import ApiCall
from talk import get_client
from talk.errors import Unavailable
from talk.recording import WriteOutsideChangeSet

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
