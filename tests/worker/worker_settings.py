"""Settings of the worker processes the worker tests start: TalkAdmin's, with the periodic
tasks the test asks for (WORKER_TEST_PERIODIC_SECONDS) instead of the housekeeping ones, and
no start-up task."""

import os
from datetime import timedelta

from talkadmin.settings import *  # noqa: F403

if os.environ.get("WORKER_TEST_PERIODIC_SECONDS"):
    WORKER_PERIODIC_TASKS = {
        "tests.worker.tasks.note_periodic_run": timedelta(
            seconds=float(os.environ["WORKER_TEST_PERIODIC_SECONDS"])
        )
    }
else:
    WORKER_PERIODIC_TASKS = {}
# Nor the synced copy's full sync at start-up (tests/mirror test it): these workers run only
# the tasks the test queues.
WORKER_STARTUP_TASKS: list[str] = []
