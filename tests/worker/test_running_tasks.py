"""Real worker processes run tasks at their time, each once, one holder of a key at a time."""

from datetime import timedelta
from itertools import combinations

import pytest
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.worker.models import WorkerProcess
from tests.worker.conftest import wait_for
from tests.worker.tasks import note_run, note_run_holding, read_notes

pytestmark = pytest.mark.django_db(transaction=True)


def finished(results) -> bool:
    for result in results:
        result.refresh()
    return all(result.is_finished for result in results)


def test_a_task_due_two_seconds_ahead_runs_at_its_time_and_not_before(workers, tmp_path):
    notes = tmp_path / "notes.jsonl"
    worker = workers.start()
    wait_for(WorkerProcess.objects.exists, seconds=60, what="the worker to start")
    due = timezone.now() + timedelta(seconds=2)
    result = note_run.using(run_after=due).enqueue(notes=str(notes), label="due")

    wait_for(lambda: finished([result]), seconds=30, what="the due task to run")

    assert result.status == TaskResultStatus.SUCCESSFUL
    [run] = read_notes(notes)
    assert run["started"] >= due.timestamp()  # not a moment early
    assert run["pid"] == worker.pid


def test_two_workers_started_at_once_run_each_task_once(workers, tmp_path):
    notes = tmp_path / "notes.jsonl"
    results = [
        note_run.enqueue(notes=str(notes), label=f"task {n}", seconds=0.3) for n in range(20)
    ]
    first, second = workers.start(), workers.start()

    wait_for(lambda: finished(results), seconds=90, what="20 tasks to run")

    assert {result.status for result in results} == {TaskResultStatus.SUCCESSFUL}
    runs = read_notes(notes)
    assert sorted(run["label"] for run in runs) == sorted(f"task {n}" for n in range(20))
    assert {run["pid"] for run in runs} == {first.pid, second.pid}  # both took their share
    assert all(len(result.worker_ids) == 1 for result in results)  # each claimed once


def test_tasks_holding_the_same_key_never_run_at_the_same_time(workers, tmp_path):
    notes = tmp_path / "notes.jsonl"
    workers.start(), workers.start()
    wait_for(lambda: WorkerProcess.objects.count() == 2, seconds=60, what="two workers")
    results = [
        note_run_holding.enqueue(notes=str(notes), key="ivr:42", label=f"publish {n}", seconds=0.4)
        for n in range(6)
    ]

    wait_for(lambda: finished(results), seconds=90, what="6 publishes of IVR 42")

    assert {result.status for result in results} == {TaskResultStatus.SUCCESSFUL}
    runs = read_notes(notes)
    assert len(runs) == 6
    assert len({run["pid"] for run in runs}) == 2  # the two workers both ran some...
    for one, other in combinations(runs, 2):  # ...but never two at once
        assert one["ended"] <= other["started"] or other["ended"] <= one["started"]


def test_sigterm_lets_the_task_in_hand_finish_then_the_worker_stops(workers, tmp_path):
    notes = tmp_path / "notes.jsonl"
    worker = workers.start()
    result = note_run.enqueue(notes=str(notes), label="long", seconds=3)
    wait_for(
        lambda: DBTaskResult.objects.filter(pk=result.id, status="RUNNING").exists(),
        seconds=60,
        what="the task to start",
    )

    assert workers.stop(worker) == 0

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert [run["label"] for run in read_notes(notes)] == ["long"]
    row = WorkerProcess.objects.get()
    assert row.stopped_at is not None and row.running_task_id is None
    assert row.tasks_run == 1
