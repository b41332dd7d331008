"""The real Yeastar client and the real audit log together: every PBX call lands in the
ledger, without its access token, and a delete (a GET on a Yeastar PBX) counts as a write."""

import json

import pytest

import audit
from audit.models import ApiCall
from yeastar.errors import Invalid

pytestmark = pytest.mark.django_db


def _open(actor):
    return audit.change_set(
        actor=actor,
        action=audit.Action.PUBLISH_IVR,
        target_type=audit.TargetType.IVR,
        target_id=3,
        target_name="Customer support",
        reason="Holiday season",
        summary="Publish 2 changes to the Yeastar IVR 'Customer support'",
    )


def test_reads_and_writes_land_in_the_ledger_without_the_token(yeastar_sandbox, ana):
    client = yeastar_sandbox.client
    with _open(ana) as change:
        client.get_ivr(5)
        client.update_ivr(3, changes={"name": "Support"})
        client.delete_ivr(6)
    recorded = change.change_set
    assert recorded.status == audit.Outcome.APPLIED
    calls = list(ApiCall.objects.filter(change_set=recorded).order_by("sequence"))
    assert [(c.method, c.path, c.status) for c in calls] == [
        ("GET", "/openapi/v1.0/ivr/get?id=5", 200),
        ("POST", "/openapi/v1.0/ivr/update", 200),
        ("GET", "/openapi/v1.0/ivr/delete?id=6", 200),
    ]
    assert calls[1].request_body == {"id": 3, "name": "Support"}
    assert calls[0].response_body["data"]["prompt_manger_password"] == "[masked]"
    stored = json.dumps([[c.path, c.request_body, c.response_body, c.error] for c in calls])
    assert "access_token" not in stored and "get_token" not in stored


def test_a_failure_after_a_delete_is_partly_applied_because_the_delete_was_a_write(
    yeastar_sandbox, ana
):
    client = yeastar_sandbox.client
    with pytest.raises(Invalid), _open(ana) as change:
        client.delete_ivr(6)
        client.update_ivr(3, changes={"resp_timeout": 30})
    recorded = change.change_set
    assert recorded.status == audit.Outcome.PARTLY_APPLIED
    failed = ApiCall.objects.get(change_set=recorded, sequence=2)
    assert failed.error.startswith("200 errcode 40002 PARAMETER ERROR")
    assert "Seconds to wait for a key" in recorded.outcome_row.error


def test_a_token_renewed_mid_change_is_one_call_with_two_attempts(yeastar_sandbox, ana):
    client = yeastar_sandbox.client
    client.get_ivr(3)
    yeastar_sandbox.app.tokens.expire_access_tokens()
    with _open(ana) as change:
        client.update_ivr(3, changes={"name": "Support"})
    (call,) = ApiCall.objects.filter(change_set=change.change_set)
    assert (call.method, call.attempts, call.status, call.error) == ("POST", 2, 200, "")
