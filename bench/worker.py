"""The background worker's figures: how late a due task starts, and a burst across 2 workers.

    .venv/bin/python bench/worker.py [--tasks 50] [--burst 200] [--interval 1]

Real worker processes (`manage.py db_worker`, the options production uses, --interval the
poll of an idle worker) on the benchmark's own database, talkadmin_bench_worker (created
afresh on the server of DATABASE_URL; never the test or production database).

1. Delay from a task's due time to its start, one idle worker: tasks due one after another,
   half a second apart, each noting when it started; median, 95th percentile and worst.
2. A burst: `--burst` tasks all due at the same moment (200 changes scheduled for 09:00),
   two workers: whether every task ran exactly once, how many each worker ran, and the time
   from the due moment to the last one's start; once with no work per task (the queue's own
   cost) and once with 100 ms per task (about one Talk API call to a distant Zendesk).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import cell, configure_django, database_url, format_table, median, percentile

BENCH_DATABASE = "talkadmin_bench_worker"
BASE_DIR = Path(__file__).resolve().parent.parent


def start_workers(count: int, *, interval: float, log: Path) -> list[subprocess.Popen]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("TALK_", "SANDBOX_"))},
        "ENV_FILE": os.devnull,
        "DJANGO_SETTINGS_MODULE": "talkadmin.settings",
        "DATABASE_URL": database_url(BENCH_DATABASE),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "manage.py", "db_worker", "-v", "0", "--interval", str(interval)]
    with log.open("a") as output:
        return [
            subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=output, stderr=output)
            for _ in range(count)
        ]


def stop_workers(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for_workers(count: int) -> None:
    from core.worker.models import WorkerProcess

    deadline = time.monotonic() + 60
    while WorkerProcess.objects.filter(stopped_at=None).count() < count:
        if time.monotonic() > deadline:
            sys.exit("The workers did not start within a minute; see the log.")
        time.sleep(0.1)
    time.sleep(1.5)  # past their start-up delay and first look at the queue: idle


def read_notes(notes: Path) -> list[dict]:
    if not notes.exists():
        return []
    return [json.loads(line) for line in notes.read_text().splitlines() if line]


def wait_for_notes(notes: Path, count: int, *, seconds: float) -> tuple[list[dict], float]:
    """Every run noted once `count` tasks have run, and when that was seen (time.time())."""
    deadline = time.monotonic() + seconds
    while len(runs := read_notes(notes)) < count:
        if time.monotonic() > deadline:
            sys.exit(f"Only {len(runs)} of {count} tasks ran within {seconds:.0f} s.")
        time.sleep(0.05)
    seen = time.time()
    time.sleep(1)  # a task run twice would show up now
    return read_notes(notes), seen


def due_delays(tasks: int, *, interval: float, scratch: Path) -> dict:
    """One idle worker; tasks due half a second apart; seconds from due time to start."""
    from bench.worker_tasks import stamp

    notes = scratch / "delays.jsonl"
    workers = start_workers(1, interval=interval, log=scratch / "workers.log")
    try:
        wait_for_workers(1)
        first_due = time.time() + 2
        due = {f"task {n}": first_due + n * 0.5 for n in range(tasks)}
        for label, when in due.items():
            stamp.using(run_after=datetime.fromtimestamp(when, tz=UTC)).enqueue(
                notes=str(notes), label=label
            )
        runs, _ = wait_for_notes(notes, tasks, seconds=tasks * 0.5 + 60)
    finally:
        stop_workers(workers)
    delays = [run["started"] - due[run["label"]] for run in runs]
    return {
        "tasks": tasks,
        "ran_once": sorted(run["label"] for run in runs) == sorted(due),
        "early": sum(1 for delay in delays if delay < 0),
        "median_s": median(delays),
        "p95_s": percentile(delays, 0.95),
        "worst_s": max(delays),
    }


def burst(tasks: int, *, workers_count: int, work_ms: int, interval: float, scratch: Path) -> dict:
    """`tasks` due at the same moment, `workers_count` idle workers."""
    from bench.worker_tasks import stamp

    notes = scratch / f"burst-{work_ms}.jsonl"
    workers = start_workers(workers_count, interval=interval, log=scratch / "workers.log")
    try:
        wait_for_workers(workers_count)
        due = time.time() + 3
        moment = datetime.fromtimestamp(due, tz=UTC)
        for n in range(tasks):
            stamp.using(run_after=moment).enqueue(
                notes=str(notes), label=f"task {n}", work_ms=work_ms
            )
        runs, finished = wait_for_notes(notes, tasks, seconds=120 + tasks * work_ms / 1000)
    finally:
        stop_workers(workers)
    per_label = Counter(run["label"] for run in runs)
    per_worker = Counter(run["pid"] for run in runs)
    starts = [run["started"] for run in runs]
    return {
        "tasks": tasks,
        "workers": workers_count,
        "work_ms": work_ms,
        "ran_once": len(per_label) == tasks and set(per_label.values()) == {1},
        "ran_twice_or_more": sum(1 for count in per_label.values() if count > 1),
        "per_worker": sorted(per_worker.values(), reverse=True),
        "first_start_s": min(starts) - due,
        "last_start_s": max(starts) - due,
        "all_done_s": finished - due,
        "floor_s": tasks * work_ms / 1000 / workers_count,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=50, help="due tasks for the delay figure")
    parser.add_argument("--burst", type=int, default=200, help="tasks due at the same moment")
    parser.add_argument("--interval", type=float, default=1.0, help="an idle worker's poll (s)")
    options = parser.parse_args()
    configure_django(BENCH_DATABASE, recreate=True)
    scratch = Path(tempfile.mkdtemp(prefix="talkadmin-bench-worker-"))

    delays = due_delays(options.tasks, interval=options.interval, scratch=scratch)
    bursts = [
        burst(
            options.burst, workers_count=2, work_ms=work, interval=options.interval, scratch=scratch
        )
        for work in (0, 100)
    ]

    load = os.getloadavg()
    print(f"Background worker (--interval {options.interval:g} s); load {load[0]:.2f}")
    print()
    print(
        format_table(
            ["Due task, 1 idle worker", "tasks", "ran once", "early", "median", "p95", "worst"],
            [
                [
                    "delay from due time to start (s)",
                    delays["tasks"],
                    "yes" if delays["ran_once"] else "NO",
                    delays["early"],
                    cell(delays["median_s"], 2),
                    cell(delays["p95_s"], 2),
                    cell(delays["worst_s"], 2),
                ]
            ],
        )
    )
    print()
    print(
        format_table(
            [
                "Tasks due at the same moment",
                "tasks",
                "ran once",
                "per worker",
                "first start",
                "last start",
                "all done",
                "floor",
            ],
            [
                [
                    f"{run['workers']} workers, {run['work_ms']} ms of work each (s)",
                    run["tasks"],
                    "yes" if run["ran_once"] else f"NO ({run['ran_twice_or_more']} twice)",
                    " + ".join(str(count) for count in run["per_worker"]),
                    cell(run["first_start_s"], 2),
                    cell(run["last_start_s"], 2),
                    cell(run["all_done_s"], 2),
                    cell(run["floor_s"], 2),
                ]
                for run in bursts
            ],
        )
    )
    print()
    print("floor: the tasks' own work shared by the workers, with no queue at all.")
    print(f"Worker logs: {scratch / 'workers.log'}")


if __name__ == "__main__":
    main()
