"""The access token a Yeastar PBX asks for on every call, got and renewed as documented.

- `get_token` turns the client id and secret (sent as `username` and `password`) into an access
  token (valid 30 minutes) and a refresh token (24 hours); the answer says how long each lasts
  (`access_token_expire_time`, `refresh_token_expire_time`, in seconds).
- `refresh_token` turns the latest refresh token into a new pair.
- The PBX holds at most 8 valid tokens per application, so a process keeps one token and renews
  it (refresh first, credentials only when that fails), instead of asking for a new one per call.

A token is renewed a little before the PBX would drop it (a tenth of its lifetime, at most a
minute), and at once when the PBX calls it expired or invalid anyway (`forget`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from yeastar.errors import AuthError, YeastarError

EARLY_RENEWAL_SECONDS = 60.0


@dataclass(frozen=True)
class TokenPair:
    """A token answer: the two tokens and the moment (on `clock`) each stops being used."""

    access_token: str
    access_until: float
    refresh_token: str
    refresh_until: float

    @classmethod
    def from_answer(cls, answer: dict[str, Any], *, now: float) -> TokenPair:
        access = answer.get("access_token")
        if not isinstance(access, str) or not access:
            raise AuthError("the PBX answered without an access token")
        return cls(
            access_token=access,
            access_until=now + _usable_for(answer.get("access_token_expire_time"), 1800),
            refresh_token=str(answer.get("refresh_token") or ""),
            refresh_until=now + _usable_for(answer.get("refresh_token_expire_time"), 86400),
        )


def _usable_for(lifetime: Any, default: int) -> float:
    try:
        seconds = float(lifetime)
    except (TypeError, ValueError):
        seconds = float(default)
    return max(0.0, seconds - min(EARLY_RENEWAL_SECONDS, seconds / 10))


class TokenKeeper:
    """Holds this process's token pair and renews it; safe to share between threads.

    obtain(): the `get_token` answer for the configured credentials.
    renew(refresh_token): the `refresh_token` answer.
    Both return the PBX's JSON or raise YeastarError.
    """

    def __init__(
        self,
        *,
        obtain: Callable[[], dict[str, Any]],
        renew: Callable[[str], dict[str, Any]],
        clock: Callable[[], float] = time.monotonic,
    ):
        self._obtain = obtain
        self._renew = renew
        self.clock = clock
        self._pair: TokenPair | None = None
        self._lock = threading.Lock()

    def access_token(self) -> str:
        """A token the PBX should accept now, got or renewed if needed (AuthError if refused)."""
        with self._lock:
            now = self.clock()
            pair = self._pair
            if pair is not None and now < pair.access_until:
                return pair.access_token
            answer = None
            if pair is not None and pair.refresh_token and now < pair.refresh_until:
                try:
                    answer = self._renew(pair.refresh_token)
                except AuthError:
                    answer = None  # refused: start again from the credentials
                except YeastarError:
                    self._pair = None  # a refresh whose answer was lost may have spent it
                    raise
            if answer is None:
                self._pair = None
                answer = self._obtain()
            self._pair = TokenPair.from_answer(answer, now=self.clock())
            return self._pair.access_token

    def forget(self, access_token: str) -> None:
        """The PBX refused `access_token`: the next call renews it (with the refresh token)."""
        with self._lock:
            if self._pair is not None and self._pair.access_token == access_token:
                self._pair = TokenPair(
                    access_token=self._pair.access_token,
                    access_until=float("-inf"),
                    refresh_token=self._pair.refresh_token,
                    refresh_until=self._pair.refresh_until,
                )

    def drop(self) -> None:
        """Forget both tokens (the credentials changed, or the refresh token was refused)."""
        with self._lock:
            self._pair = None

    def held_token(self) -> str | None:
        """The access token held now, whether or not it is still valid (None if none)."""
        with self._lock:
            return self._pair.access_token if self._pair is not None else None
