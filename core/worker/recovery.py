"""Tasks whose worker died mid-run: found, their change sets closed, queued again or failed.

django-tasks-db leaves such a task RUNNING for ever (django-tasks issue #46). Here a worker
holds the task's run lock (core.worker.runs.run_lock_key) from the moment it claims the task
until its result is saved, and the lock dies with the process. So a RUNNING task whose run
lock anyone can take has no live worker: no timeout to wait out, no clock to trust.

For each such task, holding its run lock so no other worker handles it at the same time:
1. `task_run_lost` is sent with the run's id; the audit log closes the change sets that run
   opened as *interrupted* (they carry the run id as their request id).
2. The task is queued again (READY) if it says `run_again_if_interrupted` and has had fewer
   than `max_attempts` runs; otherwise it is marked failed with WorkerLost, in words.

Every worker does this when it starts and at every heartbeat (core.worker.worker).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core.exceptions import SuspiciousOperation
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.worker.backend import DEFAULT_MAX_ATTEMPTS
from core.worker.locks import AlreadyRunning, acquire, held_by_this_thread
from core.worker.runs import run_id, run_lock_key
from core.worker.signals import task_run_lost

logger = logging.getLogger(__name__)


class WorkerLost(Exception):
    """The worker running a task died (or was stopped at once) before the task finished."""


@dataclass(frozen=True)
class LostRun:
    task_result_id: str
    task_path: str
    attempt: int
    run_id: str
    queued_again: bool


def recover_lost_runs(*, backend_name: str = "default") -> list[LostRun]:
    """Hand back every RUNNING task whose worker is gone; returns what was handed back."""
    recovered = []
    running = DBTaskResult.objects.running().filter(backend_name=backend_name)
    for task_result_id in list(running.values_list("id", flat=True)):
        key = run_lock_key(task_result_id)
        if held_by_this_thread(key):
            continue  # this very worker is running it
        try:
            lock = acquire(key)
        except AlreadyRunning:
            continue  # its worker is alive (or another worker is handing it back right now)
        try:
            row = DBTaskResult.objects.filter(pk=task_result_id).first()
            if row is None or row.status != TaskResultStatus.RUNNING:
                continue  # it finished between the query and the lock
            recovered.append(hand_back(row, why="its worker stopped before it finished"))
        except Exception:
            logger.exception("Could not hand back task %s; trying again later", task_result_id)
        finally:
            lock.release()
    return recovered


def hand_back(row: DBTaskResult, *, why: str) -> LostRun:
    """Close the lost run of `row` (RUNNING, its run lock held by the caller) and queue the
    task again or fail it, by the task's own rule."""
    attempt = max(1, len(row.worker_ids))
    lost_run_id = run_id(row.id, attempt)
    task_run_lost.send(
        sender=WorkerLost, run_id=lost_run_id, task_path=row.task_path, attempt=attempt
    )
    try:
        task = row.task
    except (ImportError, SuspiciousOperation):
        task = None  # the code is gone: it cannot run again
    again = (
        task is not None
        and getattr(task, "run_again_if_interrupted", True)
        and attempt < getattr(task, "max_attempts", DEFAULT_MAX_ATTEMPTS)
    )
    if again:
        DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY
        )
        logger.warning(
            "Task %s (%s) %s; queued again (run %s)", row.id, row.task_path, why, attempt
        )
    else:
        if task is None:
            reason = "its code could not be loaded to run it again"
        elif not getattr(task, "run_again_if_interrupted", True):
            reason = "it is not one to run again by itself"
        else:
            reason = f"it had run {attempt} times"
        row.set_failed(WorkerLost(f"The task stopped because {why}, and {reason}."))
        logger.error("Task %s (%s) %s; marked failed: %s", row.id, row.task_path, why, reason)
    return LostRun(
        task_result_id=str(row.id),
        task_path=row.task_path,
        attempt=attempt,
        run_id=lost_run_id,
        queued_again=again,
    )
