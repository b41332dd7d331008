"""`TalkClient.reserve_calls`: what a publish asks for before its first write (issue 20).

The calls of the work inside `with reservation:` are taken from what it holds, so nobody else's
calls can make it stop half-way; a reservation that cannot be had sends nothing and says what
the budget allows and when."""

import threading

import pytest
from django.core.cache import cache

from talk.budget_stores import CacheBudgetStore
from talk.errors import RateLimited
from talk.pacing import RateBudget
from tests.talk.recorder import change_set

LIMIT = 10
HOLIDAY = "Holiday closure"


@pytest.fixture
def budget(sandbox) -> RateBudget:
    """Zendesk and TalkAdmin both allow LIMIT calls a minute."""
    sandbox.set_rate_limit(LIMIT)
    store = CacheBudgetStore(cache=cache, account=sandbox.client.base_url, keep_seconds=180)
    budget = RateBudget(store=store, limit=LIMIT)
    sandbox.client.transport.budget = budget
    return budget


def test_the_calls_reserved_are_the_writes_the_re_reads_and_one_calls_retries(sandbox):
    assert sandbox.client.transport.retries == 3  # TALK_RETRIES
    assert sandbox.client.calls_to_reserve(writes=4, re_reads=1) == 4 + 1 + 3


def test_a_granted_reservation_is_spent_by_the_work_and_the_rest_given_back(sandbox, budget):
    ivr_id = sandbox.state.ivr_named(HOLIDAY)["id"]
    reservation = sandbox.client.reserve_calls(writes=2, re_reads=1)  # 2 + 1 + 3 retries

    assert reservation.granted and reservation.calls == 6
    with reservation, change_set():
        assert budget.held() == 6
        sandbox.client.update_ivr(ivr_id, name="Holidays")
        sandbox.client.update_ivr(ivr_id, name="Holiday closure")
        assert (budget.spent_in_window(), budget.held()) == (2, 4)
    assert (budget.spent_in_window(), budget.held()) == (2, 0)
    assert [r.status for r in sandbox.requests] == [200, 200]


def test_browsing_cannot_take_what_a_publish_holds(sandbox, budget):
    """The issue's case: a publish passed its check, then other work spends the minute."""
    ivr_id = sandbox.state.ivr_named(HOLIDAY)["id"]
    sandbox.client.transport.max_wait = 0
    with sandbox.client.reserve_calls(writes=4), change_set():  # 4 + 3 retries held
        browsing = []

        def browse() -> None:  # another admin's pages: another thread, its own context
            for _ in range(4):
                try:
                    sandbox.client.list_ivrs()
                    browsing.append("read")
                except RateLimited:
                    browsing.append("refused before it was sent")

        thread = threading.Thread(target=browse)
        thread.start()
        thread.join()
        for name in ("a", "b", "c", HOLIDAY):
            sandbox.client.update_ivr(ivr_id, name=name)  # the publish never runs short
    assert browsing == ["read"] * 3 + ["refused before it was sent"]
    assert [r.method for r in sandbox.requests] == ["GET"] * 3 + ["PUT"] * 4
    assert all(r.status == 200 for r in sandbox.requests)


def test_a_reservation_the_budget_cannot_take_sends_nothing_and_says_when(sandbox, budget):
    for _ in range(LIMIT - 2):
        budget.acquire(max_wait=0)
    sandbox.client.transport.max_wait = 5
    sandbox.clear_requests()

    reservation = sandbox.client.reserve_calls(writes=2, re_reads=1)

    assert not reservation.granted
    room = reservation.room
    assert (room.needed, room.available, room.fits, room.limit) == (6, 2, False, LIMIT)
    assert 55 < room.wait_seconds <= 66  # once the 8 calls have left the minute
    assert budget.held() == 0
    assert sandbox.requests == []
    with pytest.raises(RuntimeError), reservation:
        pass  # a refused reservation cannot be entered by mistake


def test_more_calls_than_a_minute_allows_are_refused_for_good(sandbox, budget):
    reservation = sandbox.client.reserve_calls(writes=LIMIT, re_reads=1)

    assert not reservation.granted
    assert reservation.room.wait_seconds == float("inf")
