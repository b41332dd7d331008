"""What the shared rate budget costs each Talk API call, in each store.

    .venv/bin/python bench/rate_budget.py [--calls 2000] [--threads 4]

Times, per store, the budget's own work for one call (talk.pacing.RateBudget, limit high enough
never to wait): an acquire (2 statements on the database store: count, then read the window),
an acquire taken from a reservation (count, then take a held call), and a reservation made and
released; then `--threads` threads at once, each with its own store (its own connection, as
separate processes would have), acquiring together. Stores: the database (PostgreSQL, its own
database talkadmin_bench_budget on the server of DATABASE_URL), Redis (a redis-server of its
own, when installed) and the per-process memory cache, for comparison. A Talk API call itself
takes 100-300 ms.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import cell, configure_django, format_table, median, percentile

BENCH_DATABASE = "talkadmin_bench_budget"
LIMIT = 10**9  # never waits: only the budget's own work is timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=2000, help="timed calls per figure")
    parser.add_argument("--threads", type=int, default=4, help="threads acquiring at once")
    options = parser.parse_args()
    configure_django(BENCH_DATABASE)

    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    from talk.budget_database import DatabaseBudgetStore
    from talk.budget_stores import CacheBudgetStore

    redis = RedisServer.start()
    account = "https://bench.zendesk.com"
    stores: dict[str, Callable[[], object]] = {
        "PostgreSQL (default)": lambda: DatabaseBudgetStore(account=account),
        "locmem (one process)": lambda: CacheBudgetStore(
            cache=caches["default"], account=account, keep_seconds=180
        ),
    }
    if redis is not None:
        stores["Redis"] = lambda: CacheBudgetStore(
            cache=RedisCache(redis.url, {}), account=account, keep_seconds=180
        )
    load = os.getloadavg()[0]
    print(f"{options.calls} calls per figure; load average {load:.1f} on {os.cpu_count()} CPUs\n")
    rows = []
    try:
        for name, make in stores.items():
            rows.append([name, *measure(make, calls=options.calls, threads=options.threads)])
    finally:
        if redis is not None:
            redis.stop()
    headers = [
        "store",
        "acquire p50 µs",
        "acquire p95 µs",
        "reserved p50 µs",
        "reserve+release p50 µs",
        f"{options.threads} threads: acquires/s",
        "p95 µs",
    ]
    print(format_table(headers, rows))


def measure(make: Callable[[], object], *, calls: int, threads: int) -> list[str]:
    from talk.pacing import RateBudget

    budget = RateBudget(store=make(), limit=LIMIT)
    budget.clear()
    for _ in range(50):  # connect, warm up
        budget.acquire(max_wait=0)
    acquire = timed(lambda: budget.acquire(max_wait=0), calls)
    with budget.reserve(calls, max_wait=0):
        reserved = timed(lambda: budget.acquire(max_wait=0), calls)

    def reserve_and_release() -> None:
        budget.reserve(5, max_wait=0).release()

    reserving = timed(reserve_and_release, calls // 4)
    rate, contended = together(make, calls=calls, threads=threads)
    budget.clear()
    budget.store.close()
    return [
        cell(median(acquire)),
        cell(percentile(acquire, 0.95)),
        cell(median(reserved)),
        cell(median(reserving)),
        cell(rate),
        cell(percentile(contended, 0.95)),
    ]


def timed(action: Callable[[], object], times: int) -> list[float]:
    samples = []
    for _ in range(times):
        began = time.perf_counter()
        action()
        samples.append((time.perf_counter() - began) * 1e6)
    return samples


def together(make: Callable[[], object], *, calls: int, threads: int) -> tuple[float, list[float]]:
    """`threads` budgets of one account acquiring at once: acquires per second, all told."""
    from talk.pacing import RateBudget

    budgets = [RateBudget(store=make(), limit=LIMIT) for _ in range(threads)]
    for budget in budgets:
        budget.acquire(max_wait=0)  # connected before the clock starts
    samples: list[list[float]] = [[] for _ in budgets]
    start = threading.Barrier(threads + 1)

    def run(index: int) -> None:
        start.wait()
        samples[index] = timed(lambda: budgets[index].acquire(max_wait=0), calls // threads)

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    start.wait()
    began = time.perf_counter()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - began
    for budget in budgets:
        budget.store.close()
    every = [sample for thread in samples for sample in thread]
    return len(every) / elapsed, every


class RedisServer:
    """A redis-server of the benchmark's own on a free port (None when not installed)."""

    def __init__(self, process: subprocess.Popen, url: str):
        self.process, self.url = process, url

    @classmethod
    def start(cls) -> RedisServer | None:
        from django.core.cache.backends.redis import RedisCache

        from sandbox.process import free_port

        binary = shutil.which("redis-server")
        if binary is None:
            print("redis-server is not installed: Redis is left out (apt-get install redis-server)")
            return None
        port = free_port()
        command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        server = cls(process, f"redis://127.0.0.1:{port}/0")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                RedisCache(server.url, {}).get("ping")
                return server
            except Exception:
                time.sleep(0.05)
        server.stop()
        raise SystemExit("redis-server did not start")

    def stop(self) -> None:
        from sandbox.process import stop_process

        stop_process(self.process, timeout=5)


if __name__ == "__main__":
    main()
