"""Rate budgets for tests, in either store: `budget_store` makes stores of one account.

The fixture is loaded by tests/talk/conftest.py; import it in other packages' conftest.

    def test_x(budget_store):            # parametrized: runs once per store
        one, two = budget_store(), budget_store()   # two processes' views of one account

"cache" is this process's memory cache (locmem: what a single process may use); "database" is
the default store, talk_budget_* tables of the test database, each store on a connection of
its own (as two processes would be), committed at once. Every account is new to its test and
is cleared afterwards.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator

import pytest
from django.core.cache import cache

from talk.budget_database import DatabaseBudgetStore
from talk.budget_stores import BudgetStore, CacheBudgetStore

STORES = ("cache", "database")


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


def make_store(kind: str, account: str) -> BudgetStore:
    if kind == "cache":
        return CacheBudgetStore(cache=cache, account=account, keep_seconds=600)
    return DatabaseBudgetStore(account=account)


@pytest.fixture(params=STORES)
def budget_store(request) -> Iterator[Callable[[], BudgetStore]]:
    if request.param == "database":
        request.getfixturevalue("db")
    account = f"https://test-{uuid.uuid4().hex[:12]}.zendesk.com"
    made: list[BudgetStore] = []

    def store() -> BudgetStore:
        made.append(make_store(request.param, account))
        return made[-1]

    cache.clear()
    yield store
    for each in made:
        each.clear(range(0))
        each.close()
    cache.clear()
