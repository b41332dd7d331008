"""Each worker process's heartbeat, and what /healthz says about the workers.

A worker writes its row when it starts, every WORKER_HEARTBEAT_SECONDS while it waits for
work, and as each task starts and ends; it marks the row stopped when it stops cleanly. While a
task runs its row is not written, so a worker busy for longer than a minute still counts as
running when the task's run lock (core.worker.runs) is held: only a live process can hold it.
"""

from __future__ import annotations

import os
import socket
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.db.models import F
from django.db.models.functions import Now

from core.worker.clock import database_now
from core.worker.locks import is_held
from core.worker.models import WorkerProcess
from core.worker.runs import run_lock_key


class Heartbeat:
    """The row of one worker process (`worker_id`), written by that process only."""

    def __init__(self, worker_id: str) -> None:
        self.worker_id = worker_id

    def _rows(self):
        return WorkerProcess.objects.filter(worker_id=self.worker_id)

    def register(self) -> None:
        WorkerProcess.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": Now(),
                "last_seen_at": Now(),
                "stopped_at": None,
                "running_task_id": None,
                "running_task_path": "",
                "running_since": None,
                "tasks_run": 0,
            },
        )

    def beat(self) -> None:
        self._rows().update(last_seen_at=Now())

    def running(self, *, task_result_id: str, task_path: str) -> None:
        self._rows().update(
            last_seen_at=Now(),
            running_task_id=task_result_id,
            running_task_path=task_path,
            running_since=Now(),
        )

    def idle(self) -> None:
        self._rows().update(
            last_seen_at=Now(),
            running_task_id=None,
            running_task_path="",
            running_since=None,
            tasks_run=F("tasks_run") + 1,
        )

    def sign_off(self) -> None:
        self._rows().update(
            last_seen_at=Now(), stopped_at=Now(), running_task_id=None, running_since=None
        )


def running_workers() -> list[WorkerProcess]:
    """Workers seen within WORKER_SEEN_WITHIN_SECONDS, or busy on a task right now."""
    now = database_now()
    seen_since = now - timedelta(seconds=settings.WORKER_SEEN_WITHIN_SECONDS)
    candidates = WorkerProcess.objects.filter(
        stopped_at__isnull=True, last_seen_at__gte=now - timedelta(days=1)
    ).order_by("worker_id")
    return [
        worker
        for worker in candidates
        if worker.last_seen_at >= seen_since
        or (worker.running_task_id and is_held(run_lock_key(worker.running_task_id)))
    ]


def worker_status() -> dict[str, Any]:
    """{"ok": bool, "detail": str} for /healthz: is any worker running?"""
    try:
        workers = running_workers()
    except DatabaseError:
        return {"ok": False, "detail": "database unreachable"}
    if not workers:
        return {
            "ok": False,
            "detail": "no worker seen in the last minute: background work waits for one",
        }
    busy = sum(1 for worker in workers if worker.running_task_id)
    count = f"{len(workers)} worker{'s' if len(workers) != 1 else ''}"
    return {"ok": True, "detail": f"{count} running, {busy} busy"}
