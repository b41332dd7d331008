"""`make run`'s launcher, for real: the site, the sandbox and the worker come up, and stop
together (on the trial's SQLite database)."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from functools import partial
from pathlib import Path

from sandbox.process import free_port

BASE_DIR = Path(__file__).resolve().parents[2]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False


def _yeastar_token(base_url: str) -> dict:
    body = json.dumps({"username": "sandbox-client-id", "password": "sandbox-client-secret"})
    request = urllib.request.Request(
        f"{base_url}/openapi/v1.0/get_token",
        data=body.encode(),
        headers={"Content-Type": "application/json", "User-Agent": "OpenAPI"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def _health(site: str) -> dict:
    with urllib.request.urlopen(f"{site}/healthz", timeout=5) as response:
        return json.loads(response.read())


def _dialpad_offices(base_url: str) -> dict:
    request = urllib.request.Request(
        f"{base_url}/api/v2/offices", headers={"Authorization": "Bearer sandbox-dialpad-api-key"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def _task_ran(var_dir, task_path: str) -> bool:
    """Whether the trial's worker has run this task successfully (its SQLite task table)."""
    try:
        with sqlite3.connect(var_dir / "talkadmin.sqlite3") as trial:
            rows = trial.execute(
                "SELECT 1 FROM django_tasks_database_dbtaskresult"
                " WHERE task_path = ? AND status = 'SUCCESSFUL'",
                [task_path],
            ).fetchall()
    except sqlite3.Error:  # not migrated yet, or busy: not yet
        return False
    return bool(rows)


def test_the_demo_starts_with_the_sandbox_and_stops_cleanly_on_sigterm(tmp_path):
    site_port, sandbox_port, yeastar_port = free_port(), free_port(), free_port()
    dialpad_port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            (
                "TALK_",
                "SANDBOX_",
                "YEASTAR_",
                "DIALPAD_",
                "DATABASE_",
                "SECURE_",
                "ALLOWED_HOSTS",
                "AUDIT_",
            )
        )
        and key != "STATIC_ROOT"
    }
    env.update(
        ENV_FILE=os.devnull,
        PORT=str(site_port),
        SANDBOX_PORT=str(sandbox_port),
        YEASTAR_SANDBOX_PORT=str(yeastar_port),
        DIALPAD_SANDBOX_PORT=str(dialpad_port),
        VAR_DIR=str(tmp_path),  # never the developer's own var/ (demo passwords, database)
        WEB_CONCURRENCY="1",
    )
    launcher = subprocess.Popen(
        [sys.executable, "-m", "talkadmin.launcher"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        site = f"http://127.0.0.1:{site_port}"
        assert _wait_for(lambda: _answers(f"{site}/sign-in/"), 90), "the site never answered"
        assert _wait_for(lambda: _health(site)["checks"]["worker"]["ok"], 60), "no worker seen"
        health = _health(site)
        assert health["checks"]["talk_api"]["ok"] is True
        assert health["status"] == "ok"
        assert _answers(f"http://127.0.0.1:{sandbox_port}/sandbox/health")
        yeastar = f"http://127.0.0.1:{yeastar_port}"
        assert _answers(f"{yeastar}/sandbox/health")
        assert _yeastar_token(yeastar)["errcode"] == 0  # it takes the credentials the site got
        dialpad = f"http://127.0.0.1:{dialpad_port}"
        offices = _dialpad_offices(dialpad)["items"]  # the key the site got opens it
        assert [office["name"] for office in offices] == ["London", "New York"]
        # The worker syncs the account into the copy at start-up, then runs its periodic task.
        for task_path in ("mirror.tasks.full_sync", "audit.tasks.close_interrupted_change_sets"):
            ran_it = partial(_task_ran, tmp_path, task_path)
            assert _wait_for(ran_it, 90), f"{task_path} never ran"
    finally:
        launcher.send_signal(signal.SIGTERM)
        output, _ = launcher.communicate(timeout=30)
    assert "Using the local Talk sandbox" in output
    assert f"Using the local Yeastar sandbox on {yeastar}" in output
    assert f"Using the local Dialpad sandbox on {dialpad}" in output
    assert "No Talk API is configured" not in output
    assert "demo-admin" in output  # the first run prints the demo accounts...
    assert "demo-admin" in (tmp_path / "demo-accounts.txt").read_text()  # ...and keeps them
    assert (tmp_path / "talkadmin.sqlite3").exists()
    with sqlite3.connect(tmp_path / "talkadmin.sqlite3") as trial:  # the probe was counted
        counted = trial.execute("SELECT account, SUM(spent) FROM talk_budget_slot GROUP BY 1")
        ((account, spent),) = counted.fetchall()
    assert (account, spent >= 1) == (f"http://127.0.0.1:{sandbox_port}", True)
    assert not _answers(f"http://127.0.0.1:{sandbox_port}/sandbox/health")
    assert not _answers(f"{yeastar}/sandbox/health")
    assert not _answers(f"{dialpad}/sandbox/health")
    assert not _answers(f"http://127.0.0.1:{site_port}/sign-in/")
    # The trial signs its audit rows with a key of its own, kept (owner-only) beside its database.
    keys_file = tmp_path / "audit-signing-keys"
    assert keys_file.stat().st_mode & 0o777 == 0o600
    key_id, secret = keys_file.read_text().strip().split(":")
    assert key_id.startswith("trial-") and len(secret) >= 32
    assert secret not in output
    verified = subprocess.run(
        [sys.executable, "manage.py", "audit_verify"],
        cwd=BASE_DIR,
        env={
            **env,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'talkadmin.sqlite3'}",
            "AUDIT_HMAC_KEYS_FILE": str(keys_file),
            "DEBUG": "true",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert verified.returncode == 0, verified.stderr
    assert "The audit log is intact" in verified.stdout  # the demo accounts' rows, signed
    assert "written before row signing" not in verified.stdout
    with sqlite3.connect(tmp_path / "talkadmin.sqlite3") as trial:
        stopped = trial.execute("SELECT stopped_at FROM worker_workerprocess").fetchall()
        ran = trial.execute(
            "SELECT status FROM django_tasks_database_dbtaskresult WHERE task_path = ?",
            ["audit.tasks.close_interrupted_change_sets"],
        ).fetchall()
    assert len(stopped) == 1 and stopped[0][0] is not None  # the worker stopped cleanly
    assert ran == [("SUCCESSFUL",)]  # its periodic task ran at start, on SQLite
