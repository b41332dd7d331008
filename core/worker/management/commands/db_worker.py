"""`python manage.py db_worker`: run a TalkAdmin background worker (see core.worker).

It takes django-tasks-db's options (--queue-name, --interval, --batch, --max-tasks,
--worker-id, ...) and runs core.worker.worker.Worker: heartbeat, run locks, recovery of tasks
whose worker died, and the periodic tasks. Being listed before django_tasks_db in
INSTALLED_APPS, this command is the one `db_worker` runs.
"""

import os

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from core.worker.worker import Worker


class Command(DatabaseWorkerCommand):
    help = (
        "Run a TalkAdmin background worker: due tasks, periodic tasks, and the recovery of "
        "tasks whose worker died. Run as many as wanted against the one database."
    )

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(reload=False)  # a reload stops a task half-way; opt in with --reload

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options,
    ) -> None:
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
            heartbeat_seconds=settings.WORKER_HEARTBEAT_SECONDS,
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only in the reloaded child
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
