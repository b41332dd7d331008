"""Fixtures that put the local Talk sandbox behind the real Talk client (loaded by conftest).

`sandbox`: a fresh demo account for one test, served in-process (no network) to the shared
`talk.get_client()`, its rate budget in this process's memory cache, with the cache cleared
before and after so cached lookups and the rate budget never leak between tests. Use it to:
- inspect what Zendesk would have received: `sandbox.requests_to("PUT", "*/phone_numbers/*")`
  gives ReceivedRequest(method, path, query, body, status, at) for each matching request;
- change the account as an admin would in Zendesk's Admin Center: `sandbox.state` (a
  SandboxState: `add_group`, `add_ivr`, `add_menu`, `add_route`, `add_phone_number`, ... skip
  validation, so they also seed hostile or dangling data; or edit its dicts under `state.lock`);
- set faults: `sandbox.fail("PUT", "*/ivr/*", status=503, times=1)`,
  `sandbox.time_out("GET", "*/ivr", times=1)`, `sandbox.set_latency(200)`,
  `sandbox.set_rate_limit(5, window_seconds=1)`, `sandbox.set_failure_rate(0.1)`.

`sandbox_server`: the sandbox as its own process on a free port, shared by the session and
reset for each test (a RunningSandbox: base_url, email, api_token, control(), set_faults(),
requests(), reset()). For browser tests and anything that needs real HTTP.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.cache import cache

import talk
from sandbox import DEFAULT_API_TOKEN, DEFAULT_EMAIL, SandboxApp, build_app
from sandbox.app import ReceivedRequest
from sandbox.faults import ForcedAnswer
from sandbox.process import RunningSandbox, start_sandbox
from sandbox.state import SandboxState
from talk.client import TalkClient
from talk.wsgi_transport import WsgiAdapter

SANDBOX_BASE_URL = "https://sandbox.talkadmin.test"


@dataclass
class Sandbox:
    """The in-process sandbox of one test, and the shared client it serves."""

    app: SandboxApp
    client: TalkClient

    @property
    def state(self) -> SandboxState:
        return self.app.state

    @property
    def requests(self) -> list[ReceivedRequest]:
        return self.app.requests

    def requests_to(self, method: str = "*", path: str = "*") -> list[ReceivedRequest]:
        """Requests received whose method and path (a glob, without .json) match."""
        return [
            request
            for request in self.app.requests
            if method in ("*", request.method) and fnmatch.fnmatchcase(request.path, path)
        ]

    def clear_requests(self) -> None:
        self.app.clear_requests()

    def fail(
        self,
        method: str,
        path: str,
        *,
        status: int = 503,
        times: int | None = None,
        retry_after: int | None = None,
        body: object = None,
        after_applying: bool = False,
    ) -> None:
        """Answer matching requests with `status` (the next `times` ones, or all)."""
        self.app.faults.forced.append(
            ForcedAnswer(
                method=method,
                path=path,
                status=status,
                times=times,
                retry_after=retry_after,
                body=body,
                after_applying=after_applying,
            )
        )

    def time_out(
        self, method: str, path: str, *, times: int | None = None, after_applying: bool = False
    ) -> None:
        """Matching requests get no answer in time (the client sees a read timeout)."""
        self.app.faults.forced.append(
            ForcedAnswer(
                method=method,
                path=path,
                status=None,
                times=times,
                timeout=True,
                after_applying=after_applying,
            )
        )

    def set_latency(self, milliseconds: int) -> None:
        self.app.faults.latency_ms = milliseconds

    def set_failure_rate(self, rate: float) -> None:
        self.app.faults.failure_rate = rate

    def set_rate_limit(self, per_window: int | None, *, window_seconds: float = 60.0) -> None:
        self.app.faults.rate_limit_per_minute = per_window
        self.app.faults.rate_limit_window_seconds = window_seconds


@pytest.fixture
def sandbox(settings) -> Iterator[Sandbox]:
    settings.TALK_BASE_URL = SANDBOX_BASE_URL
    settings.TALK_SUBDOMAIN = ""
    settings.TALK_EMAIL = DEFAULT_EMAIL
    settings.TALK_API_TOKEN = DEFAULT_API_TOKEN
    settings.TALK_OAUTH_TOKEN = ""
    # Tests make many calls quickly: only the pacing tests set a real budget. This process is the
    # only one calling this in-process sandbox, so its budget is kept in its own memory (the
    # database store has tests of its own: tests/talk/test_budget_database.py).
    settings.TALK_RATE_LIMIT_PER_MINUTE = 1_000_000
    settings.TALK_RATE_BUDGET_STORE = "cache"
    settings.TALK_RETRY_BACKOFF = 0.001
    cache.clear()
    talk.reset_client()
    app = build_app(env={})
    client = talk.get_client()
    client.transport.mount(WsgiAdapter(app))
    yield Sandbox(app=app, client=client)
    talk.reset_client()
    cache.clear()


@pytest.fixture(scope="session")
def _sandbox_process() -> Iterator[RunningSandbox]:
    running = start_sandbox()
    yield running
    running.stop()


@pytest.fixture
def sandbox_server(_sandbox_process: RunningSandbox) -> RunningSandbox:
    _sandbox_process.reset()
    return _sandbox_process
