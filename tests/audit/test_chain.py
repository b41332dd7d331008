"""The hash chain proves the log was not altered, and names the first row that was."""

import itertools
import threading
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from audit.chain import GENESIS_HASH, chain_head
from audit.models import CHAINED_MODELS, ApiCall, ChangeSet, ChangeSetOutcome
from audit.verify import verify_chain
from tests.audit.talk_calls import open_publish, talk_call
from tests.database_role import as_database_owner

pytestmark = pytest.mark.django_db


def publish(actor, number: int) -> ChangeSet:
    with open_publish(actor, target_id=number, target_name=f"Line {number}") as change:
        talk_call("GET", f"/api/v2/channels/voice/ivr/{number}")
        talk_call("PUT", f"/api/v2/channels/voice/ivr/{number}", request_body={"ivr": {"n": 1}})
    return change.change_set


@pytest.fixture
def three_publishes(ana) -> list[ChangeSet]:
    # 3 change sets x (intent + a read + a write as sent and answered + outcome) = 15 rows
    return [publish(ana, number) for number in (1, 2, 3)]


def tamper(sql: str, params=()) -> None:
    """What an intruder with superuser rights could do: switch the triggers off and edit."""
    with as_database_owner() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def verify_fails(*args) -> str:
    with pytest.raises(CommandError) as failure:
        call_command("audit_verify", *args)
    return str(failure.value)


def test_an_intact_log_is_reported_with_its_row_count_and_head_hash(three_publishes, capsys):
    call_command("audit_verify")
    head_position, head_hash = chain_head()
    assert head_position == 15
    assert capsys.readouterr().out.strip() == (
        f"The audit log is intact: 15 rows, head hash {head_hash} at position 15."
    )


def test_an_empty_log_is_intact(capsys):
    call_command("audit_verify")
    assert f"intact: 0 rows, head hash {GENESIS_HASH}" in capsys.readouterr().out


def test_every_row_is_chained_to_the_one_before_it_in_order(three_publishes):
    rows = sorted(
        (row for model in CHAINED_MODELS for row in model.objects.all()),
        key=lambda row: row.chain_position,
    )
    assert [row.chain_position for row in rows] == list(range(1, 16))
    assert rows[0].previous_hash == GENESIS_HASH
    for earlier, later in itertools.pairwise(rows):
        assert later.previous_hash == earlier.row_hash
    assert [type(row).__name__ for row in rows[:5]] == [
        "ChangeSet",
        "ApiCall",
        "SentCall",  # the write, committed before it was sent...
        "ApiCall",  # ...and its answer
        "ChangeSetOutcome",
    ]


def test_an_edited_summary_is_named_as_altered(three_publishes):
    second = three_publishes[1]
    tamper("UPDATE audit_changeset SET summary = 'Nothing happened' WHERE id = %s", [second.pk])
    message = verify_fails()
    assert "NOT intact" in message
    assert f"Row 6 of the chain (change set #{second.pk} (its intent)) was altered" in message
    assert "5 rows before it are intact" in message


def test_an_edited_request_body_is_named_as_altered(three_publishes):
    call = ApiCall.objects.get(change_set=three_publishes[2], sequence=2)
    tamper(
        """UPDATE audit_apicall SET request_body = '{"ivr": {"n": 2}}' WHERE id = %s""",
        [call.pk],
    )
    assert f"(API call 2 of change set #{three_publishes[2].pk}) was altered" in verify_fails()


def test_a_deleted_row_is_named_as_removed(three_publishes):
    call = ApiCall.objects.get(change_set=three_publishes[0], sequence=2)
    tamper("DELETE FROM audit_apicall WHERE id = %s", [call.pk])
    message = verify_fails()
    assert "jumps from API call 2 of change set #1, as sent to row 5" in message
    assert "row 4 of the chain were removed" in message


def test_a_deleted_row_with_the_later_rows_renumbered_is_still_found(three_publishes):
    call = ApiCall.objects.get(change_set=three_publishes[0], sequence=2)
    tamper("DELETE FROM audit_apicall WHERE id = %s", [call.pk])
    for model in CHAINED_MODELS:
        tamper(
            f"UPDATE {model._meta.db_table} SET chain_position = chain_position - 1 "  # noqa: S608
            "WHERE chain_position > 4"
        )
    message = verify_fails()
    assert "Row 4 of the chain (the outcome of change set #1) was not written after" in message
    assert "the row it followed was removed" in message


