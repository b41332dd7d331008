"""A worker killed mid-task (SIGKILL): the next worker finds the task at once, its change set
ends interrupted, and a fresh run converges; a task that must not repeat is failed instead."""

import signal
import time

import pytest
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from audit.models import ChangeSet
from audit.verify import verify_chain
from core.worker.runs import run_id
from core.worker.worker import FORCE_AFTER_SECONDS
from tests.worker.conftest import wait_for
from tests.worker.tasks import read_notes, rename_phone_number, send_once

pytestmark = pytest.mark.django_db(transaction=True)

NUMBER = "+14155550134"  # "US Main Support" in the sandbox's demo account


def sandbox_number(sandbox_server) -> dict:
    state = sandbox_server.control("GET", "/sandbox/state")
    return next(n for n in state["phone_numbers"] if n["number"] == NUMBER)


def noted(notes, label: str) -> bool:
    return any(note["label"] == label for note in read_notes(notes))


def test_a_killed_worker_s_change_is_interrupted_then_run_again_and_converges(
    workers, sandbox_server, tmp_path
):
    notes = tmp_path / "notes.jsonl"
    number_id = sandbox_number(sandbox_server)["id"]
    result = rename_phone_number.enqueue(
        phone_number_id=number_id, nickname="Support (night)", notes=str(notes), pause_seconds=120
    )
    first = workers.start()
    wait_for(lambda: noted(notes, "paused"), seconds=60, what="the rename to be sent")

    workers.kill(first)

    assert DBTaskResult.objects.get(pk=result.id).status == "RUNNING"  # nobody alive to tell
    [lost] = ChangeSet.objects.all()
    assert lost.ending is None  # its outcome was never written
    assert lost.request_id == run_id(result.id, 1)

    workers.start()
    wait_for(lambda: result.refresh() or result.is_finished, seconds=60, what="the second run")

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.attempts == 2
    lost, fresh = ChangeSet.objects.order_by("id")
    assert lost.ending.outcome == "interrupted"
    assert "the worker running it stopped" in lost.ending.error
    assert [(call.method, call.status) for call in lost.api_calls.order_by("sequence")] == [
        ("GET", 200),
        ("PUT", 200),
    ]
    assert fresh.request_id == run_id(result.id, 2)
    assert fresh.ending.outcome == "applied"
    assert [call.method for call in fresh.api_calls.all()] == ["GET"]  # nothing left to send
    puts = [r for r in sandbox_server.requests() if r["method"] == "PUT"]
    assert len(puts) == 1  # the number was renamed once, by the first run
    assert sandbox_number(sandbox_server)["nickname"] == "Support (night)"
    assert verify_chain().intact


def test_a_task_that_must_not_repeat_is_failed_in_words_not_run_again(workers, tmp_path):
    notes = tmp_path / "notes.jsonl"
    result = send_once.enqueue(notes=str(notes), pause_seconds=120)
    first = workers.start()
    wait_for(lambda: noted(notes, "started"), seconds=60, what="the task to start")

    workers.kill(first)
    workers.start()
    wait_for(lambda: result.refresh() or result.is_finished, seconds=60, what="the recovery")

    assert result.status == TaskResultStatus.FAILED
    [error] = result.errors
    assert error.exception_class_path == "core.worker.recovery.WorkerLost"
    assert "its worker stopped before it finished" in error.traceback
    assert "it is not one to run again by itself" in error.traceback
    assert [note["attempt"] for note in read_notes(notes)] == [1]  # never started again


def test_a_worker_told_twice_to_stop_hands_its_task_back_before_it_exits(
    workers, sandbox_server, tmp_path
):
    notes = tmp_path / "notes.jsonl"
    number_id = sandbox_number(sandbox_server)["id"]
    result = rename_phone_number.enqueue(
        phone_number_id=number_id, nickname="Support (closed)", notes=str(notes), pause_seconds=120
    )
    worker = workers.start()
    wait_for(lambda: noted(notes, "paused"), seconds=60, what="the rename to be sent")

    worker.send_signal(signal.SIGTERM)  # first: finish the task in hand (it would take 2 min)
    time.sleep(FORCE_AFTER_SECONDS + 0.5)
    worker.send_signal(signal.SIGTERM)  # again, later: stop now
    assert worker.wait(timeout=30) == 1

    result.refresh()
    assert result.status == TaskResultStatus.READY  # handed back by the worker itself
    [stopped] = ChangeSet.objects.all()
    assert stopped.ending.outcome == "interrupted"
    assert stopped.ending.error == "TalkAdmin was stopped before the change finished."

    workers.start()
    wait_for(lambda: result.refresh() or result.is_finished, seconds=60, what="the second run")
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert sandbox_number(sandbox_server)["nickname"] == "Support (closed)"
    assert len([r for r in sandbox_server.requests() if r["method"] == "PUT"]) == 1
