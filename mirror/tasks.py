"""The sync's worker tasks (see mirror.services.sync for what each pass reads and costs).

full_sync runs when a worker starts (settings.WORKER_STARTUP_TASKS) and on demand;
incremental_sync on a cadence (settings.WORKER_PERIODIC_TASKS). One pass at a time, in any
process (`exclusive("mirror:sync")`); a pass stopped by Zendesk (429, 5xx) queues its task
again for when Zendesk said to come back, and the next run resumes it.
"""

from __future__ import annotations

import datetime

from django.tasks import task
from django.utils import timezone

from core.worker.locks import AlreadyRunning, exclusive
from mirror.services import FULL, INCREMENTAL, SyncInterrupted, copy_ready, run_pass

LOCK = "mirror:sync"


def _run(kind: str) -> dict[str, object]:
    try:
        with exclusive(LOCK):
            sync_pass = run_pass(kind)
    except AlreadyRunning:
        return {"skipped": "another sync pass is running"}
    except SyncInterrupted as stopped:
        when = timezone.now() + datetime.timedelta(seconds=max(1.0, stopped.wait_seconds))
        (full_sync if kind == FULL else incremental_sync).using(run_after=when).enqueue()
        return {"pass": stopped.sync_pass.pk, "resumes_at": when.isoformat()}
    return {"pass": sync_pass.pk, "calls": sync_pass.calls, "differences": sync_pass.differences}


@task()
def full_sync() -> dict[str, object]:
    """Read the whole account into the copy (resuming a pass a 429 or 5xx stopped)."""
    return _run(FULL)


@task()
def incremental_sync() -> dict[str, object]:
    """The cheap pass on a cadence; until a full sync has finished, that full sync instead."""
    return _run(INCREMENTAL if copy_ready() else FULL)
