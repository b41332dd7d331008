"""The task backend: django-tasks-db's database backend, whose tasks also say what to do when
the worker running them dies (see core.worker.recovery).

    @task()                                       # run again, up to 3 runs in all
    @task(run_again_if_interrupted=False)         # never repeat: mark it failed instead
    @task(max_attempts=5)

settings.TASKS names it: {"default": {"BACKEND": "core.worker.backend.WorkerBackend"}}.
"""

from dataclasses import dataclass

from django.tasks import Task
from django.tasks.exceptions import InvalidTask
from django_tasks_db.backend import DatabaseBackend

DEFAULT_MAX_ATTEMPTS = 3


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkerTask(Task):
    # Whether a run cut short by its worker's death is started again. Only for tasks that
    # converge (read the live state, then send what is missing); False for tasks that must
    # never repeat a write, which are marked failed instead.
    run_again_if_interrupted: bool = True
    # Runs in all, the interrupted ones included, before the task is given up as failed.
    max_attempts: int = DEFAULT_MAX_ATTEMPTS


class WorkerBackend(DatabaseBackend):
    task_class = WorkerTask

    def validate_task(self, task: Task) -> None:
        super().validate_task(task)
        attempts = getattr(task, "max_attempts", DEFAULT_MAX_ATTEMPTS)
        if not isinstance(attempts, int) or attempts < 1:
            raise InvalidTask("max_attempts must be a whole number of at least 1.")
