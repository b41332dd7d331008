"""Fixtures that put the Dialpad sandbox behind the real Dialpad client (loaded by conftest).

`dialpad_sandbox`: a fresh demo company for one test, served in-process (no network) to the
shared `dialpad.get_client()`. Use it to:
- inspect what Dialpad received: `dialpad_sandbox.requests_to("PATCH", "customivrs/*")` (method
  and a path glob after /api/v2/) gives ReceivedRequest(method, path, query, body, status);
- change the company as an admin would in Dialpad's settings: `dialpad_sandbox.state` (a
  DialpadState; edit its dicts under `state.lock`, nothing is validated);
- set faults: `dialpad_sandbox.fail("GET", "offices", status=503, times=1)`,
  `dialpad_sandbox.time_out("POST", "customivrs", times=1, after_applying=True)`.
Its client spends from an unlimited budget (`dialpad_sandbox.budget`, which records the pauses
a 429 asks for), so tests are not paced; `paced(limit)` gives it the real shared budget.

`dialpad_server`: the sandbox as its own process on a free port, shared by the session and reset
for each test (a RunningDialpadSandbox: base_url, api_key, control(), set_faults(), requests()).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache

import dialpad
from dialpad.client import DialpadClient
from dialpad.pacing import shared_budget
from sandbox.app import ReceivedRequest
from sandbox.dialpad import DEFAULT_API_KEY, DialpadSandboxApp, build_app
from sandbox.dialpad.process import RunningDialpadSandbox, start_dialpad_sandbox
from sandbox.dialpad.state import DialpadState
from sandbox.faults import ForcedAnswer
from talk.wsgi_transport import WsgiAdapter

DIALPAD_SANDBOX_URL = "https://dialpad.sandbox.talkadmin.test"
API = "/api/v2/"


@dataclass
class Unmetered:
    """A budget with no limit that remembers the pauses it was asked to hold every worker to."""

    blocked: list[float] = field(default_factory=list)

    def acquire(self, *, max_wait: float) -> float:
        return 0.0

    def block_for(self, seconds: float) -> None:
        self.blocked.append(seconds)


@dataclass
class DialpadSandbox:
    """The in-process Dialpad sandbox of one test, and the shared client it serves."""

    app: DialpadSandboxApp
    client: DialpadClient
    budget: Unmetered

    @property
    def state(self) -> DialpadState:
        return self.app.state

    def requests_to(self, method: str = "*", path: str = "*") -> list[ReceivedRequest]:
        return [
            request
            for request in self.app.requests
            if method in ("*", request.method)
            and fnmatch.fnmatchcase(request.path.removeprefix(API), path)
        ]

    def endpoints(self) -> list[str]:
        """Every API request received, as "METHOD path" after /api/v2/, in order."""
        return [f"{r.method} {r.path.removeprefix(API)}" for r in self.app.requests]

    def fail(
        self,
        method: str,
        path: str,
        *,
        status: int = 503,
        times: int | None = None,
        body: object = None,
        after_applying: bool = False,
        retry_after: int | None = None,
    ) -> None:
        self.app.faults.forced.append(
            ForcedAnswer(
                method=method,
                path=API + path,
                status=status,
                times=times,
                body=body,
                after_applying=after_applying,
                retry_after=retry_after,
            )
        )

    def time_out(
        self, method: str, path: str, *, times: int | None = None, after_applying: bool = False
    ) -> None:
        self.app.faults.forced.append(
            ForcedAnswer(
                method=method,
                path=API + path,
                status=None,
                times=times,
                timeout=True,
                after_applying=after_applying,
            )
        )

    def paced(self, *, limit: int, max_wait: float = 30.0) -> None:
        """Spend from the real shared budget (the one settings build), at `limit` a second."""
        self.client.transport.budget = shared_budget(limit=limit, namespace="dialpad:test")
        self.client.transport.max_wait = max_wait


@pytest.fixture
def dialpad_sandbox(settings) -> Iterator[DialpadSandbox]:
    settings.DIALPAD_BASE_URL = DIALPAD_SANDBOX_URL
    settings.DIALPAD_API_KEY = DEFAULT_API_KEY
    settings.DIALPAD_RETRY_BACKOFF = 0.001
    # This process is the only one calling the sandbox: its budget is kept in its own memory, as
    # the Talk sandbox's is (tests/sandbox_fixtures.py); the database store has its own tests.
    settings.TALK_RATE_BUDGET_STORE = "cache"
    cache.clear()
    dialpad.reset_client()
    app = build_app(env={})
    client = dialpad.get_client()
    client.transport.mount(WsgiAdapter(app))
    budget = Unmetered()
    client.transport.budget = budget
    yield DialpadSandbox(app=app, client=client, budget=budget)
    dialpad.reset_client()
    cache.clear()


@pytest.fixture(scope="session")
def _dialpad_process() -> Iterator[RunningDialpadSandbox]:
    running = start_dialpad_sandbox()
    yield running
    running.stop()


@pytest.fixture
def dialpad_server(_dialpad_process: RunningDialpadSandbox, settings) -> RunningDialpadSandbox:
    """The served sandbox, reset, with the settings pointing the shared client at it."""
    _dialpad_process.reset()
    settings.DIALPAD_BASE_URL = _dialpad_process.base_url
    settings.DIALPAD_API_KEY = _dialpad_process.api_key
    settings.DIALPAD_RETRY_BACKOFF = 0.001
    # This process is the only one calling the sandbox: its budget is kept in its own memory, as
    # the Talk sandbox's is (tests/sandbox_fixtures.py); the database store has its own tests.
    settings.TALK_RATE_BUDGET_STORE = "cache"
    cache.clear()
    dialpad.reset_client()
    return _dialpad_process
