"""Build the process's YeastarClient from Django settings, refusing settings that could leak.

YEASTAR_BASE_URL is the PBX's web address (scheme, host and port, e.g. https://192.168.5.150:8088
or https://acme.ras.yeastar.com), without the API path; it must use https, except for a sandbox
on the loopback address. YEASTAR_CLIENT_ID and YEASTAR_CLIENT_SECRET are the credentials the PBX
shows under Integrations > API. With no YEASTAR_BASE_URL the PBX is simply not configured.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings

from yeastar.client import YeastarClient
from yeastar.errors import NotConfigured
from yeastar.transport import Transport

LOOPBACK_NAMES = frozenset({"localhost"})


def is_configured() -> bool:
    """Whether a Yeastar PBX is configured at all (YEASTAR_BASE_URL is set). A system with no
    configuration is not shown; one configured wrongly is, with `configuration_problem()`."""
    return bool(settings.YEASTAR_BASE_URL.strip())


def configuration_problem() -> str:
    """What is wrong with the YEASTAR_* settings, in words for whoever runs TalkAdmin; "" when
    they are complete (or when no PBX is configured at all)."""
    if not is_configured():
        return ""
    try:
        base_url_from_settings()
        _credentials()
    except NotConfigured as problem:
        return problem.user_message
    return ""


def base_url_from_settings() -> str:
    """The PBX's base URL (scheme and host, no trailing slash) or NotConfigured."""
    url = settings.YEASTAR_BASE_URL.strip()
    if not url:
        raise NotConfigured(
            "YEASTAR_BASE_URL (the PBX's web address), YEASTAR_CLIENT_ID and "
            "YEASTAR_CLIENT_SECRET (see .env.example)."
        )
    parts = urlsplit(url)
    problem = ""
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        problem = "must be a full address such as https://192.168.5.150:8088"
    elif parts.username or parts.password:
        problem = "must not contain a user name or password (use YEASTAR_CLIENT_ID and _SECRET)"
    elif parts.path.strip("/") or parts.query or parts.fragment:
        problem = "must be only the scheme, host and port, without a path such as /openapi/v1.0"
    elif parts.scheme == "http" and not _is_loopback(parts.hostname):
        problem = "must use https (plain http is only allowed for a sandbox on this machine)"
    if problem:
        raise NotConfigured(f"YEASTAR_BASE_URL correctly: it {problem}.")
    return f"{parts.scheme}://{parts.netloc}"


def _is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _credentials() -> tuple[str, str]:
    client_id = settings.YEASTAR_CLIENT_ID.strip()
    secret = settings.YEASTAR_CLIENT_SECRET.strip()
    if not (client_id and secret):
        missing = " and ".join(
            name
            for name, value in (("YEASTAR_CLIENT_ID", client_id), ("YEASTAR_CLIENT_SECRET", secret))
            if not value
        )
        raise NotConfigured(
            f"{missing} (the Client ID and Client Secret the PBX shows under Integrations > API)."
        )
    return client_id, secret


def client_from_settings() -> YeastarClient:
    """A new YeastarClient configured by the YEASTAR_* settings."""
    base_url = base_url_from_settings()
    client_id, secret = _credentials()
    transport = Transport(
        base_url=base_url,
        client_id=client_id,
        client_secret=secret,
        ca_bundle=settings.YEASTAR_CA_BUNDLE,
        connect_timeout=settings.YEASTAR_CONNECT_TIMEOUT,
        read_timeout=settings.YEASTAR_READ_TIMEOUT,
        retries=settings.YEASTAR_RETRIES,
        backoff_factor=settings.YEASTAR_RETRY_BACKOFF,
    )
    return YeastarClient(transport=transport)
