"""The worker process's loop: django-tasks-db's Worker, plus what it lacks.

Each turn of the loop: write the heartbeat and hand back tasks whose worker died (every
WORKER_HEARTBEAT_SECONDS), queue the periodic tasks that came due, claim one due task and run
it, or sleep `interval` seconds when there was none. Claiming a task takes its run lock in the
same transaction (core.worker.recovery explains why); the lock is let go once the result is
saved. One task at a time per process, in the main thread: run more processes for more.

Stopping: SIGTERM or Ctrl-C lets the task in hand finish, then the worker stops. A second
signal, sent at least FORCE_AFTER_SECONDS after the first, stops it at once: the task's open
change sets end *interrupted* and the task is handed back as if its worker had died. (Ctrl-C
in `make run` reaches the worker, and the launcher then sends SIGTERM too: one stop, not two.)
"""

from __future__ import annotations

import logging
import random
import signal
import time
from types import FrameType

from django.core.exceptions import SuspiciousOperation
from django.db import InterfaceError, OperationalError, close_old_connections
from django.tasks import TaskContext
from django.tasks.signals import task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from core.worker.heartbeat import Heartbeat
from core.worker.locks import AlreadyRunning, HeldLock, acquire
from core.worker.periodic import (
    PeriodicSchedule,
    declared_periodic_tasks,
    enqueue_startup_tasks,
)
from core.worker.recovery import hand_back, recover_lost_runs
from core.worker.runs import run_lock_key, running

logger = logging.getLogger("core.worker")

FORCE_AFTER_SECONDS = 2.0


class Worker(DatabaseWorker):
    def __init__(self, *, heartbeat_seconds: float, **options) -> None:
        super().__init__(**options)
        self.heartbeat_seconds = heartbeat_seconds
        self.heartbeat = Heartbeat(self.worker_id)
        self.schedule = PeriodicSchedule(declared_periodic_tasks(), worker_id=self.worker_id)
        self._next_beat = 0.0
        self._stop_asked_at: float | None = None
        self._run_lock: HeldLock | None = None

    # --- Stopping ------------------------------------------------------------------------------
    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        now = time.monotonic()
        if self._stop_asked_at is None:
            self._stop_asked_at = now
            self.running = False
            logger.warning(
                "Received %s: stopping once the task in hand has finished "
                "(send it again to stop at once).",
                signal_name(signum),
            )
            return
        if now - self._stop_asked_at < FORCE_AFTER_SECONDS or not self.running_task:
            return  # the same stop, reaching us twice (Ctrl-C, then make run's SIGTERM)
        logger.warning("Received %s again: stopping the task in hand now.", signal_name(signum))
        self.reset_signals()
        raise SystemExit(1)

    # --- The loop --------------------------------------------------------------------------------
    def run(self) -> None:
        logger.info("Worker %s starting (queues: %s)", self.worker_id, ",".join(self.queue_names))
        if self.startup_delay and self.interval:
            time.sleep(random.random())  # noqa: S311 - workers started together spread out
        self.heartbeat.register()
        enqueue_startup_tasks()
        try:
            while self.running:
                try:
                    turn = self._turn()
                except (OperationalError, InterfaceError):
                    # An outage of the database is waited out, not a reason to stop.
                    logger.warning(
                        "The database did not answer; trying again in %.0f s.",
                        self.heartbeat_seconds,
                        exc_info=True,
                    )
                    close_old_connections()
                    time.sleep(self.heartbeat_seconds)
                    continue
                if turn is None:
                    return
                if self.running and not turn:
                    time.sleep(self.interval)
        finally:
            try:
                self.heartbeat.sign_off()
            except (OperationalError, InterfaceError):
                logger.warning("Could not record that worker %s stopped.", self.worker_id)
            logger.info("Worker %s stopped.", self.worker_id)

    def _turn(self) -> bool | None:
        """One turn of the loop: True when it ran a task, False when none was due, None when
        the worker is done (--batch found nothing more, or --max-tasks were run)."""
        close_old_connections()
        self._look_after_the_queue()
        if not self.running:
            return False
        db_task_result = self._claim()
        if db_task_result is not None:
            self.run_task(db_task_result)
        elif self.batch:
            logger.info("No more tasks for worker %s: stopping.", self.worker_id)
            return None
        if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
            logger.info("Worker %s ran %d tasks: stopping.", self.worker_id, self.max_tasks)
            return None
        close_old_connections()
        return db_task_result is not None

    def _look_after_the_queue(self) -> None:
        if time.monotonic() >= self._next_beat:
            self.heartbeat.beat()
            recover_lost_runs(backend_name=self.backend_name)
            self._next_beat = time.monotonic() + self.heartbeat_seconds
        self.schedule.enqueue_due()

    def _due_tasks(self):
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        return tasks

    def _claim(self) -> DBTaskResult | None:
        """The next due task, marked RUNNING by this worker with its run lock held; or None."""
        tasks = self._due_tasks()
        try:
            with exclusive_transaction(tasks.db):
                task_result = tasks.get_locked()
                if task_result is None:
                    return None
                try:
                    self._run_lock = acquire(run_lock_key(task_result.id))
                except AlreadyRunning:
                    return None  # being handed back by another worker this very moment
                task_result.claim(self.worker_id)
        except OperationalError as error:
            self._let_go_of_run_lock()
            if is_locked_database_exception(error):
                return None  # SQLite is busy; try again on the next turn
            raise
        except BaseException:
            self._let_go_of_run_lock()
            raise
        return task_result

    def _let_go_of_run_lock(self) -> None:
        if self._run_lock is not None:
            self._run_lock.release()
            self._run_lock = None

    # --- Running one task --------------------------------------------------------------------
    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Run the claimed task as its run (request id), save how it ended, let go of its lock."""
        self.running_task = True
        attempt = len(db_task_result.worker_ids)
        try:
            self.heartbeat.running(
                task_result_id=db_task_result.id, task_path=db_task_result.task_path
            )
            with running(db_task_result.id, attempt):
                self._call(db_task_result)
        finally:
            self._let_go_of_run_lock()
            self.running_task = False
            self._run_tasks += 1
            self.heartbeat.idle()

    def _call(self, db_task_result: DBTaskResult) -> None:
        try:
            task = db_task_result.task
            task_result = db_task_result.task_result
            sender = type(task.get_backend())
            task_started.send(sender=sender, task_result=task_result)
            if task.takes_context:
                context: TaskContext = TaskContext(task_result=task_result)
                value = task.call(context, *task_result.args, **task_result.kwargs)
            else:
                value = task.call(*task_result.args, **task_result.kwargs)
            db_task_result.set_successful(value)
            task_finished.send(sender=sender, task_result=db_task_result.task_result)
        except (KeyboardInterrupt, SystemExit):
            # Stopped at once: the run is lost as if the worker had died, and handed back now.
            try:
                hand_back(db_task_result, why="its worker was stopped before it finished")
            except Exception:
                logger.exception(
                    "Could not hand back task %s; the next worker will", db_task_result.id
                )
            raise
        except Exception as error:
            db_task_result.set_failed(error)
            try:
                sender = type(db_task_result.task.get_backend())
                task_finished.send(sender=sender, task_result=db_task_result.task_result)
            except (ImportError, SuspiciousOperation):
                logger.exception("Task %s failed and cannot be loaded", db_task_result.id)


def signal_name(signum: int) -> str:
    return signal.strsignal(signum) or str(signum)
