"""The account's Talk API budget, shared by every process of one TalkAdmin installation.

Zendesk counts requests per account per minute (TALK_RATE_LIMIT_PER_MINUTE), whoever sends
them. Every web worker, the background worker and any command spend from one budget kept in a
shared store (talk.budget_stores: the database by default, Redis when CACHE_URL points at it),
as a sliding window made of short slots:

- reserve before check: before each attempt a process counts it in the current slot (one
  atomic increment), then reads the slots that overlap the last window; over the limit, it
  takes its count back and waits for the oldest slot to leave the window. Because every request
  is counted before it is checked, concurrent processes can only err on the side of waiting,
  never of exceeding the budget.
- the window sums two slots more than the window holds, so every request is still counted at
  least one slot (2 s by default) longer than a window: the budget holds even when requests
  reach Zendesk a little later than they were counted, at the price of a few percent.
- a 429 from Zendesk sets a "blocked until" mark that every process honours before sending.
- reservations: work that must not stop half-way for lack of budget (a publish) reserves every
  call it may make before its first write (`reserve`). Held calls count as spent for everyone
  else; inside `with reservation:` this work's calls are taken from them (each then counted in
  its slot like any request); leaving the block gives the rest back. A process that dies never
  leaves that block: its calls lapse `hold_seconds` (two windows by default) after reserving,
  rounded up to a bucket of slots (`lapse_seconds`).
  A reservation is written before it is checked, like a request.

Clocks of several servers are assumed to agree to within a slot (NTP).
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from contextvars import ContextVar, Token
from types import TracebackType

from talk.budget_stores import BudgetStore, BudgetWindow, Held


class BudgetExhausted(Exception):
    """Waiting for the budget would take longer than the caller accepts (math.inf: never)."""

    def __init__(self, wait_seconds: float):
        super().__init__(f"the Talk API budget frees up in {wait_seconds:.1f} s")
        self.wait_seconds = wait_seconds


class Reservation:
    """Calls held in the shared budget for one piece of work: use it as a context manager.

    Inside the block, every Talk API call of this context (and of threads started with a copy
    of it, as the parallel reads are) is taken from the held calls while any are left, then from
    the budget like any other; on leaving it the calls not spent are given back.
    """

    def __init__(self, budget: RateBudget, held: Held):
        self.budget = budget
        self.held = held
        self.released = False
        self._token: Token[Reservation | None] | None = None

    @property
    def calls(self) -> int:
        return self.held.calls

    def __enter__(self) -> Reservation:
        self._token = _active.set(self)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._token is not None:
            _active.reset(self._token)
            self._token = None
        self.release()

    def release(self) -> None:
        """Give back the calls not spent (done on leaving the block; safe to call twice)."""
        if not self.released:
            self.released = True
            self.budget.store.release(self.held)


_active: ContextVar[Reservation | None] = ContextVar("talk_budget_reservation", default=None)
# Reservations lapse at the end of a bucket of this many slots (20 s by default), so a store
# counts the calls held in a few buckets, not in every slot of a reservation's hold.
HELD_BUCKET_SLOTS = 10


class RateBudget:
    """At most `limit` requests in any `window_seconds`, across every process sharing `store`."""

    def __init__(
        self,
        *,
        store: BudgetStore,
        limit: int,
        window_seconds: float = 60.0,
        slots: int = 30,
        hold_seconds: float | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ):
        if limit < 1:
            raise ValueError("the rate limit must allow at least one request per window")
        self.store = store
        self.limit = limit
        self.window_seconds = window_seconds
        self.slot_seconds = window_seconds / slots
        self.slots = slots
        self.hold_seconds = 2 * window_seconds if hold_seconds is None else hold_seconds
        self.clock = clock
        self.sleep = sleep

    def acquire(self, *, max_wait: float) -> float:
        """Take one request from the budget, waiting if needed; return the seconds waited.

        Inside `with reservation:` a held call is taken first. Raises BudgetExhausted, without
        taking anything, when the wait would exceed max_wait.
        """
        waited = 0.0
        while True:
            wait = self._try_take()
            if wait <= 0:
                return waited
            if waited + wait > max_wait:
                raise BudgetExhausted(wait)
            waited += self._pause(wait)

    def reserve(self, calls: int, *, max_wait: float) -> Reservation:
        """Hold `calls` requests at once for one piece of work, waiting up to max_wait for them.

        Raises BudgetExhausted (math.inf when `calls` exceeds the limit), holding nothing, when
        they cannot all be had within max_wait.
        """
        if calls < 1:
            raise ValueError("a reservation holds at least one call")
        if calls > self.limit:
            raise BudgetExhausted(math.inf)
        waited = 0.0
        while True:
            now = self.clock()
            slot = self._slot(now)
            held = self.store.hold(calls, expires_slot=self._expiry(now))
            window = self._window(slot)
            blocked = self._blocked_for(window, now)
            if blocked <= 0 and window.spent + window.held <= self.limit:
                return Reservation(self, held)
            self.store.release(held)
            others = window.held - calls
            wait = max(blocked, self._seconds_until(window, calls, now, held=others))
            retry_in = wait
            if blocked <= 0 and window.spent + calls <= self.limit:
                # Only other reservations stand in the way, and they may be spent or given back
                # at any moment (one that collided with this one already was): look again soon.
                retry_in = min(wait, self.slot_seconds * random.uniform(0.5, 1.5))  # noqa: S311
            if waited + retry_in > max_wait:
                raise BudgetExhausted(wait)
            waited += self._pause(retry_in)

    def room(self, *, within: float = 0.0) -> int:
        """How many requests could be taken, all told, by `within` seconds from now: the limit
        less what is spent and still counted then, and what reservations hold (0 while a 429
        blocks for longer). Nothing is reserved: other processes may take some meanwhile."""
        now = self.clock()
        window = self._window(self._slot(now))
        if self._blocked_for(window, now) > within:
            return 0
        leaves_before = self._slot(now + within) - self.slots - 1
        still = sum(count for slot, count in window.counts.items() if slot >= leaves_before)
        return max(0, self.limit - still - window.held)

    def seconds_until_room(self, requests: int) -> float:
        """Seconds until `requests` could be taken at once (math.inf if over the limit)."""
        if requests > self.limit:
            return math.inf
        now = self.clock()
        window = self._window(self._slot(now))
        return self._seconds_until(window, requests, now, held=window.held)

    def block_for(self, seconds: float) -> None:
        """Zendesk answered 429: make every process wait `seconds` before sending again."""
        self.store.block_until(self.clock() + seconds)

    def spent_in_window(self) -> int:
        """Requests counted in the current window (for diagnostics and tests)."""
        return self._window(self._slot(self.clock())).spent

    def held(self) -> int:
        """Calls held by reservations that have not lapsed (for diagnostics and tests)."""
        return self._window(self._slot(self.clock())).held

    def clear(self) -> None:
        """Forget every count, reservation and pause of this account (tests, benchmarks)."""
        slot = self._slot(self.clock())
        self.store.clear(
            range(slot - self.slots - 3, slot + self._hold_slots + 2 * HELD_BUCKET_SLOTS)
        )

    def _try_take(self) -> float:
        """Take one request; 0 when granted, else the seconds to wait."""
        now = self.clock()
        slot = self._slot(now)
        blocked_until = self.store.count(slot, forget_before=slot - self.slots - 3)
        if blocked_until is not None and blocked_until > now:
            self.store.uncount(slot)
            return blocked_until - now
        reservation = _active.get()
        if (
            reservation is not None
            and reservation.budget is self
            and not reservation.released
            and slot <= reservation.held.expires_slot
            and self.store.take_held(reservation.held)
        ):
            return 0.0  # held, so counted before it was checked, when the work reserved it
        window = self._window(slot)
        if window.spent + window.held <= self.limit:
            return 0.0
        self.store.uncount(slot)
        oldest = min((s for s, count in window.counts.items() if count > 0), default=slot)
        # The oldest counted slot leaves the window once slot + slots + 2 begins.
        return max(self.slot_seconds / 10, self._leaves_at(oldest) - now)

    def _window(self, slot: int) -> BudgetWindow:
        # Reservations lapse at the end of a bucket of slots: the live ones are in a few.
        first_live = -(-slot // HELD_BUCKET_SLOTS) * HELD_BUCKET_SLOTS
        live = range(first_live, slot + self._hold_slots + 2 * HELD_BUCKET_SLOTS, HELD_BUCKET_SLOTS)
        return self.store.window(range(slot - self.slots - 1, slot + 1), live)

    def _expiry(self, now: float) -> int:
        """The slot after which a reservation made `now` lapses: `hold_seconds` on, rounded up
        to the end of its bucket."""
        slot = self._slot(now + self.hold_seconds)
        return -(-slot // HELD_BUCKET_SLOTS) * HELD_BUCKET_SLOTS

    @property
    def lapse_seconds(self) -> float:
        """A reservation never released (its process died) stops counting at most this long
        after it was made."""
        return self.hold_seconds + (HELD_BUCKET_SLOTS + 1) * self.slot_seconds

    def _seconds_until(
        self, window: BudgetWindow, requests: int, now: float, *, held: int
    ) -> float:
        """When `requests` fit, the slots leaving oldest first; `held` calls (of reservations,
        spent or not by then) are taken to count until a window after now."""
        wait = max(0.0, self._blocked_for(window, now))
        spent = window.spent + held
        for slot in sorted(window.counts):
            if self.limit - spent >= requests:
                return wait
            spent -= window.counts[slot]
            wait = max(wait, self._leaves_at(slot) - now)
        if self.limit - spent < requests:
            wait = max(wait, self._leaves_at(self._slot(now)) - now)
        return wait

    def _blocked_for(self, window: BudgetWindow, now: float) -> float:
        return 0.0 if window.blocked_until is None else window.blocked_until - now

    def _pause(self, wait: float) -> float:
        # A little jitter so waiting processes do not all come back at the same instant.
        pause = wait + random.uniform(0, self.slot_seconds / 10)  # noqa: S311 - not crypto
        self.sleep(pause)
        return pause

    def _leaves_at(self, slot: int) -> float:
        return (slot + self.slots + 2) * self.slot_seconds

    @property
    def _hold_slots(self) -> int:
        return math.ceil(self.hold_seconds / self.slot_seconds)

    def _slot(self, moment: float) -> int:
        return math.floor(moment / self.slot_seconds)
