"""Rate budgets for tests, in either store: `budget_store` makes stores of one account.

The fixture is loaded by tests/talk/conftest.py; import it in other packages' conftest.

    def test_x(budget_store):            # parametrized: runs once per store
        one, two = budget_store(), budget_store()   # two processes' views of one account

"cache" is this process's memory cache (locmem: what a single process may use); "database" is
the default store, talk_budget_* tables of the test database, each store on a connection of
its own (as two processes would be), committed at once; "redis" is the cache store on a real
Redis (a redis-server started for the session; skipped where Redis is not installed). Every
account is new to its test and is cleared afterwards.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator

import pytest
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache

from talk.budget_database import DatabaseBudgetStore
from talk.budget_stores import BudgetStore, CacheBudgetStore

STORES = ("cache", "database", "redis")
REDIS_SERVER = shutil.which("redis-server")


class FakeClock:
    """Time that only moves when someone sleeps: pacing decisions without real waiting."""

    def __init__(self, start: float = 1_000_000.0):
        self.now = start
        self.lock = threading.Lock()

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.now += seconds


def most_in_any_window(moments: list[float], window: float) -> int:
    moments = sorted(moments)
    return max(
        (sum(1 for other in moments if moment - window < other <= moment) for moment in moments),
        default=0,
    )


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A redis-server of the test session's own, on a free port, keeping nothing on disk."""
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    from sandbox.process import free_port, stop_process

    port = free_port()
    server = subprocess.Popen(
        [
            REDIS_SERVER,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    probe = RedisCache(url, {})
    deadline = time.monotonic() + 10
    while True:
        try:
            probe.get("ping")
            break
        except Exception:
            if time.monotonic() > deadline:
                stop_process(server, timeout=5)
                raise
            time.sleep(0.05)
    yield url
    stop_process(server, timeout=5)


@pytest.fixture(params=STORES)
def budget_store(request) -> Iterator[Callable[[], BudgetStore]]:
    if request.param == "database":
        request.getfixturevalue("db")
    shared = (
        RedisCache(request.getfixturevalue("redis_url"), {}) if request.param == "redis" else cache
    )
    account = f"https://test-{uuid.uuid4().hex[:12]}.zendesk.com"
    made: list[BudgetStore] = []

    def store() -> BudgetStore:
        if request.param == "database":
            made.append(DatabaseBudgetStore(account=account))
        else:  # every store of a Redis account has its own client, as another process would
            own = (
                RedisCache(request.getfixturevalue("redis_url"), {})
                if request.param == "redis"
                else shared
            )
            made.append(CacheBudgetStore(cache=own, account=account, keep_seconds=600))
        return made[-1]

    cache.clear()
    yield store
    for each in made:
        each.clear(range(0))
        each.close()
    shared.clear()
    cache.clear()
