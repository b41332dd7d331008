"""TalkClient: every Talk API endpoint TalkAdmin uses, as typed methods.

Get the process's one client with `talk.get_client()`; never build requests yourself.
"""

from __future__ import annotations

import hashlib

from django.core.cache import BaseCache

from talk.ivrs import IvrEndpoints
from talk.lookups import LookupEndpoints
from talk.phone_numbers import PhoneNumberEndpoints
from talk.transport import Transport


class TalkClient(IvrEndpoints, PhoneNumberEndpoints, LookupEndpoints):
    """The Talk API of one Zendesk account.

    Methods return typed resources (talk.resources) or raise typed errors (talk.errors).
    Writes (create_*, update_*, delete_*) must run inside an audit change set, or they raise
    WriteOutsideChangeSet before anything is sent.
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

    def __repr__(self) -> str:
        return f"TalkClient({self.base_url})"
