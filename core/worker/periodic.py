"""Periodic tasks: declared in settings.WORKER_PERIODIC_TASKS, queued once per period.

    WORKER_PERIODIC_TASKS = {"audit.tasks.close_interrupted_change_sets": timedelta(minutes=5)}

Periods are counted from the Unix epoch by the database's clock: "every 5 minutes" is due at
:00, :05, :10 ... and at once when no run was queued yet for the current period (a worker that
starts at 10:03 runs it then, the next at 10:05). Missed periods are not made up. Every worker
tries to queue each period's run; a row per (task, period) with a unique constraint lets one
insert win, and the run is queued in the same transaction, so it is queued exactly once. A
period whose previous run has not finished yet is recorded as skipped, not queued twice over.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.tasks import Task, TaskResultStatus
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from core.worker.clock import database_now
from core.worker.models import PeriodicRun

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class PeriodicTask:
    path: str
    every: timedelta

    def task(self) -> Task:
        return import_string(self.path)

    def slot_at(self, moment: datetime) -> datetime:
        """The start of the period `moment` falls in."""
        periods = (moment - EPOCH) // self.every
        return EPOCH + periods * self.every


def declared_periodic_tasks() -> list[PeriodicTask]:
    """settings.WORKER_PERIODIC_TASKS, checked: each names a task and a period of 1 s or more."""
    declared = []
    for path, every in getattr(settings, "WORKER_PERIODIC_TASKS", {}).items():
        if not isinstance(every, timedelta) or every < timedelta(seconds=1):
            raise ImproperlyConfigured(
                f"WORKER_PERIODIC_TASKS: {path} needs a timedelta of at least one second."
            )
        try:
            task = import_string(path)
        except ImportError as error:
            raise ImproperlyConfigured(f"WORKER_PERIODIC_TASKS: cannot import {path}.") from error
        if not isinstance(task, Task):
            raise ImproperlyConfigured(f"WORKER_PERIODIC_TASKS: {path} is not a @task.")
        declared.append(PeriodicTask(path=path, every=every))
    return declared


def enqueue_once(periodic: PeriodicTask, *, slot: datetime, worker_id: str) -> PeriodicRun | None:
    """Queue `periodic`'s run for `slot` unless some worker already has; None if one has."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                run = PeriodicRun.objects.create(name=periodic.path, slot=slot, worker_id=worker_id)
        except IntegrityError:
            return None
        previous = (
            PeriodicRun.objects.filter(name=periodic.path, task_result_id__isnull=False)
            .exclude(pk=run.pk)
            .order_by("-slot")
            .first()
        )
        unfinished = (TaskResultStatus.READY, TaskResultStatus.RUNNING)
        if (
            previous is not None
            and previous.task_result_id is not None
            and DBTaskResult.objects.filter(
                pk=previous.task_result_id, status__in=unfinished
            ).exists()
        ):
            run.skipped_because = f"the run for {previous.slot.isoformat()} had not finished"
        else:
            run.task_result_id = periodic.task().enqueue().id
        run.save(update_fields=["task_result_id", "skipped_because"])
    return run


class PeriodicSchedule:
    """One worker's view of the periodic tasks: it asks the database only when a period may
    have begun (by its own clock), and names the period by the database's clock."""

    def __init__(self, periodic_tasks: list[PeriodicTask], *, worker_id: str) -> None:
        self.periodic_tasks = periodic_tasks
        self.worker_id = worker_id
        self._done: dict[str, datetime] = {}  # task path -> the last period handled

    def enqueue_due(self) -> list[PeriodicRun]:
        local_now = datetime.fromtimestamp(time.time(), tz=UTC)
        due = [p for p in self.periodic_tasks if self._done.get(p.path) != p.slot_at(local_now)]
        if not due:
            return []
        now = database_now()
        queued = []
        for periodic in due:
            slot = periodic.slot_at(now)
            if self._done.get(periodic.path) == slot:
                continue  # this worker's clock runs ahead of the database's
            run = enqueue_once(periodic, slot=slot, worker_id=self.worker_id)
            self._done[periodic.path] = slot
            if run is not None:
                queued.append(run)
        return queued


def enqueue_startup_tasks() -> list[str]:
    """Queue each task of settings.WORKER_STARTUP_TASKS (paths of @task functions taking no
    argument) when a worker starts, unless a run of it is already queued or running (several
    workers starting together queue it once or twice at most; the task itself must tolerate
    a second run, e.g. with `exclusive()`)."""
    queued = []
    for path in getattr(settings, "WORKER_STARTUP_TASKS", ()):
        task = import_string(path)
        if not isinstance(task, Task):
            raise ImproperlyConfigured(f"WORKER_STARTUP_TASKS: {path} is not a @task.")
        unfinished = (TaskResultStatus.READY, TaskResultStatus.RUNNING)
        if not DBTaskResult.objects.filter(task_path=path, status__in=unfinished).exists():
            task.enqueue()
            queued.append(path)
    return queued
