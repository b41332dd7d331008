"""`make run`'s launcher, for real: the site and the sandbox come up, and stop together."""

import os
import signal
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
            ("TALK_", "SANDBOX_", "DATABASE_", "SECURE_", "ALLOWED_HOSTS", "STATIC_ROOT", "AUDIT_")
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
    assert not _answers(f"http://127.0.0.1:{sandbox_port}/sandbox/health")
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
