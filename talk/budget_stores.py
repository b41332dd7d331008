"""Where the shared rate budget is kept, and the cache store (Redis; locmem for one process).

A store keeps, for one account, the requests counted in each slot of the sliding window, the
calls held by reservations and the 429 pause, and makes each change in one atomic step;
talk.pacing.RateBudget makes the decisions. Two stores:

- talk.budget_database.DatabaseBudgetStore, the default: the talk_budget_* tables of the
  site's own database (PostgreSQL; SQLite for the trial), so every process of an installation
  shares it with no extra server.
- CacheBudgetStore (here): Django's cache, used when CACHE_URL points at Redis. Counting is
  `add` + `incr`/`decr`, atomic in Redis, Memcached and locmem. Locmem is one process's memory:
  settings refuse it for the budget unless WEB_CONCURRENCY=1 (see talkadmin/settings.py).
  Reservations are counted per expiry slot (`...:held:<slot>`), so the calls a dead process
  held stop counting once their slot has passed.
"""

from __future__ import annotations

import contextlib
import math
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from django.core.cache import BaseCache

from talk.errors import BudgetUnavailable

try:  # the redis client is a dependency, but only a Redis cache raises its errors
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover - redis is in pyproject's dependencies
    RedisError = OSError  # type: ignore[assignment,misc]


@dataclass(frozen=True)
class Held:
    """A reservation, as its store knows it: `calls` held until the end of `expires_slot`."""

    id: str
    calls: int
    expires_slot: int


@dataclass(frozen=True)
class BudgetWindow:
    """What a store holds for one account at one moment."""

    counts: dict[int, int]  # requests counted in each slot of the window
    held: int  # calls held by reservations that have not lapsed
    blocked_until: float | None  # Unix time before which nobody sends (a 429), if any

    @property
    def spent(self) -> int:
        return sum(self.counts.values())


class BudgetStore(Protocol):
    """One account's budget; every method is one atomic change (or one consistent read)."""

    account: str

    def count(self, slot: int, *, forget_before: int) -> float | None:
        """Count one request in `slot`; return the pause (blocked-until), if one is set.
        Slots before `forget_before` are no longer needed and may be deleted."""
        ...

    def uncount(self, slot: int) -> None:
        """Take back a request counted in `slot` (it was not sent)."""
        ...

    def window(self, counted: range, live: range) -> BudgetWindow:
        """The counts of the `counted` slots, the calls held by reservations expiring in a
        slot of `live` (from the current slot on), and the pause."""
        ...

    def block_until(self, until: float) -> None:
        """Nobody sends before `until` (Unix time); never shortens a longer pause."""
        ...

    def hold(self, calls: int, *, expires_slot: int) -> Held:
        """Hold `calls` for a reservation, counted for everyone until released or lapsed."""
        ...

    def take_held(self, held: Held) -> bool:
        """Take one call from the reservation; False when none is left (or it lapsed)."""
        ...

    def return_held(self, held: Held) -> None:
        """Give back a call taken from the reservation (it was not sent)."""
        ...

    def release(self, held: Held) -> None:
        """The work is over: its unspent calls are free for everyone again."""
        ...

    def clear(self, slots: range) -> None:
        """Forget everything counted for the account around `slots` (tests, benchmarks)."""
        ...

    def close(self) -> None:
        """Let go of any connection the store holds."""
        ...


