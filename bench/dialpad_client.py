"""What reading and changing Dialpad's recordings costs: calls and time, against a slow sandbox.

    .venv/bin/python bench/dialpad_client.py [--latency-ms 100] [--departments 40] [--rate 10]

The Dialpad sandbox runs as its own process with the demo company plus `--departments` more
departments (three recordings each), and waits `--latency-ms` before each answer, standing in
for Dialpad's network time. The client spends from the shared budget at `--rate` requests a
second, as DIALPAD_RATE_LIMIT_PER_SECOND sets it. For each step it prints the Dialpad calls made
and the wall time (median of `--runs`), beside the floor: calls x latency one after another, or,
for the parallel read, the larger of that divided by the threads and calls / rate.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talkadmin.settings")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402

import dialpad  # noqa: E402
from core.api_calls.recording import recording_calls  # noqa: E402
from dialpad.audio import RecordingFile  # noqa: E402
from dialpad.resources import Named, Target, TargetType  # noqa: E402
from dialpad.situations import IvrType  # noqa: E402
from sandbox.dialpad.demo import LONDON, demo_company  # noqa: E402
from sandbox.dialpad.process import RunningDialpadSandbox, start_dialpad_sandbox  # noqa: E402
from sandbox.dialpad.state import FIRST_RECORDING_ID, DialpadState  # noqa: E402

THREADS = 8
MP3_FRAME = (Path(__file__).resolve().parent.parent / "sandbox/dialpad/recordings").joinpath(
    "london-closed.mp3"
)


class Ledger:
    """Stands in for the audit change set the writes need; the sandbox counts the calls."""

    def record_call(self, call: object) -> None:
        pass


def scaled_company(departments: int) -> dict:
    state = DialpadState(demo_company())
    next_id = FIRST_RECORDING_ID + 1000
    for number in range(departments):
        department_id = 7_000_000_000_000_000 + number
        state.targets["department"][department_id] = {
            "id": str(department_id), "name": f"Team {number:02d}", "office_id": str(LONDON),
            "state": "active", "phone_numbers": [],
        }  # fmt: skip
        for ivr_type in ("DEPARTMENT_INTRO", "CLOSED", "HOLD_MUSIC"):
            next_id += 1
            state.recordings[next_id] = {
                "id": next_id, "name": f"Team {number:02d} {ivr_type.lower()}",
                "description": "", "date_added": 1_717_000_000_000, "target_type": "department",
                "target_id": department_id, "ivr_type": ivr_type,
                "plays_for": ["inbound", "outbound"], "text": "", "audio": None,
            }  # fmt: skip
    return state.to_json()


def all_targets() -> list[Named]:
    client = dialpad.get_client()
    return [
        *client.list_offices(),
        *client.list_departments(),
        *client.list_call_centers(),
        *client.list_users(),
    ]


def measure(served: RunningDialpadSandbox, step: Callable[[], object], runs: int) -> tuple:
    """(Dialpad calls of one run, median seconds of `runs`)."""
    times, counted = [], 0
    for _ in range(runs):
        cache.clear()  # a fresh second of budget for each run
        served.control("DELETE", "/sandbox/requests")
        started = time.perf_counter()
        with recording_calls(Ledger()):
            step()
        times.append(time.perf_counter() - started)
        counted = len(served.requests())
    return counted, statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--departments", type=int, default=40)
    parser.add_argument("--rate", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    latency = args.latency_ms / 1000
    state_file = Path(tempfile.mkdtemp(prefix="dialpad-bench-")) / "state.json"
    DialpadState(scaled_company(args.departments)).save(state_file)
    env = {**os.environ, "DIALPAD_SANDBOX_LATENCY_MS": str(args.latency_ms)}
    served = start_dialpad_sandbox(state_file=state_file, env=env, save=False)
    try:
        settings.DIALPAD_BASE_URL, settings.DIALPAD_API_KEY = served.base_url, served.api_key
        settings.DIALPAD_RATE_LIMIT_PER_SECOND = args.rate
        dialpad.reset_client()
        targets = [t.target for t in all_targets()]
        client = dialpad.get_client()
        audio = RecordingFile.checked(MP3_FRAME.read_bytes() * 250)  # about 1.2 MB of MP3
        office = Target(TargetType.OFFICE, LONDON)

        def every_target_in_turn() -> None:
            for target in targets:
                client.list_recordings(target)

        def every_target_in_parallel() -> None:
            with ThreadPoolExecutor(THREADS) as pool:
                list(pool.map(client.list_recordings, targets))

        def upload_then_delete() -> None:
            made = client.upload_recording(
                target=office, ivr_type=IvrType.CLOSED, recording=audio, name="Bench closed"
            )
            previous = client.list_recordings(office).situation(IvrType.CLOSED).recordings[0]
            client.assign_recording(
                target=office, ivr_type=IvrType.CLOSED, recording_id=previous.id
            )
            client.unassign_recording(target=office, ivr_type=IvrType.CLOSED, recording_id=made.id)

        steps = [
            ("every target, by name (4 lists)", all_targets, False),
            (f"recordings of {len(targets)} targets, in turn", every_target_in_turn, False),
            (f"the same, {THREADS} threads", every_target_in_parallel, True),
            (f"upload {audio.size // 1024} KB, switch back, delete", upload_then_delete, False),
        ]
        print(f"Dialpad sandbox at {args.latency_ms} ms a call, budget {args.rate} calls/s")
        print(f"{'step':<44} {'calls':>5} {'time s':>7} {'floor s':>7}")
        for name, step, parallel in steps:
            calls, seconds = measure(served, step, args.runs)
            floor = calls * latency
            if parallel:
                floor = max(floor / THREADS, (calls - args.rate) / args.rate)
            print(f"{name:<44} {calls:>5} {seconds:>7.2f} {floor:>7.2f}")
    finally:
        served.stop()
        dialpad.reset_client()


if __name__ == "__main__":
    main()
