"""The audit log's background work (declared in settings.WORKER_PERIODIC_TASKS), and its
part in a lost task run: the change sets that run opened end *interrupted*."""

from typing import Any

from django.tasks import task

from audit import interrupted


@task(priority=-10)
def close_interrupted_change_sets() -> int:
    """Write the "interrupted" outcome of change sets whose time to finish ran out."""
    return len(interrupted.close_interrupted_change_sets())


def close_change_sets_of_lost_run(*, run_id: str, **kwargs: Any) -> None:
    """Receiver of core.worker.signals.task_run_lost (connected in audit.apps)."""
    interrupted.close_change_sets_of_run(run_id=run_id)