class CacheBudgetStore:
    """The budget in Django's cache: Redis for several processes, locmem for a single one."""

    def __init__(self, *, cache: BaseCache, account: str, keep_seconds: float):
        self.cache = cache
        self.account = account
        self.prefix = f"talk:budget:{account}"
        self.timeout = math.ceil(keep_seconds) + 1

    def count(self, slot: int, *, forget_before: int) -> float | None:
        with _unavailable_on_errors():
            self._add(self._key(slot), 1)
            blocked_until: float | None = self.cache.get(self._blocked_key)  # block_until's
            return blocked_until

    def uncount(self, slot: int) -> None:
        with _unavailable_on_errors(), contextlib.suppress(ValueError):  # expired: nothing to do
            self.cache.decr(self._key(slot))

    def window(self, counted: range, live: range) -> BudgetWindow:
        keys = {self._key(slot): slot for slot in counted}
        held_keys = [self._held_key(slot) for slot in live]
        with _unavailable_on_errors():
            values = self.cache.get_many([*keys, *held_keys, self._blocked_key])
        return BudgetWindow(
            counts={slot: int(values.get(key) or 0) for key, slot in keys.items()},
            held=sum(max(0, int(values.get(key) or 0)) for key in held_keys),
            blocked_until=values.get(self._blocked_key),
        )

    def block_until(self, until: float) -> None:
        # Two 429s at once may keep the earlier of their two marks: a pause a few ms shorter.
        with _unavailable_on_errors():
            current = self.cache.get(self._blocked_key)
            if current is None or current < until:
                seconds = max(1, math.ceil(until - time.time()) + 1)
                self.cache.set(self._blocked_key, until, timeout=seconds)

    def hold(self, calls: int, *, expires_slot: int) -> Held:
        held = Held(id=uuid.uuid4().hex, calls=calls, expires_slot=expires_slot)
        with _unavailable_on_errors():
            self.cache.set(self._reservation_key(held), calls, timeout=self.timeout)
            self._add(self._held_key(expires_slot), calls)
        return held

    def take_held(self, held: Held) -> bool:
        with _unavailable_on_errors():
            try:
                left = self.cache.decr(self._reservation_key(held))
            except ValueError:  # lapsed or released
                return False
            if left < 0:
                self.cache.incr(self._reservation_key(held))
                return False
            with contextlib.suppress(ValueError):
                self.cache.decr(self._held_key(held.expires_slot))
        return True

    def return_held(self, held: Held) -> None:
        with _unavailable_on_errors():
            for key in (self._reservation_key(held), self._held_key(held.expires_slot)):
                with contextlib.suppress(ValueError):  # lapsed meanwhile: nothing to give back
                    self.cache.incr(key)

    def release(self, held: Held) -> None:
        with _unavailable_on_errors():
            try:
                # One atomic step takes every call left: left - calls, so left = that + calls.
                left = self.cache.decr(self._reservation_key(held), held.calls) + held.calls
            except ValueError:  # lapsed: its held count has stopped counting too
                return
            if left > 0:
                with contextlib.suppress(ValueError):
                    self.cache.decr(self._held_key(held.expires_slot), left)
            self.cache.delete(self._reservation_key(held))

    def clear(self, slots: range) -> None:
        keys = [self._key(slot) for slot in slots] + [self._held_key(slot) for slot in slots]
        with _unavailable_on_errors():
            self.cache.delete_many([*keys, self._blocked_key])

    def close(self) -> None:
        pass  # the cache's connections are Django's

    def _add(self, key: str, amount: int) -> None:
        for _ in range(3):
            self.cache.add(key, 0, timeout=self.timeout)
            try:
                self.cache.incr(key, amount)
                return
            except ValueError:  # expired between add and incr: add again
                continue
        raise BudgetUnavailable("could not count a Talk API request in the cache")

    @property
    def _blocked_key(self) -> str:
        return f"{self.prefix}:blocked-until"

    def _key(self, slot: int) -> str:
        return f"{self.prefix}:{slot}"

    def _held_key(self, slot: int) -> str:
        return f"{self.prefix}:held:{slot}"

    def _reservation_key(self, held: Held) -> str:
        return f"{self.prefix}:reservation:{held.id}"


@contextlib.contextmanager
def _unavailable_on_errors() -> Iterator[None]:
    try:
        yield
    except (RedisError, OSError) as error:
        raise BudgetUnavailable(f"the cache holding the rate budget failed: {error}") from None
