"""Run the sandbox as its own process on a free port (browser tests, benchmarks, demos)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sandbox import DEFAULT_API_TOKEN, DEFAULT_EMAIL

BASE_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class RunningProcess:
    """A sandbox served by its own process: its base URL and its /sandbox/ controls."""

    process: subprocess.Popen
    base_url: str

    def control(self, method: str, path: str, body: Any = None) -> Any:
        """Call a /sandbox/ control endpoint, e.g. control("POST", "/sandbox/faults", {...})."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base_url + path, data=data, method=method)  # noqa: S310
        request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - loopback URL
            return json.loads(answer.read() or b"null")

    def reset(self) -> None:
        self.control("POST", "/sandbox/reset")

    def set_faults(self, faults: dict[str, Any]) -> None:
        self.control("POST", "/sandbox/faults", faults)

    def requests(self) -> list[dict[str, Any]]:
        return self.control("GET", "/sandbox/requests")["requests"]

    def stop(self) -> None:
        stop_process(self.process, timeout=10)

    def wait_until_healthy(self, *, seconds: float = 20) -> None:
        """Return once /sandbox/health answers; stop the process and raise if it never does."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the sandbox exited with status {self.process.returncode}")
            try:
                self.control("GET", "/sandbox/health")
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the sandbox at {self.base_url} did not answer within {seconds:g} s")


@dataclass
class RunningSandbox(RunningProcess):
    """A Talk sandbox process: its base URL, the credentials it accepts, and its controls."""

    email: str = DEFAULT_EMAIL
    api_token: str = DEFAULT_API_TOKEN


def stop_process(process: subprocess.Popen, *, timeout: float) -> None:
    """Ask a child process to stop (SIGTERM), and kill it if it has not within `timeout`."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start_sandbox(
    *,
    port: int | None = None,
    state_file: Path | None = None,
    env: dict[str, str] | None = None,
    save: bool = True,
) -> RunningSandbox:
    """Start `python -m sandbox` on `port` (default: a free one) and wait until it answers.

    state_file: where it keeps its account (default: a new temporary file, so the demo's
    var/sandbox-state.json is never touched). save=False: it reads state_file but never writes
    its changes back (python -m sandbox --no-save).
    """
    port = port or free_port()
    if state_file is None:  # never the demo's var/ file: a fresh account of its own
        state_file = Path(tempfile.mkdtemp(prefix="talk-sandbox-")) / "state.json"
    command = [sys.executable, "-m", "sandbox", "--port", str(port), "--state", str(state_file)]
    if not save:
        command.append("--no-save")
    process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL)
    settings = env if env is not None else os.environ
    running = RunningSandbox(
        process=process,
        base_url=f"http://127.0.0.1:{port}",
        email=settings.get("SANDBOX_EMAIL") or DEFAULT_EMAIL,
        api_token=settings.get("SANDBOX_API_TOKEN") or DEFAULT_API_TOKEN,
    )
    running.wait_until_healthy()
    return running
