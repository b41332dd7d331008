"""Work that must not stop half-way reserves its calls before the first write (issue 20): two
such runs at once cannot both pass the up-front check, and what a run does not spend, or a
dead process leaves held, comes back. Each test runs against both stores."""

import contextlib
import threading

import pytest

from talk.pacing import BudgetExhausted, RateBudget
from tests.talk.budgets import FakeClock


def budgets(budget_store, count: int, *, limit: int = 10) -> tuple[FakeClock, list[RateBudget]]:
    """`count` processes sharing one account's budget, on one fake clock."""
    clock = FakeClock()
    made = [
        RateBudget(store=budget_store(), limit=limit, clock=clock.time, sleep=clock.sleep)
        for _ in range(count)
    ]
    return clock, made


def test_reserved_calls_are_spent_by_their_work_and_nobody_else(budget_store):
    _, (publish, browsing) = budgets(budget_store, 2)
    with publish.reserve(6, max_wait=0):
        for _ in range(4):
            browsing.acquire(max_wait=0)
        with pytest.raises(BudgetExhausted):
            browsing.acquire(max_wait=0)  # 6 held + 4 spent: the limit
        for _ in range(6):
            assert publish.acquire(max_wait=0) == 0  # no wait: they were set aside
        assert (publish.spent_in_window(), publish.held()) == (10, 0)


def test_two_runs_at_once_cannot_both_reserve_more_than_the_budget(budget_store):
    _, (one, two) = budgets(budget_store, 2)
    first = one.reserve(7, max_wait=0)
    with pytest.raises(BudgetExhausted) as refused:
        two.reserve(7, max_wait=0)
    assert refused.value.wait_seconds > 0
    assert two.held() == 7  # the refused reservation holds nothing
    first.release()
    assert two.reserve(7, max_wait=0).calls == 7


def _race(racers: list[RateBudget], *, max_wait: float) -> list:
    """Each racer reserves 3 calls at the same moment; the reservations granted."""
    granted = []
    start = threading.Barrier(len(racers))

    def reserve(budget: RateBudget) -> None:
        start.wait()
        with contextlib.suppress(BudgetExhausted):
            granted.append(budget.reserve(3, max_wait=max_wait))

    threads = [threading.Thread(target=reserve, args=(budget,)) for budget in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return granted


def test_racing_reservations_never_hold_more_than_the_limit_together(budget_store):
    """Eight processes each try to reserve 3 of 10 at the same moment, none waiting: at most
    three can (all may be refused: colliding, each counts the others before checking)."""
    _, racers = budgets(budget_store, 8)
    granted = _race(racers, max_wait=0)
    assert len(granted) <= 3
    assert racers[0].held() == 3 * len(granted)


def test_reservations_that_collided_look_again_soon_and_three_get_theirs(budget_store):
    """Real time, a 3-second window: a refusal caused only by others' reservations is retried
    within a slot, so colliding publishes do not all wait a window."""
    racers = [RateBudget(store=budget_store(), limit=10, window_seconds=3.0) for _ in range(8)]
    granted = _race(racers, max_wait=2.0)
    assert len(granted) == 3
    assert racers[0].held() == 9


def test_calls_not_spent_come_back_when_the_work_ends_even_by_an_error(budget_store):
    _, (publish, browsing) = budgets(budget_store, 2)
    with pytest.raises(RuntimeError), publish.reserve(8, max_wait=0):
        publish.acquire(max_wait=0)
        publish.acquire(max_wait=0)
        raise RuntimeError("Zendesk failed half-way")
    assert (browsing.spent_in_window(), browsing.held()) == (2, 0)
    assert browsing.room() == 8


def test_a_dead_process_gives_its_reservation_back_when_it_lapses(budget_store):
    clock, (dead, alive) = budgets(budget_store, 2)
    dead.reserve(10, max_wait=0)  # never released: the process was killed
    with pytest.raises(BudgetExhausted):
        alive.acquire(max_wait=0)
    clock.now += dead.lapse_seconds
    assert alive.held() == 0
    alive.acquire(max_wait=0)


def test_a_run_that_outlives_its_reservation_goes_on_with_the_shared_budget(budget_store):
    clock, (publish, browsing) = budgets(budget_store, 2)
    with publish.reserve(5, max_wait=0):
        clock.now += publish.lapse_seconds
        for _ in range(10):  # nothing held any more: ordinary calls, up to the limit
            publish.acquire(max_wait=0)
        with pytest.raises(BudgetExhausted):
            publish.acquire(max_wait=0)
    assert browsing.spent_in_window() == 10


def test_a_429_pauses_reserved_calls_too(budget_store):
    _, (publish, other) = budgets(budget_store, 2)
    with publish.reserve(3, max_wait=0):
        other.block_for(20)
        with pytest.raises(BudgetExhausted):
            publish.acquire(max_wait=5)
        assert publish.held() == 3  # the reserved call was given back, not lost
        assert publish.acquire(max_wait=30) >= 20


def test_waiting_for_a_reservation_counts_what_leaves_the_window(budget_store):
    clock, (publish, browsing) = budgets(budget_store, 2)
    for _ in range(8):
        browsing.acquire(max_wait=0)
    with pytest.raises(BudgetExhausted) as refused:
        publish.reserve(5, max_wait=10)  # room only once the 8 have left the window
    assert 60 <= refused.value.wait_seconds <= 66
    started = clock.now
    assert publish.reserve(5, max_wait=70).calls == 5
    assert clock.now - started >= 60


def test_more_calls_than_a_window_allows_can_never_be_reserved(budget_store):
    _, (publish,) = budgets(budget_store, 1)
    with pytest.raises(BudgetExhausted) as refused:
        publish.reserve(11, max_wait=600)
    assert refused.value.wait_seconds == float("inf")
    assert publish.held() == 0
