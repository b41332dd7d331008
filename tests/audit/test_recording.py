"""A service records its change through `audit.change_set`: intent, API calls, outcome."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

import audit
from audit.chain import AuditWriteInsideTransaction
from audit.models import ApiCall, ChangeSet, ChangeSetOutcome
from talk.recording import active_recorder
from tests.audit.talk_calls import open_publish, talk_call

pytestmark = pytest.mark.django_db


class TalkDown(Exception):
    user_message = "Zendesk is not answering right now. Nothing was changed by this attempt."


def test_a_successful_publish_is_recorded_as_applied_with_who_what_and_calls(ana):
    with open_publish(ana) as change:
        talk_call("GET", "/api/v2/channels/voice/ivr/360001")
        talk_call(
            "PUT",
            "/api/v2/channels/voice/ivr/360001/menus/10/routes/7",
            request_body={"ivr_route": {"action": "group", "options": {"group_ids": [2]}}},
            zendesk_request_id="zd-abc",
            duration_ms=230,
            attempts=2,
        )
        change.add_names({"group": {2: "Tier 2"}})
        change.set_after({"id": 360001, "name": "Main line", "changed": True})
        change.set_summary("Changed route 2 of menu 'Billing' to group 'Tier 2'.")

    change_set = ChangeSet.objects.select_related("outcome_row").get(pk=change.change_set.pk)
    assert change_set.status == audit.Outcome.APPLIED
    assert change_set.status_label == "Applied"
    assert (change_set.actor_user_id, change_set.actor_label) == (41, "Ana Silva (ana)")
    assert (change_set.client_address, change_set.user_agent) == ("203.0.113.9", "Firefox")
    assert change_set.request_id == "req-ana-1"
    assert (change_set.target_type, change_set.target_id) == ("ivr", "360001")
    assert change_set.reason == "Billing moved to Tier 2"
    assert change_set.before == {"id": 360001, "name": "Main line"}
    assert change_set.after == {"id": 360001, "name": "Main line", "changed": True}
    assert change_set.final_summary == "Changed route 2 of menu 'Billing' to group 'Tier 2'."
    assert change_set.all_names == {"group": {"2": "Tier 2"}}
    assert change_set.created_at <= change_set.outcome_row.finished_at
    calls = list(change_set.api_calls.order_by("sequence"))
    assert [(c.sequence, c.method, c.status) for c in calls] == [(1, "GET", 200), (2, "PUT", 200)]
    put = calls[1]
    assert put.request_body == {"ivr_route": {"action": "group", "options": {"group_ids": [2]}}}
    assert (put.zendesk_request_id, put.duration_ms, put.attempts) == ("zd-abc", 230, 2)


def test_the_change_set_records_calls_only_while_it_is_open(ana):
    assert active_recorder() is None
    with open_publish(ana) as change:
        assert active_recorder() is change
    assert active_recorder() is None


def test_a_failure_before_any_write_is_recorded_as_failed_with_the_plain_message(ana):
    with pytest.raises(TalkDown), open_publish(ana) as change:
        talk_call("GET", "/api/v2/channels/voice/ivr/360001")
        talk_call("PUT", "/api/v2/channels/voice/ivr/360001", status=503, error="Service down")
        raise TalkDown("503 from Zendesk")
    change_set = ChangeSet.objects.get(pk=change.change_set.pk)
    assert change_set.status == audit.Outcome.FAILED
    assert change_set.outcome_row.error.startswith("Zendesk is not answering right now.")
    failed_call = change_set.api_calls.get(sequence=2)
    assert (failed_call.status, failed_call.error) == (503, "Service down")
    assert not failed_call.succeeded


def test_a_failure_after_a_successful_write_is_recorded_as_partly_applied(ana):
    with pytest.raises(TalkDown), open_publish(ana) as change:
        talk_call("POST", "/api/v2/channels/voice/ivr/360001/menus", status=201)
        change.set_summary("Applied: created menu 'Billing'. Not applied: route 2.")
        talk_call(
            "POST",
            "/api/v2/channels/voice/ivr/360001/menus/11/routes",
            status=None,
            error="Timed out after 10 s",
        )
        raise TalkDown("timeout")
    change_set = ChangeSet.objects.get(pk=change.change_set.pk)
    assert change_set.status == audit.Outcome.PARTLY_APPLIED
    assert change_set.final_summary == "Applied: created menu 'Billing'. Not applied: route 2."
    assert change_set.api_calls.count() == 2


def test_a_stopping_process_records_the_change_set_as_interrupted(ana):
    with pytest.raises(KeyboardInterrupt), open_publish(ana) as change:
        talk_call("PUT", "/api/v2/channels/voice/ivr/360001", status=200)
        raise KeyboardInterrupt
    assert ChangeSet.objects.get(pk=change.change_set.pk).status == audit.Outcome.INTERRUPTED


def test_a_change_to_a_live_line_without_a_reason_is_refused_before_anything_is_written(ana):
    with pytest.raises(ValidationError) as refused:
        open_publish(ana, reason="   ")
    assert "Say why you are making this change" in refused.value.message_dict["reason"][0]
    assert not ChangeSet.objects.exists()


def test_a_change_that_needs_no_reason_can_go_without(ana):
    with open_publish(ana, reason="", reason_required=False) as change:
        pass
    assert ChangeSet.objects.get(pk=change.change_set.pk).reason == ""


@pytest.mark.parametrize(
    ("override", "complaint"),
    [
        ({"action": "publish"}, "Unknown audit action"),
        ({"target_type": "menu"}, "Unknown audit target type"),
        ({"summary": " "}, "needs a summary"),
    ],
)
def test_programming_mistakes_are_refused_with_a_clear_message(ana, override, complaint):
    with pytest.raises(ValueError, match=complaint):
        open_publish(ana, **override)


def test_a_change_set_cannot_be_opened_inside_a_transaction(ana):
    with pytest.raises(AuditWriteInsideTransaction, match="outside any transaction"):  # noqa: SIM117
        with transaction.atomic():
            with open_publish(ana):
                pass
    assert not ChangeSet.objects.exists()


def test_record_event_writes_an_applied_change_set_at_once(ana):
    change_set = audit.record_event(
        actor=ana,
        action=audit.Action.SIGN_IN_THROTTLED,
        target_type=audit.TargetType.USER,
        target_id="bob",
        target_name="bob",
        summary="Sign-in for 'bob' paused for 15 minutes after 5 failed attempts",
    )
    assert ChangeSet.objects.get(pk=change_set.pk).status == audit.Outcome.APPLIED
    assert not ApiCall.objects.exists()


def test_every_row_is_stamped_by_the_database_clock(ana):
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        transaction_start = cursor.fetchone()[0]
    with open_publish(ana) as change:
        talk_call()
    change_set = ChangeSet.objects.get(pk=change.change_set.pk)
    call = change_set.api_calls.get()
    # Inside the test's transaction now() stands still while clock_timestamp() moves on.
    assert transaction_start <= change_set.created_at <= call.recorded_at
    assert call.recorded_at <= change_set.outcome_row.finished_at


@pytest.mark.django_db(transaction=True)
def test_the_intent_is_committed_before_the_first_api_call(ana):
    seen_from_elsewhere = []

    def look_from_another_connection(change_set_id):
        try:
            seen_from_elsewhere.append(ChangeSet.objects.filter(pk=change_set_id).exists())
        finally:
            connection.close()

    with open_publish(ana) as change:
        other = threading.Thread(target=look_from_another_connection, args=[change.change_set.pk])
        other.start()
        other.join()
        talk_call("PUT", "/api/v2/channels/voice/ivr/360001")
    assert seen_from_elsewhere == [True]


@pytest.mark.django_db(transaction=True)
def test_each_api_call_is_committed_as_it_happens(ana):
    with pytest.raises(TalkDown), open_publish(ana) as change:
        talk_call("POST", "/api/v2/channels/voice/ivr/360001/menus", status=201)
        raise TalkDown("boom")
    # Visible outside the block's connection state: committed rows, not a pending transaction.
    assert ApiCall.objects.filter(change_set_id=change.change_set.pk).count() == 1


def test_secrets_never_reach_the_log(ana, settings):
    settings.TALK_API_TOKEN = "zendesk-api-token-1234567890"
    with pytest.raises(TalkDown), open_publish(ana) as change:
        talk_call(
            "POST",
            "/api/v2/channels/voice/phone_numbers?api_token=zendesk-api-token-1234567890",
            request_body={
                "phone_number": {"token": "24a407cef67213be6d26b4c02d7d86c0"},
                "password": "hunter2-hunter2",
                "nested": [{"oauth_token": "abc"}, {"Authorization": "Basic eHl6"}],
                "note": "copied zendesk-api-token-1234567890 by mistake",
            },
            response_body={"refresh_token": "r-1", "phone_number": {"id": 7}},
            status=401,
            error="401 for token zendesk-api-token-1234567890",
        )
        raise TalkDown("Zendesk refused zendesk-api-token-1234567890")
    call = ApiCall.objects.get(change_set=change.change_set)
    assert call.request_body == {
        # The provisioning token is a number-reservation handle, not a credential.
        "phone_number": {"token": "24a407cef67213be6d26b4c02d7d86c0"},
        "password": "[masked]",
        "nested": [{"oauth_token": "[masked]"}, {"Authorization": "[masked]"}],
        "note": "copied [masked] by mistake",
    }
    assert call.response_body == {"refresh_token": "[masked]", "phone_number": {"id": 7}}
    assert call.path == "/api/v2/channels/voice/phone_numbers?api_token=[masked]"
    assert call.error == "401 for token [masked]"
    every_row = "".join(
        str(list(model.objects.values())) for model in (ChangeSet, ApiCall, ChangeSetOutcome)
    )
    assert "zendesk-api-token-1234567890" not in every_row
    assert "hunter2" not in every_row
