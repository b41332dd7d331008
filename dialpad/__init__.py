"""The Dialpad service layer: the only code in TalkAdmin that talks to Dialpad.

import dialpad
if dialpad.is_configured():             # no DIALPAD_BASE_URL: Dialpad is not shown at all
    client = dialpad.get_client()       # the process's one client, from the DIALPAD_* settings
    office = client.get_office(124)     # typed resources in, typed resources or DialpadError out
    prompts = client.list_recordings(office.target)   # what each situation plays

`configuration_problem()` says, in words, what is wrong with settings that are there but
incomplete. The client records its calls into the audit ledger through core.api_calls.recording,
as the Zendesk and Yeastar clients do; it never imports talk/, yeastar/, ivr/, numbers/ or audit/.
Its calls are paced by the project's shared rate budget, which talkadmin lends it at start-up
(dialpad.pacing).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from django.core.signals import setting_changed

from dialpad.config import configuration_problem, is_configured

if TYPE_CHECKING:
    from dialpad.client import DialpadClient

__all__ = ["configuration_problem", "get_client", "is_configured", "reset_client"]

_client: DialpadClient | None = None
_client_lock = threading.Lock()


def get_client() -> DialpadClient:
    """The process's one DialpadClient (built on first use); NotConfigured without settings."""
    global _client
    if _client is None:
        with _client_lock:
            if _client is None:
                from dialpad.config import client_from_settings

                _client = client_from_settings()
    return _client


def reset_client() -> None:
    """Forget the client, so the next get_client() reads the settings again."""
    global _client
    with _client_lock:
        _client = None


def _settings_changed(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("DIALPAD_") or setting == "CACHES":
        reset_client()


setting_changed.connect(_settings_changed)
