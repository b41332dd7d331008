"""TalkClient: every Talk API endpoint TalkAdmin uses, as typed methods.

Get the process's one client with `talk.get_client()`; never build requests yourself.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import BaseCache

from talk.greetings import GreetingEndpoints
from talk.ivrs import IvrEndpoints
from talk.lookups import LookupEndpoints
from talk.phone_numbers import PhoneNumberEndpoints
from talk.transport import Transport


@dataclass(frozen=True, slots=True)
class RateRoom:
    needed: int  # calls the work will make
    available: int  # calls the budget allows right now
    fits: bool  # needed calls can be had within TALK_MAX_WAIT_SECONDS
    wait_seconds: float  # when not: until they can (math.inf: more than the limit allows)
    limit: int  # calls per window


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

    def __repr__(self) -> str:
        return f"TalkClient({self.base_url})"
