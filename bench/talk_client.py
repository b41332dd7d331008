"""How long Talk API calls take through the real client, against the sandbox.

    .venv/bin/python bench/talk_client.py [--runs 200]

In-process (the test double: no sockets) and served (python -m sandbox over loopback HTTP), it
times typical calls (median and 95th percentile, milliseconds) and prints a table. The figures
are TalkAdmin's own overhead plus the sandbox's: Zendesk's network time comes on top.
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
from sandbox import DEFAULT_API_TOKEN, DEFAULT_EMAIL, build_app  # noqa: E402
from sandbox.process import start_sandbox  # noqa: E402
from talk.client import TalkClient  # noqa: E402
from talk.recording import recording_calls  # noqa: E402
from talk.wsgi_transport import WsgiAdapter  # noqa: E402


class Discard:
    def record_sending(self, call: object) -> None:
        return None

    def record_call(self, call: object) -> None:
        pass


def timed(call: Callable[[], object], runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def scenarios(client: TalkClient, ivr_id: int, number_id: int) -> dict[str, Callable[[], object]]:
    toggle = iter(range(10**9))

    def update_number() -> None:
        with recording_calls(Discard()):
            client.update_phone_number(number_id, {"recorded": next(toggle) % 2 == 0})

    def groups_uncached() -> None:
        client.forget_lookups("groups")
        client.list_groups()

    return {
        "get_ivr (3-level IVR, 20 routes)": lambda: client.get_ivr(ivr_id),
        "list_ivrs (4 IVRs)": client.list_ivrs,
        "get_phone_number with settings": lambda: client.get_phone_number(number_id),
        "update_phone_number (recorded)": update_number,
        "list_groups, not cached": groups_uncached,
        "list_groups, cached": client.list_groups,
        "load_lookups, every list in parallel": lambda: (
            client.forget_lookups(),
            client.load_lookups(),
        ),
    }


def configure(base_url: str) -> TalkClient:
    settings.TALK_BASE_URL = base_url
    settings.TALK_EMAIL, settings.TALK_API_TOKEN = DEFAULT_EMAIL, DEFAULT_API_TOKEN
    settings.TALK_RATE_LIMIT_PER_MINUTE = 10**9
    cache.clear()
    talk.reset_client()
    return talk.get_client()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    runs = parser.parse_args().runs
    rows: list[tuple[str, str, float, float]] = []

    app = build_app(env={})
    client = configure("https://sandbox.talkadmin.test")
    client.transport.mount(WsgiAdapter(app))
    ivr_id = app.state.ivr_named("Main support line")["id"]
    number_id = app.state.number_named("US Main Support")["id"]
    for name, call in scenarios(client, ivr_id, number_id).items():
        rows.append(("in-process", name, *timed(call, runs)))

    served = start_sandbox()
    try:
        client = configure(served.base_url)
        for name, call in scenarios(client, ivr_id, number_id).items():
            rows.append(("served", name, *timed(call, max(20, runs // 4))))
    finally:
        served.stop()

    print(f"{'sandbox':<11} {'call':<36} {'median ms':>10} {'p95 ms':>8}")
    for where, name, median, p95 in rows:
        print(f"{where:<11} {name:<36} {median:>10.2f} {p95:>8.2f}")


if __name__ == "__main__":
    main()
