"""Access tokens as a Yeastar PBX gives them: from the client id and secret, for a time.

`get_token` answers an access token valid `access_seconds` (the PBX: 1800) and a refresh token
valid `refresh_seconds` (86400); `refresh_token` swaps the refresh token for a new pair, and the
old pair stops working; `del_token` revokes an access token. At most `limit` (8) access tokens
are valid at once; the ninth `get_token` is refused until one expires or is revoked.
The clock can be set (tests) and every token expired at once (POST /sandbox/tokens/expire).
"""

from __future__ import annotations

import hmac
import secrets
import string
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sandbox.http import Answer
from sandbox.yeastar.envelope import failure, invalid, parameter_error, success

ALPHABET = string.ascii_letters + string.digits
TOKEN_LIMIT = 8


def _same(given: Any, expected: str) -> bool:
    return hmac.compare_digest(str(given).encode(), expected.encode())


def _new_token() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(32))


@dataclass
class _Pair:
    access_token: str
    access_until: float
    refresh_token: str
    refresh_until: float


class TokenIssuer:
    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        access_seconds: int = 1800,
        refresh_seconds: int = 86400,
        clock: Callable[[], float] = time.time,
    ):
        self.client_id = client_id
        self.client_secret = client_secret
        self.access_seconds = access_seconds
        self.refresh_seconds = refresh_seconds
        self.clock = clock
        self._pairs: list[_Pair] = []
        self._lock = threading.Lock()

    def get_token(self, body: dict[str, Any]) -> Answer:
        missing = [
            invalid(name, "required") for name in ("username", "password") if not body.get(name)
        ]
        if missing:
            raise parameter_error(missing)
        known = _same(body["username"], self.client_id) and (
            _same(body["password"], self.client_secret)
        )
        if not known:
            raise failure(-1, "FAILURE", invalid_param_list=[
                {"field": "username or password", "value": "error"}
            ])  # fmt: skip
        with self._lock:
            self._forget_expired()
            if sum(1 for pair in self._pairs if pair.access_until > self.clock()) >= TOKEN_LIMIT:
                raise failure(-1, "FAILURE")  # the limit's own answer is not documented
            return self._issue()

    def refresh(self, body: dict[str, Any]) -> Answer:
        if not body.get("refresh_token"):
            raise parameter_error([invalid("refresh_token", "required")])
        with self._lock:
            now = self.clock()
            for pair in self._pairs:
                if _same(body["refresh_token"], pair.refresh_token):
                    self._pairs.remove(pair)
                    if pair.refresh_until > now:
                        return self._issue()
                    break
        raise failure(10004, "TOKEN EXPIRED")

    def is_valid(self, access_token: str) -> bool:
        with self._lock:
            now = self.clock()
            return any(
                _same(access_token, pair.access_token) and pair.access_until > now
                for pair in self._pairs
            )

    def revoke(self, access_token: str) -> None:
        with self._lock:
            self._pairs = [p for p in self._pairs if p.access_token != access_token]

    def expire_access_tokens(self) -> int:
        """Every access token expires now (refresh tokens keep working); how many were valid."""
        with self._lock:
            now = self.clock()
            valid = [pair for pair in self._pairs if pair.access_until > now]
            for pair in valid:
                pair.access_until = now
            return len(valid)

    def valid_count(self) -> int:
        with self._lock:
            now = self.clock()
            return sum(1 for pair in self._pairs if pair.access_until > now)

    def clear(self) -> None:
        with self._lock:
            self._pairs = []

    def _issue(self) -> Answer:
        now = self.clock()
        pair = _Pair(
            access_token=_new_token(),
            access_until=now + self.access_seconds,
            refresh_token=_new_token(),
            refresh_until=now + self.refresh_seconds,
        )
        self._pairs.append(pair)
        return success(
            access_token_expire_time=self.access_seconds,
            access_token=pair.access_token,
            refresh_token_expire_time=self.refresh_seconds,
            refresh_token=pair.refresh_token,
        )

    def _forget_expired(self) -> None:
        now = self.clock()
        self._pairs = [pair for pair in self._pairs if pair.refresh_until > now]
