"""The Talk API service layer: the only code in TalkAdmin that talks to Zendesk.

from talk import get_client
client = get_client()            # the process's one client, built from the TALK_* settings
ivr = client.get_ivr(ivr_id)     # typed resources in, typed resources or TalkError out
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from django.core.signals import setting_changed

if TYPE_CHECKING:
    from talk.client import TalkClient

_client: TalkClient | None = None
_client_lock = threading.Lock()


def get_client() -> TalkClient:
    """The process's one TalkClient (built on first use); NotConfigured without settings."""
    global _client
    if _client is None:
        with _client_lock:
            if _client is None:
                from talk.config import client_from_settings

                _client = client_from_settings()
    return _client


def reset_client() -> None:
    """Forget the client (closing its rate budget's connection), so the next get_client()
    reads the settings again."""
    global _client
    with _client_lock:
        if _client is not None:
            _client.close()
        _client = None


def _settings_changed(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("TALK_") or setting == "CACHES":
        reset_client()


setting_changed.connect(_settings_changed)