def test_swapped_rows_are_named_as_reordered(three_publishes):
    first, second = three_publishes[0], three_publishes[1]
    # Swap the outcomes of the first two change sets (chain positions 5 and 10).
    pair = [first.pk, second.pk]
    tamper(
        "UPDATE audit_changesetoutcome SET chain_position = -chain_position "
        "WHERE change_set_id IN (%s, %s)",
        pair,
    )
    tamper(
        "UPDATE audit_changesetoutcome SET chain_position = 15 + chain_position "  # -5→10, -10→5
        "WHERE change_set_id IN (%s, %s)",
        pair,
    )
    message = verify_fails()
    assert (
        f"Row 5 of the chain (the outcome of change set #{second.pk}) was written right after "
        f"API call 2 of change set #{second.pk}, which is now at position 9: "
        "rows were moved or swapped."
    ) in message


def test_a_row_whose_hash_was_recomputed_is_caught_at_the_next_row(three_publishes):
    second = three_publishes[1]
    tamper("UPDATE audit_changeset SET row_hash = repeat('a', 64) WHERE id = %s", [second.pk])
    message = verify_fails()
    assert "Row 6 of the chain" in message  # its own content no longer matches
    assert "was altered" in message


def test_rows_removed_from_the_end_are_caught_by_a_noted_head(three_publishes, capsys):
    call_command("audit_verify")
    noted = capsys.readouterr().out.split("head hash ")[1].split(" at position ")[0]
    call_command("audit_verify", "--anchor", f"15:{noted}")
    tamper("DELETE FROM audit_changesetoutcome WHERE change_set_id = %s", [three_publishes[2].pk])
    call_command("audit_verify")  # the chain alone cannot tell the end is missing...
    assert "row 15 is missing" in verify_fails("--anchor", f"15:{noted}")  # ...the note can


def test_verifying_in_slices_gives_the_same_verdict_as_at_once(three_publishes):
    whole = verify_chain()
    verdict, checked = verify_chain(limit=5), 0
    checked += verdict.rows_checked
    while not verdict.finished:
        verdict = verify_chain(
            after_position=verdict.last_position, previous_hash=verdict.last_hash, limit=5
        )
        checked += verdict.rows_checked
    assert (checked, verdict.last_hash, verdict.intact) == (15, whole.last_hash, True)


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_produce_one_unbroken_chain(ana):
    writers, publishes_each = 3, 12
    start = threading.Barrier(writers)
    failures: list[BaseException] = []

    def writer(first_number: int) -> None:
        try:
            start.wait()
            for number in range(first_number, first_number + publishes_each):
                publish(ana, number)
        except BaseException as error:  # reported to the test below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=[index * 100]) for index in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    verdict = verify_chain()
    rows = writers * publishes_each * 5
    assert (verdict.intact, verdict.rows_checked, verdict.last_position) == (True, rows, rows)
    assert sorted(ChangeSet.objects.values_list("id", flat=True)) == list(range(1, 37))
    for change_set in ChangeSet.objects.all():
        calls = list(change_set.api_calls.order_by("sequence").values_list("path", flat=True))
        assert calls == [f"/api/v2/channels/voice/ivr/{change_set.target_id}"] * 2
        assert ChangeSetOutcome.objects.get(change_set=change_set).outcome == "applied"


def test_snapshots_hash_the_same_after_the_database_normalised_them(ana):
    awkward = {
        "big": 1e20,
        "negative_zero": -0.0,
        "tiny": 1.5e-7,
        "tenth": 0.1,
        "not_a_number": float("nan"),
        3: "an int key",
        "nul": "a\x00b",
        "nested": [{"when": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)}],
    }
    with open_publish(ana, before=awkward) as change:
        change.set_after({"value": 12345678901234567890.0})
    stored = ChangeSet.objects.get(pk=change.change_set.pk)
    assert stored.before["big"] == 100000000000000000000
    assert stored.before["3"] == "an int key"
    assert verify_chain().intact


def create(actor, new_id: int) -> ChangeSet:
    """A change set that creates its target: the intent cannot name it, the outcome does."""
    with open_publish(
        actor, action="create_ivr", target_id=None, target_name="Spring", before=None
    ) as change:
        talk_call("POST", "/api/v2/channels/voice/ivr", status=201)
        change.set_target(new_id)
    return change.change_set


def test_the_id_of_a_created_target_is_in_the_hashed_outcome(ana, three_publishes, capsys):
    created = create(ana, 360777)

    outcome = ChangeSetOutcome.objects.get(change_set=created)
    assert (created.target_id, outcome.target_id) == ("", "360777")
    assert ChangeSet.objects.get(pk=created.pk).recorded_target_id == "360777"
    call_command("audit_verify")  # older outcomes, without a created target, still verify
    assert "intact: 19 rows" in capsys.readouterr().out
    tamper(
        "UPDATE audit_changesetoutcome SET target_id = '1' WHERE change_set_id = %s", [created.pk]
    )
    assert "outcome of change set" in verify_fails() and "altered" in verify_fails()


def test_a_change_set_naming_its_target_cannot_name_another(ana):
    with (
        pytest.raises(ValueError, match="already names its target"),
        open_publish(ana) as change,
    ):
        change.set_target(1)
