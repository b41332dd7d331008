"""Real worker processes (`manage.py db_worker`) on the pytest-django test database.

`workers.start()` starts one, with the test database's URL, the sandbox's settings when the
test uses `sandbox_server`, and short heartbeats; each is stopped when the test ends. Tests
using it are transactional (their rows are committed, so the workers see them).
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from sandbox.process import RunningSandbox, stop_process
from tests.browser.live_site import served_database_url

BASE_DIR = Path(__file__).resolve().parents[2]
HEARTBEAT_SECONDS = "0.5"
WORKER_COMMAND = (sys.executable, "manage.py", "db_worker")


def wait_for(condition: Callable[[], object], *, seconds: float, what: str) -> object:
    """Poll `condition` until it is truthy; fail the test, saying `what`, after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds:.0f} s for {what}")
        time.sleep(0.1)


@dataclass
class WorkerProcesses:
    logs: Path
    sandbox: RunningSandbox | None = None
    processes: list[subprocess.Popen] = field(default_factory=list)

    def environment(self, extra: dict[str, str]) -> dict[str, str]:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("TALK_", "SANDBOX_"))},
            "ENV_FILE": os.devnull,
            "DJANGO_SETTINGS_MODULE": "tests.worker.worker_settings",
            "DATABASE_URL": served_database_url(),
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DEBUG": "false",
            "WORKER_HEARTBEAT_SECONDS": HEARTBEAT_SECONDS,
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        }
        if self.sandbox is not None:
            env.update(
                TALK_BASE_URL=self.sandbox.base_url,
                TALK_EMAIL=self.sandbox.email,
                TALK_API_TOKEN=self.sandbox.api_token,
                TALK_RATE_LIMIT_PER_MINUTE="100000",
            )
        return {**env, **extra}

    def start(self, *, env: dict[str, str] | None = None) -> subprocess.Popen:
        """A worker polling every 0.2 s, started at once (no start-up delay)."""
        log = self.logs / f"worker-{len(self.processes) + 1}.log"
        with log.open("w") as output:
            process = subprocess.Popen(
                [*WORKER_COMMAND, "--interval", "0.2", "--no-startup-delay"],
                cwd=BASE_DIR,
                env=self.environment(env or {}),
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        process.log = log  # type: ignore[attr-defined]
        self.processes.append(process)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL: the worker dies on the spot, as in an out-of-memory kill or a power cut."""
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def stop(self, process: subprocess.Popen) -> int:
        """SIGTERM, as a process manager stops it; returns its exit status."""
        process.send_signal(signal.SIGTERM)
        return process.wait(timeout=30)

    def log_text(self) -> str:
        return "\n".join(
            f"--- {p.log.name} ---\n{p.log.read_text(errors='replace')}"  # type: ignore[attr-defined]
            for p in self.processes
        )

    def stop_all(self) -> None:
        for process in self.processes:
            stop_process(process, timeout=15)


@pytest.fixture
def workers(request, tmp_path, transactional_db) -> Iterator[WorkerProcesses]:
    wanted = "sandbox_server" in request.fixturenames
    sandbox = request.getfixturevalue("sandbox_server") if wanted else None
    processes = WorkerProcesses(logs=tmp_path, sandbox=sandbox)
    yield processes
    processes.stop_all()
    print(processes.log_text())  # pytest shows it only when the test failed
