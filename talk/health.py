"""Is the Talk API reachable? For /healthz, cached so probes never spend the API budget."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

from talk import get_client
from talk.errors import AuthError, BudgetUnavailable, NotConfigured, RateLimited, TalkError

HEALTH_CACHE_KEY = "talk:health"
HEALTH_CACHE_SECONDS = 30


def talk_api_status() -> dict[str, Any]:
    """{"ok": bool, "detail": str}, checked at most every 30 seconds (no secrets in it)."""
    status: dict[str, Any] | None = cache.get(HEALTH_CACHE_KEY)  # what _probe gave
    if status is None:
        status = _probe()
        cache.set(HEALTH_CACHE_KEY, status, timeout=HEALTH_CACHE_SECONDS)
    return status


def _probe() -> dict[str, Any]:
    try:
        get_client().check_reachable()
    except NotConfigured:
        return {"ok": False, "detail": "not configured"}
    except AuthError:
        return {"ok": False, "detail": "credentials refused"}
    except RateLimited:
        return {"ok": False, "detail": "rate limited"}
    except BudgetUnavailable:  # its database or Redis: nothing was sent to Zendesk
        return {"ok": False, "detail": "rate budget unavailable"}
    except TalkError:
        return {"ok": False, "detail": "not answering"}
    return {"ok": True, "detail": "reachable"}
