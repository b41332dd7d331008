"""The background worker: Django's Tasks framework on our own database, run by `db_worker`.

Everything long, scheduled or periodic runs here, in worker processes beside the web servers
(`python manage.py db_worker`, as many as wanted, on the one database), never in a request.

Writing a task (django.tasks, so the code stays backend-neutral):

    from django.tasks import task
    from core.worker.locks import exclusive

    @task()                                   # run_again_if_interrupted=True, max_attempts=3
    def publish_scheduled_change(*, change_id: int) -> None:
        with exclusive(f"ivr:{ivr_id}"):      # one publish of this IVR at once, anywhere
            with audit.change_set(...) as change:
                ...

    publish_scheduled_change.using(run_after=when).enqueue(change_id=7)   # due at a time

The contract every task gets:
- **Due at a time.** `.using(run_after=...)` is not started before that time; an idle worker
  looks for due tasks every `--interval` seconds (default 1).
- **One run of a task at once.** A worker claims a task with SELECT ... FOR UPDATE SKIP LOCKED
  (django-tasks-db) and, in the same transaction, takes the task's run lock
  (core.worker.locks), which it holds until the task has finished.
- **At most one run at once for a key.** `exclusive("ivr:42")` is a database lock (a
  PostgreSQL advisory lock; a lock file on the single-machine SQLite trial) held by this
  process until the block ends, or until the process dies. It raises AlreadyRunning.
- **A worker that dies mid-task.** Its run lock dies with it, so any worker finds the task at
  once (at start-up and every heartbeat: core.worker.recovery). The change sets that run had
  opened are closed as *interrupted* (signal `task_run_lost`, which the audit log listens to:
  every change set a run opens carries the run's id, `task-<task id>-<attempt>`, as its
  request id, and so do its log lines). The task is then queued again, up to `max_attempts`
  runs in all, or marked failed when it says `run_again_if_interrupted=False` (a task that
  must never repeat a write, such as getting a phone number). A task run again must converge:
  read the live state first and send only what is still missing.
- **Periodic tasks** are declared in one place, settings.WORKER_PERIODIC_TASKS, and are
  queued once per period however many workers run (a unique row per period:
  core.worker.periodic).
- **Heartbeat.** Each worker process keeps a row (core.worker.models.WorkerProcess) saying it
  is alive and what it runs; /healthz reports whether one has been seen in the last minute.

No task runs in a thread of the web process; ImmediateBackend only in tests that say why.
"""
