"""TalkClient: every Talk API endpoint TalkAdmin uses, as typed methods.

Get the process's one client with `talk.get_client()`; never build requests yourself.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from types import TracebackType

from django.core.cache import BaseCache

from talk.greetings import GreetingEndpoints
from talk.ivrs import IvrEndpoints
from talk.lookups import LookupEndpoints
from talk.pacing import BudgetExhausted, Reservation
from talk.phone_numbers import PhoneNumberEndpoints
from talk.transport import Transport


@dataclass(frozen=True, slots=True)
class RateRoom:
    needed: int  # calls the work will make
    available: int  # calls the budget allows right now
    fits: bool  # needed calls can be had within TALK_MAX_WAIT_SECONDS
    wait_seconds: float  # when not: until they can (math.inf: more than the limit allows)
    limit: int  # calls per window


class CallReservation:
    """The answer to `TalkClient.reserve_calls`: granted (then a context manager that spends
    and finally releases the calls) or refused, with `room` saying what the budget allows.

        reservation = client.reserve_calls(writes=len(plan.operations), re_reads=1)
        if not reservation.granted:
            return refused(over_budget_message(reservation.room))   # nothing was sent
        with reservation:
            ...the plan's calls...
    """

    def __init__(self, room: RateRoom, reservation: Reservation | None):
        self.room = room
        self._reservation = reservation

    @property
    def granted(self) -> bool:
        return self._reservation is not None

    @property
    def calls(self) -> int:
        return self.room.needed

    def __enter__(self) -> CallReservation:
        if self._reservation is None:
            raise RuntimeError("the calls were not reserved: check `granted` first")
        self._reservation.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        assert self._reservation is not None
        self._reservation.__exit__(exc_type, exc, traceback)

    def release(self) -> None:
        """Give back what is not spent now (leaving the block does it; safe to call twice)."""
        if self._reservation is not None:
            self._reservation.release()


class TalkClient(IvrEndpoints, PhoneNumberEndpoints, GreetingEndpoints, LookupEndpoints):
    """The Talk API of one Zendesk account.

    Methods return typed resources (talk.resources) or raise typed errors (talk.errors).
    Writes (create_*, update_*, rename_*, upload_*, delete_*) must run inside an audit change
    set, or they raise WriteOutsideChangeSet before anything is sent.
    """

    def __init__(
        self,
        *,
        transport: Transport,
        cache: BaseCache,
        lookup_cache_seconds: float = 60,
        max_pages: int = 100,
    ):
        self._transport = transport
        self.cache = cache
        self.lookup_cache_seconds = lookup_cache_seconds
        self.max_pages = max_pages
        # Cached lookups of one account never answer for another (e.g. sandbox vs Zendesk).
        self.cache_namespace = hashlib.sha256(transport.base_url.encode()).hexdigest()[:12]

    @property
    def base_url(self) -> str:
        return self._transport.base_url

    @property
    def transport(self) -> Transport:
        return self._transport

    def check_reachable(self, *, timeout: tuple[float, float] = (2.0, 3.0)) -> None:
        """One quick authenticated read (greeting categories), with no retry and no waiting for
        the rate budget; raises TalkError when Zendesk cannot be reached or refuses us."""
        self._transport.request(
            "GET",
            "/api/v2/channels/voice/greeting_categories",
            timeout=timeout,
            retry=False,
            max_wait=0,
        )

    def rate_room(self, requests: int) -> RateRoom:
        """Whether `requests` calls fit in the account's rate budget within the time a call may
        wait for it (TALK_MAX_WAIT_SECONDS); if not, how long until they would. For work that
        must not stop half-way for lack of budget (a publish), checked before the first call."""
        budget = self._transport.budget
        room = budget.room(within=self._transport.max_wait)
        return RateRoom(
            needed=requests,
            available=budget.room(),
            fits=requests <= room,
            wait_seconds=0.0 if requests <= room else budget.seconds_until_room(requests),
            limit=budget.limit,
        )

    def calls_to_reserve(self, *, writes: int, re_reads: int = 0) -> int:
        """The calls work of `writes` writes and up to `re_reads` reads may make: each once,
        plus the retries one of them may take (TALK_RETRIES). A run that meets more faults than
        that goes on with the shared budget like any other call."""
        return writes + re_reads + self._transport.retries

    def reserve_calls(self, *, writes: int, re_reads: int = 0) -> CallReservation:
        """Hold, in the account's shared budget, every call that work must not run short of
        half-way (a publish's writes, the re-reads after an answer lost, their retries: see
        `calls_to_reserve`), waiting up to TALK_MAX_WAIT_SECONDS for them all at once.

        Granted, nobody else can spend them: the work's calls inside `with reservation:` take
        them one by one, and leaving the block (or the process dying: they lapse after two
        rate windows) gives back the rest. Refused, nothing is held and `room` says what the
        budget allows now and how long until it would allow them all.
        """
        calls = self.calls_to_reserve(writes=writes, re_reads=re_reads)
        budget = self._transport.budget
        try:
            held = budget.reserve(calls, max_wait=self._transport.max_wait)
        except BudgetExhausted as exhausted:
            room = RateRoom(
                needed=calls,
                available=budget.room(),
                fits=False,
                wait_seconds=math.inf if calls > budget.limit else exhausted.wait_seconds,
                limit=budget.limit,
            )
            return CallReservation(room, None)
        # Granted: `available` is what this work now holds (others may hold or have more).
        room = RateRoom(
            needed=calls, available=calls, fits=True, wait_seconds=0.0, limit=budget.limit
        )
        return CallReservation(room, held)

    def close(self) -> None:
        """Let go of the connection the rate budget's store holds (talk.reset_client does)."""
        self._transport.budget.store.close()

    def __repr__(self) -> str:
        return f"TalkClient({self.base_url})"
