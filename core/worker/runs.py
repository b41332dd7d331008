"""A task's run: the id its log lines and audit rows carry, and the lock its worker holds.

A run is one attempt at a task: `task-<task id>-<attempt>` (attempt 1 is the first), set as
the request id while it runs (core.request_context), so `Actor.for_user` and `Actor.system`
put it in every change set the run opens and every log line shows it.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from uuid import UUID

from core.request_context import request_id_as


def run_id(task_result_id: str | UUID, attempt: int) -> str:
    return f"task-{UUID(str(task_result_id)).hex}-{attempt}"


def run_lock_key(task_result_id: str | UUID) -> str:
    """The lock a worker holds while it runs the task (core.worker.locks)."""
    return f"task-run:{UUID(str(task_result_id))}"


@contextmanager
def running(task_result_id: str | UUID, attempt: int) -> Iterator[str]:
    """The block is that run: its id is the request id of whatever it logs or records."""
    identifier = run_id(task_result_id, attempt)
    with request_id_as(identifier):
        yield identifier
