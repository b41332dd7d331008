"""/healthz says whether a worker has been seen in the last minute; no worker is "degraded",
never a 503 (the HTTP status follows the database only)."""

import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from core.worker.heartbeat import Heartbeat
from core.worker.locks import exclusive
from core.worker.models import WorkerProcess
from core.worker.runs import run_lock_key
from tests.worker.conftest import wait_for


def worker_check(client) -> tuple[int, str, dict]:
    response = client.get("/healthz")
    body = response.json()
    return response.status_code, body["status"], body["checks"]["worker"]


@pytest.mark.django_db(transaction=True)
def test_healthz_reports_a_real_worker_and_then_its_absence(client, sandbox, workers):
    assert worker_check(client) == (
        200,
        "degraded",
        {"ok": False, "detail": "no worker seen in the last minute: background work waits for one"},
    )
    worker = workers.start()
    wait_for(lambda: worker_check(client)[2]["ok"], seconds=60, what="the worker to be seen")
    assert worker_check(client) == (200, "ok", {"ok": True, "detail": "1 worker running, 0 busy"})

    workers.stop(worker)
    assert worker_check(client)[:2] == (200, "degraded")


@pytest.mark.django_db
def test_a_worker_silent_for_a_minute_is_not_counted(client, sandbox):
    Heartbeat("quiet").register()
    WorkerProcess.objects.update(last_seen_at=timezone.now() - timedelta(seconds=61))
    assert worker_check(client)[2]["ok"] is False


@pytest.mark.django_db(transaction=True)
def test_a_worker_busy_on_a_long_task_counts_while_its_run_lock_is_held(client, sandbox):
    task_id = uuid.uuid4()
    Heartbeat("busy").register()
    Heartbeat("busy").running(task_result_id=str(task_id), task_path="ivr.tasks.publish")
    WorkerProcess.objects.update(last_seen_at=timezone.now() - timedelta(minutes=10))
    holding, done = threading.Event(), threading.Event()

    def the_worker_running_it() -> None:  # another database session, as the worker's would be
        with exclusive(run_lock_key(task_id)):
            holding.set()
            done.wait(timeout=30)
        connection.close()

    thread = threading.Thread(target=the_worker_running_it)
    thread.start()
    try:
        assert holding.wait(timeout=10)
        assert worker_check(client) == (
            200,
            "ok",
            {"ok": True, "detail": "1 worker running, 1 busy"},
        )
    finally:
        done.set()
        thread.join()
    assert worker_check(client)[2]["ok"] is False  # the lock went with it: nobody is running
