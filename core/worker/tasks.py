"""The worker's own housekeeping task (declared in settings.WORKER_PERIODIC_TASKS)."""

from datetime import timedelta

from django.conf import settings
from django.tasks import task
from django_tasks_db.models import DBTaskResult

from core.worker.clock import database_now
from core.worker.models import PeriodicRun, WorkerProcess


@task(priority=-50)
def forget_old_worker_records() -> dict[str, int]:
    """Forget finished tasks, periodic runs and silent workers older than
    WORKER_KEEP_RECORDS_DAYS (the audit log keeps what the tasks changed)."""
    before = database_now() - timedelta(days=settings.WORKER_KEEP_RECORDS_DAYS)
    tasks, _ = DBTaskResult.objects.finished().filter(finished_at__lt=before).delete()
    runs, _ = PeriodicRun.objects.filter(slot__lt=before).delete()
    workers, _ = WorkerProcess.objects.filter(last_seen_at__lt=before).delete()
    return {"tasks": tasks, "periodic_runs": runs, "workers": workers}
