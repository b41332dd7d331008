"""The account's Talk API budget, shared by every TalkAdmin worker through Django's cache.

Zendesk counts requests per account per minute (TALK_RATE_LIMIT_PER_MINUTE). Every worker and
server of TalkAdmin spends from one budget kept in the cache (locmem for one process, Redis via
CACHE_URL for several), as a sliding window made of short slots:

- before each attempt, a worker reserves a place by incrementing the current slot's counter
  (`add` + `incr`, both atomic in locmem and Redis), then sums the slots that overlap the last
  window; over the limit, it gives the place back (`decr`) and waits for the oldest slot to leave
  the window. Because every reservation is counted before it is checked, concurrent workers can
  only err on the side of waiting, never of exceeding the budget.
- the window sums two slots more than the window holds, so every request is still counted at
  least one slot (2 s by default) longer than a window: the budget holds even when requests
  reach Zendesk a little later than they were counted, at the price of a few percent.
- a 429 from Zendesk sets a "blocked until" mark that every worker honours before sending.

Clocks of several servers are assumed to agree to within a slot (NTP).
"""

from __future__ import annotations

import contextlib
import logging
import math
import random
import time
from collections.abc import Callable

from django.core.cache import BaseCache

logger = logging.getLogger(__name__)


class BudgetExhausted(Exception):
    """Waiting for the budget would take longer than the caller accepts."""

    def __init__(self, wait_seconds: float):
        super().__init__(f"the Talk API budget frees up in {wait_seconds:.1f} s")
        self.wait_seconds = wait_seconds


class RateBudget:
    """At most `limit` requests in any `window_seconds`, across every process sharing `cache`."""

    def __init__(
        self,
        *,
        cache: BaseCache,
        limit: int,
        namespace: str,
        window_seconds: float = 60.0,
        slots: int = 30,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ):
        if limit < 1:
            raise ValueError("the rate limit must allow at least one request per window")
        self.cache = cache
        self.limit = limit
        self.window_seconds = window_seconds
        self.slot_seconds = window_seconds / slots
        self.slots = slots
        self.prefix = f"talk:budget:{namespace}"
        self.clock = clock
        self.sleep = sleep

    def acquire(self, *, max_wait: float) -> float:
        """Take one request from the budget, waiting if needed; return the seconds waited.

        Raises BudgetExhausted, without taking anything, when the wait would exceed max_wait.
        """
        waited = 0.0
        while True:
            wait = self._blocked_for()
            if wait <= 0:
                wait = self._try_reserve()
                if wait <= 0:
                    return waited
            if waited + wait > max_wait:
                raise BudgetExhausted(wait)
            # A little jitter so waiting workers do not all come back at the same instant.
            pause = wait + random.uniform(0, self.slot_seconds / 10)  # noqa: S311 - not crypto
            self.sleep(pause)
            waited += pause

    def room(self, *, within: float = 0.0) -> int:
        """How many requests could be taken, all told, by `within` seconds from now: the limit
        less what is spent and still counted then (0 while a 429 blocks for longer). Nothing
        is reserved: other workers may take some of it meanwhile."""
        now = self.clock()
        if self._blocked_for() > within:
            return 0
        leaves_before = self._slot(now + within) - self.slots - 1
        counts = self._counts(self._slot(now))
        still = sum(count for s, count in counts.items() if s >= leaves_before)
        return max(0, self.limit - still)

    def seconds_until_room(self, requests: int) -> float:
        """Seconds until `requests` could be taken at once (math.inf if over the limit)."""
        if requests > self.limit:
            return math.inf
        now = self.clock()
        blocked = max(0.0, self._blocked_for())
        counts = self._counts(self._slot(now))
        spent = sum(counts.values())
        for slot in sorted(counts):
            if self.limit - spent >= requests:
                break
            spent -= counts[slot]
            # The slot leaves the window once slot + slots + 2 begins (see _try_reserve).
            blocked = max(blocked, (slot + self.slots + 2) * self.slot_seconds - now)
        return blocked

    def block_for(self, seconds: float) -> None:
        """Zendesk answered 429: make every worker wait `seconds` before sending again."""
        until = self.clock() + seconds
        current = self.cache.get(f"{self.prefix}:blocked-until")
        if current is None or current < until:
            self.cache.set(f"{self.prefix}:blocked-until", until, timeout=math.ceil(seconds) + 1)

    def spent_in_window(self) -> int:
        """Requests counted in the current window (for diagnostics and tests)."""
        slot = self._slot(self.clock())
        return sum(self._counts(slot).values())

    def _blocked_for(self) -> float:
        until = self.cache.get(f"{self.prefix}:blocked-until")
        return 0.0 if until is None else until - self.clock()

    def _try_reserve(self) -> float:
        """Reserve a place in the current slot; 0 when granted, else the seconds to wait."""
        now = self.clock()
        slot = self._slot(now)
        key = self._key(slot)
        self._increment(key)
        counts = self._counts(slot)
        if sum(counts.values()) <= self.limit:
            return 0.0
        with contextlib.suppress(ValueError):  # the slot expired meanwhile: nothing to give back
            self.cache.decr(key)
        oldest = min((s for s, count in counts.items() if count > 0), default=slot)
        # The oldest counted slot leaves the window once slot + slots + 2 begins.
        return max(self.slot_seconds / 10, (oldest + self.slots + 2) * self.slot_seconds - now)

    def _increment(self, key: str) -> None:
        timeout = math.ceil(self.window_seconds + 3 * self.slot_seconds) + 1
        for _ in range(3):
            self.cache.add(key, 0, timeout=timeout)
            try:
                self.cache.incr(key)
                return
            except ValueError:  # expired between add and incr: add again
                continue
        raise RuntimeError("could not count a Talk API request in the cache")

    def _counts(self, slot: int) -> dict[int, int]:
        window = range(slot - self.slots - 1, slot + 1)
        values = self.cache.get_many([self._key(s) for s in window])
        return {s: int(values.get(self._key(s)) or 0) for s in window}

    def _slot(self, moment: float) -> int:
        return math.floor(moment / self.slot_seconds)

    def _key(self, slot: int) -> str:
        return f"{self.prefix}:{slot}"
