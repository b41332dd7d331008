"""Periodic tasks: queued once per period however many workers run, and never piled up."""

from datetime import UTC, datetime, timedelta

import pytest
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.worker.models import PeriodicRun
from core.worker.periodic import PeriodicTask, enqueue_once
from tests.worker.conftest import wait_for
from tests.worker.tasks import read_notes

PATH = "tests.worker.tasks.note_periodic_run"


@pytest.mark.django_db(transaction=True)
def test_two_workers_queue_a_periodic_task_once_per_period(workers, tmp_path):
    notes = tmp_path / "notes.jsonl"
    env = {"WORKER_TEST_PERIODIC_SECONDS": "1", "WORKER_TEST_NOTES": str(notes)}
    first, second = workers.start(env=env), workers.start(env=env)

    wait_for(lambda: len(read_notes(notes)) >= 4, seconds=60, what="four periods' runs")
    workers.stop(first), workers.stop(second)

    runs = PeriodicRun.objects.filter(name=PATH).order_by("slot")
    slots = [run.slot for run in runs]
    assert len(slots) == len(set(slots)) >= 4
    queued = DBTaskResult.objects.filter(task_path=PATH)
    assert queued.count() == runs.exclude(task_result_id=None).count()  # one per period
    ran = [note["task_result_id"] for note in read_notes(notes)]
    assert len(ran) == len(set(ran))  # and each ran once
    assert set(ran) <= {str(pk) for pk in queued.values_list("id", flat=True)}


def test_a_period_falls_on_whole_multiples_from_the_epoch():
    every_five_minutes = PeriodicTask(path=PATH, every=timedelta(minutes=5))
    moment = datetime(2026, 12, 24, 18, 3, 41, tzinfo=UTC)
    assert every_five_minutes.slot_at(moment) == datetime(2026, 12, 24, 18, 0, tzinfo=UTC)
    daily = PeriodicTask(path=PATH, every=timedelta(days=1))
    assert daily.slot_at(moment) == datetime(2026, 12, 24, tzinfo=UTC)


@pytest.mark.django_db
def test_a_period_is_queued_once_and_skipped_while_the_previous_run_is_unfinished():
    periodic = PeriodicTask(path=PATH, every=timedelta(minutes=1))
    ten = datetime(2026, 12, 24, 10, 0, tzinfo=UTC)

    first = enqueue_once(periodic, slot=ten, worker_id="a")
    assert enqueue_once(periodic, slot=ten, worker_id="b") is None  # another worker came second
    assert DBTaskResult.objects.filter(task_path=PATH).count() == 1

    later = enqueue_once(periodic, slot=ten + timedelta(minutes=1), worker_id="b")
    assert later.task_result_id is None  # the 10:00 run has not run yet
    assert later.skipped_because == "the run for 2026-12-24T10:00:00+00:00 had not finished"

    DBTaskResult.objects.filter(pk=first.task_result_id).update(status=TaskResultStatus.SUCCESSFUL)
    third = enqueue_once(periodic, slot=ten + timedelta(minutes=2), worker_id="a")
    assert third.task_result_id is not None
    assert DBTaskResult.objects.filter(task_path=PATH).count() == 2
