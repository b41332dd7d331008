"""Serve TalkAdmin as in production, on a free loopback port: gunicorn, DEBUG off, collected
static files, PostgreSQL. Used by the browser tests (tests/browser/live_site.py) and the
benchmark (bench/run.py), which each start the Talk sandbox themselves and pass its settings.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from sandbox.process import free_port, stop_process

BASE_DIR = Path(__file__).resolve().parent.parent


@dataclass
class ServedSite:
    """A gunicorn serving TalkAdmin: its `url`, its `process` and the `log` it writes to."""

    url: str
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        stop_process(self.process, timeout=15)


def site_environment(settings: dict[str, str]) -> dict[str, str]:
    """The environment of a served site: this process's, without its TALK_/SANDBOX_ settings
    and .env file, with DEBUG off and plain HTTP on loopback, then `settings` on top."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("TALK_", "SANDBOX_"))},
        "ENV_FILE": os.devnull,
        "DEBUG": "false",
        "SECURE_HTTPS": "false",  # plain HTTP on the loopback address, as `make run`
        "ALLOWED_HOSTS": "127.0.0.1",
        "PYTHONUNBUFFERED": "1",
        **settings,
    }


def serve_site(
    env: dict[str, str],
    *,
    log: Path,
    workers: int = 2,
    threads: int = 1,
    collect: bool = True,
    source: Path = BASE_DIR,
) -> ServedSite:
    """Collect the static files (to env's STATIC_ROOT), start gunicorn, wait until it answers.

    `env` is the whole environment (see site_environment): DATABASE_URL, SECRET_KEY,
    STATIC_ROOT, CACHE_URL and the TALK_ settings at least. threads > 1: gunicorn's gthread
    workers, each serving that many requests at once. collect=False: STATIC_ROOT is ready.
    source: the checkout to serve (another commit's, for a before/after benchmark).
    """
    if collect:
        manage = [sys.executable, "manage.py"]
        subprocess.run(
            [*manage, "collectstatic", "--no-input", "-v", "0"], cwd=source, env=env, check=True
        )
    port = free_port()
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as log_file:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "talkadmin.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
                "--access-logfile",
                "-",
            ],
            cwd=source,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    site = ServedSite(url=f"http://127.0.0.1:{port}", process=process, log=log)
    try:
        wait_until_answering(f"{site.url}/healthz", process, log=log)
    except Exception:
        site.stop()
        raise
    return site


def wait_until_answering(
    url: str, process: subprocess.Popen, *, log: Path, seconds: float = 30
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}; see {log}")
        try:
            urllib.request.urlopen(url, timeout=2).close()  # noqa: S310 - a loopback URL we built
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the site did not answer on {url} within {seconds:.0f} seconds")
