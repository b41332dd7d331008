"""Build the process's DialpadClient from Django settings, refusing settings that could leak.

DIALPAD_BASE_URL is Dialpad's address: https://dialpad.com, or https://sandbox.dialpad.com for
Dialpad's own sandbox (the two servers of its OpenAPI description), or a local stand-in on the
loopback address (plain http allowed there only); scheme and host only, no path.
DIALPAD_API_KEY is a company admin's API key. With no DIALPAD_BASE_URL, Dialpad is simply not
configured and nothing of it is shown.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings

from dialpad.client import DialpadClient
from dialpad.errors import NotConfigured
from dialpad.pacing import COMPANY_LIMIT_PER_SECOND, shared_budget
from dialpad.transport import Transport

LOOPBACK_NAMES = frozenset({"localhost"})


def is_configured() -> bool:
    """Whether Dialpad is configured at all (DIALPAD_BASE_URL is set). A system with no
    configuration is not shown; one configured wrongly is, with `configuration_problem()`."""
    return bool(str(settings.DIALPAD_BASE_URL).strip())


def configuration_problem() -> str:
    """What is wrong with the DIALPAD_* settings, in words for whoever runs TalkAdmin; "" when
    they are complete (or when Dialpad is not configured at all)."""
    if not is_configured():
        return ""
    try:
        base_url_from_settings()
        _api_key()
        _rate_limit()
    except NotConfigured as problem:
        return problem.user_message
    return ""


def base_url_from_settings() -> str:
    """Dialpad's base URL (scheme and host, no trailing slash) or NotConfigured."""
    url = str(settings.DIALPAD_BASE_URL).strip()
    if not url:
        raise NotConfigured(
            "DIALPAD_BASE_URL (https://dialpad.com) and DIALPAD_API_KEY (see .env.example)."
        )
    parts = urlsplit(url)
    problem = ""
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        problem = "must be a full address such as https://dialpad.com"
    elif parts.username or parts.password:
        problem = "must not contain a user name or password (use DIALPAD_API_KEY)"
    elif parts.path.strip("/") or parts.query or parts.fragment:
        problem = "must be only the scheme and host, without a path such as /api/v2"
    elif parts.scheme == "http" and not _is_loopback(parts.hostname):
        problem = "must use https (plain http is only allowed for a sandbox on this machine)"
    if problem:
        raise NotConfigured(f"DIALPAD_BASE_URL correctly: it {problem}.")
    return f"{parts.scheme}://{parts.netloc}"


def _is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _api_key() -> str:
    key = str(settings.DIALPAD_API_KEY).strip()
    if not key:
        raise NotConfigured(
            "DIALPAD_API_KEY (a company admin makes one in Dialpad under Admin Settings > "
            "My Company > Authentication > API Keys)."
        )
    if any(character.isspace() for character in key):
        raise NotConfigured("DIALPAD_API_KEY to the key alone: the value set contains spaces.")
    return key


def _rate_limit() -> int:
    limit = int(settings.DIALPAD_RATE_LIMIT_PER_SECOND)
    if not 1 <= limit <= COMPANY_LIMIT_PER_SECOND:
        raise NotConfigured(
            f"DIALPAD_RATE_LIMIT_PER_SECOND to a number from 1 to {COMPANY_LIMIT_PER_SECOND} "
            "(Dialpad allows a company 20 requests a second, shared by all its integrations)."
        )
    return limit


def client_from_settings() -> DialpadClient:
    """A new DialpadClient configured by the DIALPAD_* settings (NotConfigured if it cannot)."""
    base_url = base_url_from_settings()
    transport = Transport(
        base_url=base_url,
        api_key=_api_key(),
        budget=shared_budget(limit=_rate_limit(), namespace=f"dialpad:{base_url}"),
        connect_timeout=settings.DIALPAD_CONNECT_TIMEOUT,
        read_timeout=settings.DIALPAD_READ_TIMEOUT,
        retries=settings.DIALPAD_RETRIES,
        backoff_factor=settings.DIALPAD_RETRY_BACKOFF,
        max_wait=settings.DIALPAD_MAX_WAIT_SECONDS,
    )
    return DialpadClient(transport=transport)
