"""What the phone-number pages cost: Talk API calls and server time, against a slow sandbox.

    .venv/bin/python bench/phone_numbers.py [--latency-ms 100] [--runs 5]

The sandbox runs as its own process and waits `--latency-ms` before each answer, standing in
for Zendesk's network time. For each step a person takes on the phone-number pages it prints
the calls TalkAdmin made and the server time (the page's Talk reads and its template, median of
the runs), beside the floor: the same calls made one after another cost (calls x latency);
reads made in parallel beat it.

`measure_page(served, step, runs)` measures one step (a name from STEPS), for `make bench`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talkadmin.settings")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402

import talk  # noqa: E402
from core import phone  # noqa: E402
from numbers.services import selectors as pages  # noqa: E402
from numbers.wording import call_summary  # noqa: E402
from sandbox import DEFAULT_API_TOKEN, DEFAULT_EMAIL  # noqa: E402
from sandbox.process import RunningSandbox, start_sandbox  # noqa: E402

NUMBER = "UK Support London"  # the number whose page is measured


def configure(base_url: str) -> None:
    settings.TALK_BASE_URL = base_url
    settings.TALK_EMAIL, settings.TALK_API_TOKEN = DEFAULT_EMAIL, DEFAULT_API_TOKEN
    settings.TALK_RATE_LIMIT_PER_MINUTE = 10**9
    talk.reset_client()


def _list(filters: pages.NumberFilters, *, reuse_recent: bool = False) -> str:
    listing = pages.number_listing(filters=filters, reuse_recent=reuse_recent)
    return render_to_string("numbers/number_list.html#results", {"listing": listing})


def _number(number_id: int) -> str:
    page = pages.number_page(number_id=number_id)
    context = {
        "number": page.number,
        "number_id": number_id,
        "label": phone.short_label(**phone.label_parts(page.number)),
        "summary": call_summary(page.number, page.names),
        "sections": [],
        "read_at": page.read_at,
    }
    return render_to_string("numbers/number_detail.html#number-page", context)


@dataclass(frozen=True)
class Step:
    name: str
    cold: bool  # whether the cache starts empty (a first visit)
    read: Callable[[int], object]  # given the measured number's id


STEPS = {
    step.name: step
    for step in (
        Step("Phone numbers, first visit", True, lambda _: _list(pages.NumberFilters())),
        Step("Phone numbers, visited again", False, lambda _: _list(pages.NumberFilters())),
        Step(
            "Phone numbers, search as you type",
            False,
            lambda _: _list(pages.NumberFilters(search="uk", country="GB"), reuse_recent=True),
        ),
        Step("Number page, first visit", True, _number),
        Step("Number page, visited again", False, _number),
    )
}


@dataclass(frozen=True)
class Measured:
    step: str
    calls: int
    milliseconds: float  # median server time


def number_id_of(name: str) -> int:
    return next(n.id for n in talk.get_client().list_phone_numbers() if n.nickname == name)


def measure_page(served: RunningSandbox, step: str, runs: int = 5) -> Measured:
    """One step's Talk API calls and median server time against the served sandbox."""
    configure(served.base_url)
    chosen = STEPS[step]
    number_id = number_id_of(NUMBER)
    calls, samples = 0, []
    for _ in range(runs):
        if chosen.cold:
            cache.clear()
        else:
            chosen.read(number_id)  # what the step follows: the same page, already visited
        served.control("DELETE", "/sandbox/requests")
        started = time.perf_counter()
        chosen.read(number_id)
        samples.append((time.perf_counter() - started) * 1000)
        calls = len(served.requests())
    return Measured(step, calls, statistics.median(samples))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()

    served = start_sandbox()
    try:
        served.set_faults({"latency_ms": options.latency_ms})
        rows = [measure_page(served, step, options.runs) for step in STEPS]
    finally:
        served.stop()

    print(
        f"Sandbox served on loopback, {options.latency_ms} ms per answer; "
        f"median of {options.runs} runs."
    )
    print(f"{'step':<36} {'API calls':>9} {'ms':>8} {'one after another':>18}")
    for row in rows:
        floor = row.calls * options.latency_ms
        print(f"{row.step:<36} {row.calls:>9} {row.milliseconds:>8.0f} {floor:>18}")


if __name__ == "__main__":
    main()
