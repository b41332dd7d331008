"""The rules of recovery (core.worker.recovery), on the state a dead worker leaves behind: a
task RUNNING with nobody holding its run lock, and the change set its run had opened."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from audit.chain import append_row
from audit.models import ChangeSet
from core.worker.locks import exclusive
from core.worker.recovery import recover_lost_runs
from core.worker.runs import run_id, run_lock_key
from tests.worker.tasks import note_run

pytestmark = pytest.mark.django_db


def left_running(*, runs: int = 1, task_path: str | None = None) -> DBTaskResult:
    """A task its worker had claimed `runs` times, the last time by a worker now dead."""
    result = note_run.enqueue(notes="/dev/null", label="lost")
    row = DBTaskResult.objects.get(pk=result.id)
    for attempt in range(1, runs + 1):
        row.claim(f"dead-worker-{attempt}")
    if task_path:
        DBTaskResult.objects.filter(pk=row.pk).update(task_path=task_path)
    return row


def opened_change_set(request_id: str) -> ChangeSet:
    """A change set whose intent was written and whose outcome never was."""
    intent = ChangeSet(
        actor_display_name="worker test",
        request_id=request_id,
        action="update_phone_number",
        target_type="phone_number",
        target_id="21973195707745",
        target_name="US Main Support",
        reason="The worker tests rename a number",
        summary="Rename the number",
    )
    intent.max_duration = timedelta(minutes=15)
    append_row(intent)
    return intent


def test_a_lost_run_s_change_set_is_interrupted_and_the_task_queued_again():
    row = left_running()
    lost = opened_change_set(run_id(row.id, 1))
    elsewhere = opened_change_set("a-web-request-still-going")

    [recovered] = recover_lost_runs()

    assert (recovered.run_id, recovered.attempt, recovered.queued_again) == (
        run_id(row.id, 1),
        1,
        True,
    )
    row.refresh_from_db()
    assert row.status == TaskResultStatus.READY
    lost = ChangeSet.objects.get(pk=lost.pk)
    assert lost.ending.outcome == "interrupted"
    assert lost.ending.error.startswith("TalkAdmin stopped before this change set finished: ")
    assert ChangeSet.objects.get(pk=elsewhere.pk).ending is None  # not that run's
    assert recover_lost_runs() == []  # READY now: nothing more to hand back


def test_a_task_whose_worker_is_alive_is_left_alone():
    row = left_running()
    holding, done = threading.Event(), threading.Event()

    def live_worker() -> None:
        with exclusive(run_lock_key(row.id)):
            holding.set()
            done.wait(timeout=30)
        connection.close()

    thread = threading.Thread(target=live_worker)
    thread.start()
    try:
        assert holding.wait(timeout=10)
        assert recover_lost_runs() == []
        row.refresh_from_db()
        assert row.status == TaskResultStatus.RUNNING
    finally:
        done.set()
        thread.join()


def test_a_task_lost_on_its_last_attempt_is_failed_in_words():
    row = left_running(runs=3)  # max_attempts defaults to 3

    [recovered] = recover_lost_runs()

    assert recovered.queued_again is False
    result = note_run.get_result(str(row.id))
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[0].traceback.strip() == (
        "core.worker.recovery.WorkerLost: The task stopped because its worker stopped before "
        "it finished, and it had run 3 times."
    )


def test_a_task_whose_code_is_gone_is_failed_not_queued_again():
    row = left_running(task_path="tests.worker.tasks.removed_since")

    [recovered] = recover_lost_runs()

    assert recovered.queued_again is False
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED
    assert "its code could not be loaded to run it again" in row.traceback
