"""Fault knobs: latency, random failures, forced answers and a per-minute rate limit.

Set them with environment variables when the sandbox starts, with POST /sandbox/faults on a
running sandbox, or directly on `app.faults` in-process:

    SANDBOX_LATENCY_MS=200            added to every API request
    SANDBOX_FAILURE_RATE=0.05         share of API requests answered 503 (seeded, repeatable)
    SANDBOX_RATE_LIMIT_PER_MINUTE=60  answered 429 with Retry-After beyond this
    SANDBOX_FORCE="PUT /api/v2/channels/voice/ivr/*=503;GET /api/v2/groups=500x2"
                                      forced answers, METHOD GLOB=FAULT[xTIMES] (* any method)

A forced FAULT is one of:
    503, 429, 422, ...  answer with that status, doing nothing
    timeout             answer nothing in time (the client's read timeout), doing nothing
    drop                close the connection without an answer, doing nothing
    applied-500         "applied, answer lost": carry the request out, then answer 500 ...
    applied-timeout     ... or hang past the client's read timeout ...
    applied-drop        ... or close the connection without an answer
e.g. SANDBOX_FORCE="POST */ivr/*/menus=applied-timeoutx1": the next menu create is made in the
account, but the client never learns it (it sees a read timeout).

POST /sandbox/faults takes the JSON of `Faults.to_json()`, e.g.
    {"latency_ms": 0, "failure_rate": 0, "rate_limit_per_minute": 5,
     "forced": [{"method": "POST", "path": "/api/v2/channels/voice/ivr*", "status": 503,
                 "times": 1}, {"method": "GET", "path": "*/ivr/*", "timeout": true},
                {"method": "POST", "path": "*/menus", "after_applying": true, "drop": true,
                 "times": 1}]}
A rule's "skip" lets that many matching requests through first: {"method": "*", "path": "*",
"skip": 3, "times": 1, "status": 503} fails the fourth request, whatever it is
(bench/publish_faults.py fails each call of a publish in turn this way).
"""

from __future__ import annotations

import fnmatch
import math
import random
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class ForcedAnswer:
    """Answer requests matching `method` and the `path` glob (no .json) with a fault.

    status: the status to answer with; timeout: answer nothing in time instead (in-process:
    a read timeout at once; served: hang for hang_seconds); drop: close the connection with no
    answer at all (in-process: the client sees the connection broken). after_applying: carry
    the request out first, then fail ("applied, answer lost": the change is made but its
    answer is lost). times: only the next N matching requests (None: every one). skip: let this
    many matching requests through first (with method "*" and path "*": fail the request at
    that position, e.g. the fourth call of a publish with skip 3).
    """

    method: str = "*"
    path: str = "*"
    status: int | None = 503
    times: int | None = None
    timeout: bool = False
    drop: bool = False
    after_applying: bool = False
    retry_after: int | None = None
    body: Any = None
    hang_seconds: float = 60.0
    skip: int = 0

    def matches(self, method: str, path: str) -> bool:
        return self.method in ("*", method) and fnmatch.fnmatchcase(path, self.path)


@dataclass
class Faults:
    latency_ms: int = 0
    failure_rate: float = 0.0
    rate_limit_per_minute: int | None = None
    rate_limit_window_seconds: float = 60.0
    forced: list[ForcedAnswer] = field(default_factory=list)
    seed: int = 6

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._random = random.Random(self.seed)  # noqa: S311 - repeatable faults, not crypto
        self._window: int | None = None
        self._window_count = 0

    @classmethod
    def from_json(cls, data: Any) -> Faults:
        if not isinstance(data, dict):
            raise ValueError("the faults must be a JSON object")
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["forced"] = [ForcedAnswer(**rule) for rule in data.get("forced") or []]
        return cls(**known)

    @classmethod
    def from_env(cls, env: dict[str, str], *, prefix: str = "SANDBOX_") -> Faults:
        """The knobs set by {prefix}LATENCY_MS, _FAILURE_RATE, _RATE_LIMIT_PER_MINUTE, _FORCE."""
        limit = env.get(f"{prefix}RATE_LIMIT_PER_MINUTE")
        return cls(
            latency_ms=int(env.get(f"{prefix}LATENCY_MS") or 0),
            failure_rate=float(env.get(f"{prefix}FAILURE_RATE") or 0),
            rate_limit_per_minute=int(limit) if limit else None,
            forced=[
                parse_forced(rule)
                for rule in (env.get(f"{prefix}FORCE") or "").split(";")
                if rule.strip()
            ],
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "latency_ms": self.latency_ms,
            "failure_rate": self.failure_rate,
            "rate_limit_per_minute": self.rate_limit_per_minute,
            "rate_limit_window_seconds": self.rate_limit_window_seconds,
            "forced": [asdict(rule) for rule in self.forced],
            "seed": self.seed,
        }

    def take_forced(self, method: str, path: str) -> ForcedAnswer | None:
        """The first forced answer matching the request, counting it against its `times`."""
        with self._lock:
            for rule in self.forced:
                if rule.matches(method, path):
                    if rule.skip > 0:
                        rule.skip -= 1
                        continue
                    if rule.times is not None:
                        rule.times -= 1
                        if rule.times <= 0:
                            self.forced.remove(rule)
                    return rule
        return None

    def random_failure(self) -> bool:
        with self._lock:
            return self.failure_rate > 0 and self._random.random() < self.failure_rate

    def count_request(self, now: float | None = None) -> tuple[int, int, int | None]:
        """Count a request in the current window: (limit, remaining, retry_after if refused)."""
        now = time.time() if now is None else now
        limit = self.rate_limit_per_minute
        with self._lock:
            window = math.floor(now / self.rate_limit_window_seconds)
            if window != self._window:
                self._window, self._window_count = window, 0
            self._window_count += 1
            shown_limit = limit if limit is not None else 700
            remaining = max(0, shown_limit - self._window_count)
            if limit is not None and self._window_count > limit:
                window_end = (window + 1) * self.rate_limit_window_seconds
                return shown_limit, 0, max(1, math.ceil(window_end - now))
            return shown_limit, remaining, None


APPLIED_PREFIX = "applied-"


def parse_forced(rule: str) -> ForcedAnswer:
    """'METHOD GLOB=FAULT[xTIMES]' -> ForcedAnswer; FAULT is a status, timeout or drop, each
    optionally prefixed by "applied-" (carried out, then its answer lost)."""
    target, _, outcome = rule.strip().partition("=")
    method, _, path = target.strip().partition(" ")
    what, _, times = (part.strip() for part in outcome.strip().lower().partition("x"))
    forced = ForcedAnswer(
        method=method.upper() or "*",
        path=path.strip() or "*",
        times=int(times) if times else None,
    )
    if what.startswith(APPLIED_PREFIX):
        forced.after_applying, what = True, what.removeprefix(APPLIED_PREFIX)
    if what == "timeout":
        forced.timeout, forced.status = True, None
    elif what == "drop":
        forced.drop, forced.status = True, None
    else:
        try:
            forced.status = int(what)
        except ValueError:
            raise ValueError(
                f"unknown forced fault {outcome.strip()!r}: use a status, timeout or drop, "
                "each optionally as applied-500, applied-timeout, applied-drop"
            ) from None
    return forced
