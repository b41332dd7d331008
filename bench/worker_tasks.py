"""The task bench/worker.py queues: it notes when it started, in which process, and how many
times each task ran (a line per run, appended with O_APPEND, so processes never mix lines)."""

import json
import os
import time

from django.tasks import task


@task()
def stamp(*, notes: str, label: str, work_ms: int = 0) -> float:
    started = time.time()
    if work_ms:
        time.sleep(work_ms / 1000)  # stands for a Talk API call of that latency
    line = json.dumps({"label": label, "pid": os.getpid(), "started": started}) + "\n"
    descriptor = os.open(notes, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, line.encode())
    finally:
        os.close(descriptor)
    return started
