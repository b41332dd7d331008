"""What the IVR pages cost: Talk API calls and time per page, against a slow served sandbox.

    .venv/bin/python bench/ivr_pages.py [--latency-ms 100] [--runs 5]

The sandbox runs as its own process and waits `--latency-ms` before each answer, standing in
for Zendesk's network time. For each step a person takes on the IVR pages it prints the calls
TalkAdmin made and the time the page's data took (median of the runs), beside the floor: the
same calls made one after another cost (calls x latency); reads made in parallel beat it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talkadmin.settings")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402

import talk  # noqa: E402
from ivr.services import selectors as pages  # noqa: E402
from ivr.web.presenters.ivr_page import ivr_view  # noqa: E402
from sandbox import DEFAULT_API_TOKEN, DEFAULT_EMAIL  # noqa: E402
from sandbox.process import RunningSandbox, start_sandbox  # noqa: E402


def configure(base_url: str) -> None:
    settings.TALK_BASE_URL = base_url
    settings.TALK_EMAIL, settings.TALK_API_TOKEN = DEFAULT_EMAIL, DEFAULT_API_TOKEN
    settings.TALK_RATE_LIMIT_PER_MINUTE = 10**9
    talk.reset_client()


def _ivr_page(ivr_id: int, *, call: str = "", press: str | None = None, reuse_recent=False):
    """What the IVR page builds: the live IVR read, then its checks, tree and keypad."""
    reading = pages.live_ivr(ivr_id=ivr_id, reuse_recent=reuse_recent)
    return ivr_view(document=reading.document, lookups=reading.lookups, call=call, press=press)


def steps(ivr_id: int) -> list[tuple[str, bool, Callable[[], object]]]:
    """(what the admin does, whether the cache starts empty, the page's read)."""
    return [
        ("IVR list, first visit", True, lambda: pages.ivr_listing()),
        ("IVR list, visited again", False, lambda: pages.ivr_listing()),
        (
            "IVR list, search as you type",
            False,
            lambda: pages.ivr_listing(search="line", reuse_recent=True),
        ),
        ("IVR page, first visit", True, lambda: _ivr_page(ivr_id)),
        ("IVR page, visited again", False, lambda: _ivr_page(ivr_id)),
        (
            "IVR page, keypad press",
            False,
            lambda: _ivr_page(ivr_id, call="2-1", press="1", reuse_recent=True),
        ),
    ]


def measure(served: RunningSandbox, ivr_id: int, runs: int) -> list[tuple[str, int, float]]:
    rows = []
    for name, cold, read in steps(ivr_id):
        calls, samples = 0, []
        for _ in range(runs):
            if cold:
                cache.clear()
            else:
                read()  # what the step follows: the same page, already visited
            served.control("DELETE", "/sandbox/requests")
            started = time.perf_counter()
            read()
            samples.append((time.perf_counter() - started) * 1000)
            calls = len(served.requests())
        rows.append((name, calls, statistics.median(samples)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()

    served = start_sandbox()
    try:
        served.set_faults({"latency_ms": options.latency_ms})
        configure(served.base_url)
        ivr_id = next(
            ivr.id for ivr in talk.get_client().list_ivrs() if ivr.name == "Main support line"
        )
        rows = measure(served, ivr_id, options.runs)
    finally:
        served.stop()

    print(
        f"Sandbox served on loopback, {options.latency_ms} ms per answer; "
        f"median of {options.runs} runs."
    )
    print(f"{'step':<32} {'API calls':>9} {'ms':>8} {'one after another':>18}")
    for name, calls, milliseconds in rows:
        print(f"{name:<32} {calls:>9} {milliseconds:>8.0f} {calls * options.latency_ms:>18}")


if __name__ == "__main__":
    main()
