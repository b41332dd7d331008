"""Build the process's TalkClient from Django settings, refusing settings that could leak.

The base URL is https://{TALK_SUBDOMAIN}.zendesk.com, the subdomain being a plain DNS label so
no setting can send the credentials elsewhere; TALK_BASE_URL overrides it (the local sandbox),
and may use plain http only on the loopback address.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import caches
from requests.auth import AuthBase

from talk.budget_stores import BudgetStore, CacheBudgetStore
from talk.client import TalkClient
from talk.errors import NotConfigured
from talk.pacing import RateBudget
from talk.transport import BasicTokenAuth, BearerAuth, Transport

DNS_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$", re.IGNORECASE)
LOOPBACK_NAMES = frozenset({"localhost"})


def base_url_from_settings() -> str:
    """The API's base URL (scheme and host, no trailing slash) or NotConfigured."""
    if settings.TALK_BASE_URL:
        return _checked_base_url(settings.TALK_BASE_URL)
    subdomain = settings.TALK_SUBDOMAIN.strip()
    if not subdomain:
        raise NotConfigured(
            "TALK_SUBDOMAIN (the 'acme' of acme.zendesk.com), TALK_EMAIL and TALK_API_TOKEN "
            "(see .env.example)."
        )
    if not DNS_LABEL.match(subdomain):
        raise NotConfigured(
            "TALK_SUBDOMAIN to only the part before .zendesk.com (letters, digits and hyphens, "
            "e.g. acme); the value set is not a plain subdomain."
        )
    return f"https://{subdomain.lower()}.zendesk.com"


def _checked_base_url(url: str) -> str:
    parts = urlsplit(url.strip())
    problem = ""
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        problem = "must be a full address such as https://acme.zendesk.com"
    elif parts.username or parts.password:
        problem = "must not contain a user name or password (use TALK_EMAIL and TALK_API_TOKEN)"
    elif parts.path.strip("/") or parts.query or parts.fragment:
        problem = "must be only the scheme and host, without a path"
    elif parts.scheme == "http" and not _is_loopback(parts.hostname):
        problem = "must use https (plain http is only allowed for a sandbox on this machine)"
    if problem:
        raise NotConfigured(f"TALK_BASE_URL correctly: it {problem}.")
    return f"{parts.scheme}://{parts.netloc}"


def _is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def auth_from_settings() -> AuthBase:
    """OAuth bearer when TALK_OAUTH_TOKEN is set, else `{email}/token` basic auth."""
    if settings.TALK_OAUTH_TOKEN:
        return BearerAuth(settings.TALK_OAUTH_TOKEN)
    if settings.TALK_EMAIL and settings.TALK_API_TOKEN:
        return BasicTokenAuth(settings.TALK_EMAIL, settings.TALK_API_TOKEN)
    missing = "TALK_EMAIL" if settings.TALK_API_TOKEN else "TALK_API_TOKEN"
    raise NotConfigured(
        f"{missing} (with TALK_EMAIL, the Zendesk admin the API token belongs to), or "
        "TALK_OAUTH_TOKEN (see .env.example)."
    )


def budget_store_from_settings(account: str) -> BudgetStore:
    """Where the account's rate budget is kept: TALK_RATE_BUDGET_STORE, "database" (the
    default) or "cache" (CACHE_URL's cache; the default when it is Redis). The settings have
    refused a cache that is not shared or not atomic already (talkadmin/settings.py)."""
    if settings.TALK_RATE_BUDGET_STORE == "cache":
        window = settings.TALK_RATE_WINDOW_SECONDS
        # Keys must outlive a window and a reservation's hold (two windows) with a margin.
        return CacheBudgetStore(cache=caches["default"], account=account, keep_seconds=3 * window)
    from talk.budget_database import DatabaseBudgetStore  # needs the app registry (its models)

    return DatabaseBudgetStore(account=account)


def client_from_settings() -> TalkClient:
    """A new TalkClient configured by the TALK_* settings."""
    base_url = base_url_from_settings()
    cache = caches["default"]
    transport = Transport(
        base_url=base_url,
        auth=auth_from_settings(),
        budget=RateBudget(
            store=budget_store_from_settings(base_url),
            limit=settings.TALK_RATE_LIMIT_PER_MINUTE,
            window_seconds=settings.TALK_RATE_WINDOW_SECONDS,
        ),
        connect_timeout=settings.TALK_CONNECT_TIMEOUT,
        read_timeout=settings.TALK_READ_TIMEOUT,
        retries=settings.TALK_RETRIES,
        backoff_factor=settings.TALK_RETRY_BACKOFF,
        max_wait=settings.TALK_MAX_WAIT_SECONDS,
    )
    return TalkClient(
        transport=transport,
        cache=cache,
        lookup_cache_seconds=settings.TALK_LOOKUP_CACHE_SECONDS,
        max_pages=settings.TALK_MAX_PAGES,
    )
