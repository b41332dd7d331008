"""What the greeting pages cost: the Greetings page with 500 greetings, and a 10 MB recording
streamed to a listener, against TalkAdmin served as in production.

    .venv/bin/python bench/greetings.py [--latency-ms 100] [--runs 5]

The Talk sandbox runs as its own process with the demo account grown to 500 greetings (and one
of them a 10 MB WAV), waiting `--latency-ms` before each answer as a distant Zendesk would.
TalkAdmin runs under gunicorn with one sync worker (DEBUG off) on its own database,
talkadmin_bench_greetings (made afresh each run, on the server of DATABASE_URL). It prints:
- the Greetings page, first visit (empty cache) and visited again: the Talk API calls it made
  and the time of the whole request (median and slowest of the runs);
- streaming the 10 MB recording through TalkAdmin: the time, and the worker's memory (resident
  set) before, at its peak while streaming (sampled every 2 ms and read from the kernel's
  high-water mark), and the growth, beside the file's size.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    BASE_DIR,
    Discard,
    configure_django,
    database_url,
    format_table,
    median,
)

DATABASE = "talkadmin_bench_greetings"
GREETINGS = 500
BIG_FILE_BYTES = 10 * 1024 * 1024 - 64 * 1024  # just under Zendesk's 10 MB limit


def account_file(folder: Path) -> Path:
    """The demo account with GREETINGS greetings (the added ones play a demo recording)."""
    from sandbox.demo import demo_account
    from sandbox.state import SandboxState

    state = SandboxState(demo_account())
    for n in range(len(state.greetings) + 1, GREETINGS + 1):
        state.add_greeting(f"Bench greeting {n:03d}", category_id=5 if n % 2 else 3)
    path = folder / "sandbox-state.json"
    path.write_text(json.dumps(state.to_json()))
    return path


def big_wav() -> bytes:
    sys.path.insert(0, str(BASE_DIR))
    from tests.audio_files import wav_of_size

    return wav_of_size(BIG_FILE_BYTES)


def upload_big_greeting(base_url: str, email: str, token: str) -> int:
    """A greeting whose recording is the 10 MB WAV, made through the real API."""
    from django.conf import settings

    import talk
    from talk.recording import recording_calls

    settings.TALK_BASE_URL, settings.TALK_EMAIL, settings.TALK_API_TOKEN = base_url, email, token
    settings.TALK_RATE_LIMIT_PER_MINUTE = 10**9
    talk.reset_client()
    client = talk.get_client()
    with recording_calls(Discard()):
        created = client.create_greeting(name="Bench 10 MB recording", category_id=5)
        client.upload_greeting_audio(created.id, audio=big_wav(), file_name="big.wav")
    return int(created.id)


def viewer_cookie() -> str:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from core.roles import VIEWER

    user, _ = get_user_model().objects.get_or_create(username="bench-viewer")
    user.groups.add(Group.objects.get(name=VIEWER.name))
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


def worker_pid(master_pid: int) -> int:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    assert len(children) == 1, f"expected one gunicorn worker, found {children}"
    return int(children[0])


def memory_kb(pid: int, field: str) -> int:
    """VmRSS (now) or VmHWM (the peak so far) of a process, in kB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise LookupError(field)


def fetch(url: str, cookie: str) -> tuple[int, int, float]:
    """(status, bytes read, seconds) of one GET, read in 64 KB pieces as a player would."""
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310 - loopback
    started = time.perf_counter()
    size = 0
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
        while chunk := response.read(64 * 1024):
            size += len(chunk)
        status = response.status
    return status, size, time.perf_counter() - started


def measure_page(site_url: str, cookie: str, sandbox, cache_dir: Path, runs: int) -> list:
    rows = []
    for label, cold in (("Greetings page, first visit", True), ("visited again", False)):
        samples, calls = [], []
        for _ in range(runs):
            if cold:
                for entry in cache_dir.iterdir():
                    entry.unlink()
            else:
                fetch(f"{site_url}/greetings/", cookie)
            sandbox.control("DELETE", "/sandbox/requests")
            status, size, seconds = fetch(f"{site_url}/greetings/", cookie)
            assert status == 200, status
            samples.append(seconds * 1000)
            calls.append(len(sandbox.requests()))
        rows.append((label, max(calls), f"{median(samples):.0f}", f"{max(samples):.0f}", size))
    return rows


