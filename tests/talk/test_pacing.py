"""The account's API budget is never exceeded, however many processes and threads spend it.

Each test runs against both stores (tests/talk/budgets.py): this process's memory cache and the
database, the default, where two stores of one account are two connections, as two processes.
"""

import threading

import pytest

from talk.pacing import BudgetExhausted, RateBudget
from tests.talk.budgets import FakeClock, most_in_any_window


def test_requests_beyond_the_budget_wait_for_the_window_to_move_on(budget_store):
    clock = FakeClock()
    budget = RateBudget(store=budget_store(), limit=10, clock=clock.time, sleep=clock.sleep)
    granted = []
    for _ in range(35):
        budget.acquire(max_wait=120)
        granted.append(clock.now)
    assert most_in_any_window(granted, 60) <= 10
    assert granted[9] == granted[0]  # the first ten go at once
    assert granted[10] > granted[0] + 60  # the eleventh waits a full window


def test_a_wait_longer_than_allowed_is_refused_without_spending_the_budget(budget_store):
    clock = FakeClock()
    budget = RateBudget(store=budget_store(), limit=2, clock=clock.time, sleep=clock.sleep)
    budget.acquire(max_wait=0)
    budget.acquire(max_wait=0)
    with pytest.raises(BudgetExhausted) as raised:
        budget.acquire(max_wait=5)
    assert 60 <= raised.value.wait_seconds <= 66
    assert budget.spent_in_window() == 2


def test_a_429_blocks_every_process_sharing_the_store(budget_store):
    clock = FakeClock()
    one = RateBudget(store=budget_store(), limit=100, clock=clock.time, sleep=clock.sleep)
    two = RateBudget(store=budget_store(), limit=100, clock=clock.time, sleep=clock.sleep)
    one.block_for(30)
    with pytest.raises(BudgetExhausted):
        two.acquire(max_wait=10)
    assert two.acquire(max_wait=40) >= 30
    assert two.spent_in_window() == 1  # the refused attempt was not counted


def test_a_shorter_429_never_shortens_a_longer_pause(budget_store):
    clock = FakeClock()
    budget = RateBudget(store=budget_store(), limit=100, clock=clock.time, sleep=clock.sleep)
    budget.block_for(30)
    budget.block_for(5)
    with pytest.raises(BudgetExhausted) as raised:
        budget.acquire(max_wait=10)
    assert raised.value.wait_seconds == pytest.approx(30)


def test_concurrent_processes_together_never_take_more_than_the_limit(budget_store):
    """Eight threads, each with its own store (own connection for the database), race for a
    budget of 10 with no waiting: at most 10 are granted, whatever the interleaving."""
    clock = FakeClock()
    budgets = [
        RateBudget(store=budget_store(), limit=10, clock=clock.time, sleep=clock.sleep)
        for _ in range(8)
    ]
    granted = []
    start = threading.Barrier(len(budgets))

    def spend(budget: RateBudget) -> None:
        start.wait()
        for _ in range(5):
            try:
                budget.acquire(max_wait=0)
                granted.append(1)
            except BudgetExhausted:
                pass

    threads = [threading.Thread(target=spend, args=(budget,)) for budget in budgets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert 1 <= len(granted) <= 10
    assert budgets[0].spent_in_window() == len(granted)  # refusals gave their count back


def test_the_room_within_a_wait_counts_what_leaves_the_window_by_then(budget_store):
    clock = FakeClock()
    budget = RateBudget(store=budget_store(), limit=10, window_seconds=60, clock=clock.time)
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


def test_a_burst_of_3n_calls_from_two_clients_never_exceeds_n_per_window(sandbox, db):
    """Two clients (each its own budget and database connection, as two gunicorn processes)
    share the default store. The sandbox enforces the same limit and answers 429 beyond it:
    none may be seen, and it never receives more than N requests in any window."""
    from talk.budget_database import DatabaseBudgetStore
    from talk.config import client_from_settings
    from talk.wsgi_transport import WsgiAdapter

    limit, window = 4, 1.0
    sandbox.set_rate_limit(limit, window_seconds=window)
    workers = []
    for _ in range(2):
        client = client_from_settings()
        client.transport.mount(WsgiAdapter(sandbox.app))
        client.transport.budget = RateBudget(
            store=DatabaseBudgetStore(account="https://burst.zendesk.com"),
            limit=limit,
            window_seconds=window,
            slots=5,
        )
        client.transport.max_wait = 30
        workers.append(client)
    workers[0].transport.budget.clear()
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
    workers[0].transport.budget.clear()
    for client in workers:
        client.close()
    assert errors == []
    received = sandbox.requests_to("GET", "/api/v2/channels/voice/ivr/*")
    assert len(received) == 3 * limit
    assert [r.status for r in received] == [200] * (3 * limit)
    assert most_in_any_window([r.at for r in received], window) <= limit
