"""`make run`'s launcher, for real: the site and the sandbox come up, and stop together."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
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


def test_the_demo_starts_with_the_sandbox_and_stops_cleanly_on_sigterm(tmp_path):
    site_port, sandbox_port = free_port(), free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            ("TALK_", "SANDBOX_", "DATABASE_URL", "SECURE_", "ALLOWED_HOSTS", "STATIC_ROOT")
        )
    }
    env.update(
        ENV_FILE=os.devnull,
        PORT=str(site_port),
        SANDBOX_PORT=str(sandbox_port),
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
        with urllib.request.urlopen(f"{site}/healthz", timeout=5) as response:
            health = response.read().decode()
        assert '"talk_api": {"ok": true' in health
        assert _answers(f"http://127.0.0.1:{sandbox_port}/sandbox/health")
    finally:
        launcher.send_signal(signal.SIGTERM)
        output, _ = launcher.communicate(timeout=30)
    assert "Using the local Talk sandbox" in output
    assert "demo-admin" in output  # the first run prints the demo accounts...
    assert "demo-admin" in (tmp_path / "demo-accounts.txt").read_text()  # ...and keeps them
    assert (tmp_path / "talkadmin.sqlite3").exists()
    with sqlite3.connect(tmp_path / "talkadmin.sqlite3") as trial:  # the probe was counted
        counted = trial.execute("SELECT account, SUM(spent) FROM talk_budget_slot GROUP BY 1")
        ((account, spent),) = counted.fetchall()
    assert (account, spent >= 1) == (f"http://127.0.0.1:{sandbox_port}", True)
    assert not _answers(f"http://127.0.0.1:{sandbox_port}/sandbox/health")
    assert not _answers(f"http://127.0.0.1:{site_port}/sign-in/")