def measure_stream(site_url: str, cookie: str, pid: int, greeting_id: int) -> dict:
    fetch(f"{site_url}/healthz", cookie)  # the worker has served a request: its code is loaded
    before_rss, before_peak = memory_kb(pid, "VmRSS"), memory_kb(pid, "VmHWM")
    sampled = [before_rss]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            sampled.append(memory_kb(pid, "VmRSS"))
            time.sleep(0.002)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        status, size, seconds = fetch(f"{site_url}/greetings/{greeting_id}/audio/", cookie)
    finally:
        done.set()
        sampler.join()
    assert status == 200 and size > BIG_FILE_BYTES - 1024, (status, size)
    # The kernel's high-water mark catches a peak between samples, once it passes the old one.
    after_peak = memory_kb(pid, "VmHWM")
    peak = after_peak if after_peak > before_peak else max(sampled)
    return {
        "bytes": size,
        "seconds": seconds,
        "rss_before_kb": before_rss,
        "rss_peak_kb": peak,
        "growth_kb": peak - before_rss,
        "samples": len(sampled),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()

    configure_django(DATABASE, recreate=True)
    from django.conf import settings

    from sandbox.process import start_sandbox
    from talkadmin.serving import serve_site, site_environment

    workdir = Path(tempfile.mkdtemp(prefix="talkadmin-bench-greetings-"))
    cache_dir = workdir / "cache"
    cache_dir.mkdir()
    sandbox = start_sandbox(state_file=account_file(workdir), save=False)
    site = None
    try:
        greeting_id = upload_big_greeting(sandbox.base_url, sandbox.email, sandbox.api_token)
        sandbox.set_faults({"latency_ms": options.latency_ms})
        env = site_environment(
            {
                "SECRET_KEY": settings.SECRET_KEY,
                "DATABASE_URL": database_url(DATABASE),
                "STATIC_ROOT": str(workdir / "static"),
                "CACHE_URL": f"filecache://{cache_dir}",
                "TALK_BASE_URL": sandbox.base_url,
                "TALK_EMAIL": sandbox.email,
                "TALK_API_TOKEN": sandbox.api_token,
                "TALK_SANDBOX": "true",
                "TALK_RATE_LIMIT_PER_MINUTE": "100000",
                "LOG_LEVEL": "WARNING",
            }
        )
        site = serve_site(env, log=workdir / "site.log", workers=1)
        cookie = viewer_cookie()
        pid = worker_pid(site.process.pid)
        stream = measure_stream(site.url, cookie, pid, greeting_id)
        rows = measure_page(site.url, cookie, sandbox, cache_dir, options.runs)
    finally:
        if site is not None:
            site.stop()
        sandbox.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    print(
        f"Talk sandbox served with {GREETINGS} greetings, {options.latency_ms} ms per answer; "
        f"TalkAdmin under gunicorn, 1 sync worker; {options.runs} runs."
    )
    print()
    print(format_table(["step", "Talk API calls", "median ms", "slowest ms", "page bytes"], rows))
    print()
    print(
        format_table(
            ["10 MB recording streamed", "bytes", "seconds", "RSS before", "RSS peak", "growth"],
            [
                (
                    "through TalkAdmin",
                    f"{stream['bytes']:,}",
                    f"{stream['seconds']:.2f}",
                    f"{stream['rss_before_kb'] / 1024:.1f} MB",
                    f"{stream['rss_peak_kb'] / 1024:.1f} MB",
                    f"{stream['growth_kb'] / 1024:.1f} MB",
                )
            ],
        )
    )
    print(f"(worker memory sampled {stream['samples']} times while streaming)")


if __name__ == "__main__":
    main()
