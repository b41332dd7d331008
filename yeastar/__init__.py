"""The Yeastar P-Series service layer: the only code in TalkAdmin that talks to a Yeastar PBX.

import yeastar
if yeastar.is_configured():          # no YEASTAR_BASE_URL: the PBX is not shown at all
    client = yeastar.get_client()    # the process's one client, built from the YEASTAR_* settings
    ivr = client.get_ivr(5)          # typed resources in, typed resources or YeastarError out

`configuration_problem()` says, in words, what is wrong with settings that are there but
incomplete. The client records its calls into the audit ledger through core.api_calls.recording, as
the Zendesk client does; it never imports talk/, ivr/, numbers/ or audit/.
"""

from __future__ import annotations

import atexit
import threading
from typing import TYPE_CHECKING, Any

from django.core.signals import setting_changed

from yeastar.config import configuration_problem, is_configured

if TYPE_CHECKING:
    from yeastar.client import YeastarClient

__all__ = ["configuration_problem", "get_client", "is_configured", "reset_client"]

_client: YeastarClient | None = None
_client_lock = threading.Lock()


def get_client() -> YeastarClient:
    """The process's one YeastarClient (built on first use); NotConfigured without settings."""
    global _client
    if _client is None:
        with _client_lock:
            if _client is None:
                from yeastar.config import client_from_settings

                _client = client_from_settings()
    return _client


def reset_client() -> None:
    """Forget the client, so the next get_client() reads the settings again."""
    global _client
    with _client_lock:
        _client = None


@atexit.register
def _give_the_token_back() -> None:
    # The PBX allows 8 valid tokens per application: a stopping process returns its own.
    client = _client
    if client is not None:
        client.transport.revoke_token()


def _settings_changed(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("YEASTAR_"):
        reset_client()


setting_changed.connect(_settings_changed)
