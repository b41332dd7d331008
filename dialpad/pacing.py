"""Dialpad's rate limits, and the shared budget the client spends from before every attempt.

Dialpad's "Rate Limits" page: "20 requests/second per company", beside per-API limits that
TalkAdmin's endpoints do not meet (contacts, calls, SMS, callbacks, call routers); each
endpoint TalkAdmin calls (custom IVRs, offices, departments, call centres, users) also says
"Rate limit: 1200 per minute", which 20 a second never exceeds. The company's budget is shared
by every integration of the company, so TalkAdmin spends only DIALPAD_RATE_LIMIT_PER_SECOND of
it (10 by default) in any second, across all its workers.

The budget itself is the project's shared rate budget (today talk.pacing.RateBudget: a sliding
window counted in Django's cache, honouring a 429's pause in every worker). dialpad/ may not
import talk/, so the project lends it: talkadmin's app config calls `use_shared_budget()` with
a factory, and dialpad.config builds the client's budget with it.
"""

from __future__ import annotations

import threading
from typing import Protocol

WINDOW_SECONDS = 1.0  # Dialpad counts per second
COMPANY_LIMIT_PER_SECOND = 20


class BudgetExhausted(Exception):
    """Waiting for the budget would take longer than the caller accepts (nothing was taken)."""

    def __init__(self, wait_seconds: float):
        super().__init__(f"the Dialpad API budget frees up in {wait_seconds:.1f} s")
        self.wait_seconds = wait_seconds


class Budget(Protocol):
    """What the transport needs of a rate budget shared by every worker."""

    def acquire(self, *, max_wait: float) -> float:
        """Take one request, waiting up to `max_wait` seconds; BudgetExhausted if longer."""
        ...

    def block_for(self, seconds: float) -> None:
        """Dialpad answered 429: every worker holds back for `seconds`."""
        ...


class BudgetFactory(Protocol):
    def __call__(self, *, limit: int, window_seconds: float, namespace: str) -> Budget: ...


_factory: BudgetFactory | None = None
_lock = threading.Lock()


def use_shared_budget(factory: BudgetFactory) -> None:
    """Build every Dialpad client's budget with `factory` (called once at start-up)."""
    global _factory
    with _lock:
        _factory = factory


def shared_budget(*, limit: int, namespace: str) -> Budget:
    """The budget of `limit` requests a second for the Dialpad company `namespace` names."""
    with _lock:
        factory = _factory
    if factory is None:
        raise RuntimeError(
            "No shared rate budget was lent to the Dialpad client: the talkadmin app registers "
            "one when Django starts (talkadmin/apps.py)."
        )
    return factory(limit=limit, window_seconds=WINDOW_SECONDS, namespace=namespace)
