"""Run the Dialpad sandbox as its own process on a free port (browser tests, demos)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sandbox.dialpad import DEFAULT_API_KEY, ENV_PREFIX
from sandbox.process import BASE_DIR, RunningProcess, free_port


@dataclass
class RunningDialpadSandbox(RunningProcess):
    """A Dialpad sandbox process: its base URL, the API key it accepts, and its controls."""

    api_key: str = DEFAULT_API_KEY


def start_dialpad_sandbox(
    *,
    port: int | None = None,
    state_file: Path | None = None,
    env: dict[str, str] | None = None,
    save: bool = True,
) -> RunningDialpadSandbox:
    """Start `python -m sandbox.dialpad` on `port` (default: a free one) and wait until it
    answers. state_file: where it keeps its company (default: a new temporary file, never the
    demo's var/ file); save=False: it never writes changes back."""
    port = port or free_port()
    if state_file is None:
        state_file = Path(tempfile.mkdtemp(prefix="dialpad-sandbox-")) / "state.json"
    command = [sys.executable, "-m", "sandbox.dialpad", "--port", str(port)]
    command += ["--state", str(state_file)] + ([] if save else ["--no-save"])
    process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL)
    settings = env if env is not None else os.environ
    running = RunningDialpadSandbox(
        process=process,
        base_url=f"http://127.0.0.1:{port}",
        api_key=settings.get(f"{ENV_PREFIX}API_KEY") or DEFAULT_API_KEY,
    )
    running.wait_until_healthy()
    return running
