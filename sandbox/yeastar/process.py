"""Run the Yeastar sandbox as its own process on a free port (browser tests, demos)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sandbox.process import BASE_DIR, RunningProcess, free_port
from sandbox.yeastar import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, ENV_PREFIX


@dataclass
class RunningYeastarSandbox(RunningProcess):
    """A Yeastar sandbox process: its base URL, the credentials it accepts, and its controls."""

    client_id: str = DEFAULT_CLIENT_ID
    client_secret: str = DEFAULT_CLIENT_SECRET

    def expire_tokens(self) -> int:
        """Every access token the sandbox gave expires now; how many were valid."""
        return self.control("POST", "/sandbox/tokens/expire")["expired"]


def start_yeastar_sandbox(
    *,
    port: int | None = None,
    state_file: Path | None = None,
    env: dict[str, str] | None = None,
    save: bool = True,
) -> RunningYeastarSandbox:
    """Start `python -m sandbox.yeastar` on `port` (default: a free one) and wait until it
    answers. state_file: where it keeps its PBX (default: a new temporary file, never the demo's
    var/ file); save=False: it never writes changes back."""
    port = port or free_port()
    if state_file is None:
        state_file = Path(tempfile.mkdtemp(prefix="yeastar-sandbox-")) / "state.json"
    command = [sys.executable, "-m", "sandbox.yeastar", "--port", str(port)]
    command += ["--state", str(state_file)] + ([] if save else ["--no-save"])
    process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL)
    settings = env if env is not None else os.environ
    running = RunningYeastarSandbox(
        process=process,
        base_url=f"http://127.0.0.1:{port}",
        client_id=settings.get(f"{ENV_PREFIX}CLIENT_ID") or DEFAULT_CLIENT_ID,
        client_secret=settings.get(f"{ENV_PREFIX}CLIENT_SECRET") or DEFAULT_CLIENT_SECRET,
    )
    running.wait_until_healthy()
    return running
