"""The account's API budget is never exceeded, however many workers and threads spend it."""

import threading

import pytest
from django.core.cache import cache

from talk.pacing import BudgetExhausted, RateBudget


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


def _most_in_any_window(moments: list[float], window: float) -> int:
    moments = sorted(moments)
    return max(
        sum(1 for other in moments if moment - window < other <= moment) for moment in moments
    )


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_requests_beyond_the_budget_wait_for_the_window_to_move_on():
    clock = FakeClock()
    budget = RateBudget(
        cache=cache, limit=10, namespace="fake", clock=clock.time, sleep=clock.sleep
    )
    granted = []
    for _ in range(35):
        budget.acquire(max_wait=120)
        granted.append(clock.now)
    assert _most_in_any_window(granted, 60) <= 10
    assert granted[9] == granted[0]  # the first ten go at once
    assert granted[10] > granted[0] + 60  # the eleventh waits a full window


def test_a_wait_longer_than_allowed_is_refused_without_spending_the_budget():
    clock = FakeClock()
    budget = RateBudget(cache=cache, limit=2, namespace="fake", clock=clock.time, sleep=clock.sleep)
    budget.acquire(max_wait=0)
    budget.acquire(max_wait=0)
    with pytest.raises(BudgetExhausted) as raised:
        budget.acquire(max_wait=5)
    assert 60 <= raised.value.wait_seconds <= 66
    assert budget.spent_in_window() == 2


def test_a_429_blocks_every_worker_sharing_the_cache():
    clock = FakeClock()
    one = RateBudget(cache=cache, limit=100, namespace="acct", clock=clock.time, sleep=clock.sleep)
    two = RateBudget(cache=cache, limit=100, namespace="acct", clock=clock.time, sleep=clock.sleep)
    one.block_for(30)
    with pytest.raises(BudgetExhausted):
        two.acquire(max_wait=10)
    assert two.acquire(max_wait=40) >= 30


def test_a_burst_of_3n_calls_from_two_workers_never_exceeds_n_per_window(sandbox):
    """Two workers (each its own budget object, as in two gunicorn processes) share the cache.

    The sandbox enforces the same limit and answers 429 beyond it: none may be seen, and the
    requests it received never number more than N in any window.
    """
    limit, window = 4, 1.0
    sandbox.set_rate_limit(limit, window_seconds=window)
    workers = []
    for _ in range(2):
        from talk.config import client_from_settings
        from talk.wsgi_transport import WsgiAdapter

        client = client_from_settings()
        client.transport.mount(WsgiAdapter(sandbox.app))
        client.transport.budget = RateBudget(
            cache=cache, limit=limit, window_seconds=window, slots=5, namespace="burst"
        )
        client.transport.max_wait = 30
        workers.append(client)
    errors = []

    def spend(client):
        try:
            for _ in range(3 * limit // 2):
                client.get_ivr(sandbox.state.ivr_named("Holiday closure")["id"])
        except Exception as error:  # reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=spend, args=(client,)) for client in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    received = sandbox.requests_to("GET", "/api/v2/channels/voice/ivr/*")
    assert len(received) == 3 * limit
    assert [r.status for r in received] == [200] * (3 * limit)
    assert _most_in_any_window([r.at for r in received], window) <= limit


def test_the_room_within_a_wait_counts_what_leaves_the_window_by_then():
    clock = FakeClock()
    budget = RateBudget(
        cache=cache, limit=10, window_seconds=60, slots=30, namespace="room", clock=clock.time
    )
    for _ in range(6):
        budget.acquire(max_wait=0)
    clock.now += 30
    for _ in range(3):
        budget.acquire(max_wait=0)

    assert budget.room() == 1
    assert budget.room(within=15) == 1  # the first 6 are still counted 15 s later
    assert budget.room(within=40) == 7  # they have left by then
    wait = budget.seconds_until_room(5)
    assert 30 < wait <= 40
    clock.now += wait
    assert budget.room() >= 5
    assert budget.seconds_until_room(11) == float("inf")
