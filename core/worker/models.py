"""What the worker keeps besides the task queue itself (django_tasks_db's DBTaskResult).

- WorkerProcess: one row per worker process, its heartbeat: it is alive, and what it runs.
- PeriodicRun: one row per periodic task and period, whose unique constraint makes sure a
  period's run is queued once however many workers see it come due.
"""

from django.db import models


class WorkerProcess(models.Model):
    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(help_text="Database clock when the worker started.")
    last_seen_at = models.DateTimeField(help_text="Database clock at its latest heartbeat.")
    stopped_at = models.DateTimeField(null=True, blank=True, help_text="When it stopped cleanly.")
    running_task_id = models.UUIDField(null=True, blank=True)
    running_task_path = models.TextField(blank=True)
    running_since = models.DateTimeField(null=True, blank=True)
    tasks_run = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["last_seen_at"], name="worker_last_seen_idx")]

    def __str__(self) -> str:
        return f"Worker {self.worker_id} (pid {self.pid} on {self.hostname})"


class PeriodicRun(models.Model):
    name = models.CharField(max_length=255, help_text="The periodic task's module path.")
    slot = models.DateTimeField(help_text="The start of the period this run is for.")
    enqueued_at = models.DateTimeField(auto_now_add=True)
    worker_id = models.CharField(max_length=64, help_text="The worker that queued it.")
    task_result_id = models.UUIDField(null=True, blank=True)
    skipped_because = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "slot"], name="periodic_run_once_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.name} for {self.slot.isoformat()}"
