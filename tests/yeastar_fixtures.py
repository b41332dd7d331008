"""Fixtures that put the Yeastar sandbox behind the real Yeastar client (loaded by conftest).

`yeastar`: a fresh demo PBX for one test, served in-process (no network) to the shared
`yeastar.get_client()`. Use it to:
- inspect what the PBX received: `yeastar.requests_to("POST", "ivr/update")` (method and an
  endpoint glob after /openapi/v1.0/) gives ReceivedRequest(method, path, query, body, status);
- change the PBX as an admin would on its web portal: `yeastar.state` (a YeastarState; edit
  its dicts under `state.lock`, nothing is validated);
- set faults: `yeastar.fail("GET", "ivr/list", status=503, times=1)`,
  `yeastar.fail("GET", "ivr/get", body={"errcode": 40002, ...})` (an errcode error, HTTP 200),
  `yeastar.time_out("POST", "ivr/create", times=1, after_applying=True)`;
- move time: `yeastar.pbx_clock.advance(1900)` (the PBX's token expiry),
  `yeastar.client_clock.advance(1900)` (when the client believes its token expires).

`yeastar_server`: the sandbox as its own process on a free port, shared by the session and
reset for each test (a RunningYeastarSandbox: base_url, client_id, client_secret, control(),
set_faults(), requests(), expire_tokens(), reset()).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

import yeastar
from sandbox.app import ReceivedRequest
from sandbox.faults import ForcedAnswer
from sandbox.yeastar import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, YeastarSandboxApp, build_app
from sandbox.yeastar.process import RunningYeastarSandbox, start_yeastar_sandbox
from sandbox.yeastar.state import YeastarState
from talk.wsgi_transport import WsgiAdapter
from yeastar.client import YeastarClient

YEASTAR_SANDBOX_URL = "https://pbx.sandbox.talkadmin.test:8088"
API = "/openapi/v1.0/"


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self, start: float = 1_000_000.0):
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class YeastarSandbox:
    """The in-process Yeastar sandbox of one test, and the shared client it serves."""

    app: YeastarSandboxApp
    client: YeastarClient
    pbx_clock: FakeClock
    client_clock: FakeClock

    @property
    def state(self) -> YeastarState:
        return self.app.state

    def requests_to(self, method: str = "*", endpoint: str = "*") -> list[ReceivedRequest]:
        return [
            request
            for request in self.app.requests
            if method in ("*", request.method)
            and fnmatch.fnmatchcase(request.path.removeprefix(API), endpoint)
        ]

    def endpoints(self) -> list[str]:
        """Every API request received, as "METHOD endpoint", in order."""
        return [f"{r.method} {r.path.removeprefix(API)}" for r in self.app.requests]

    def fail(
        self,
        method: str,
        endpoint: str,
        *,
        status: int = 503,
        times: int | None = None,
        body: object = None,
        after_applying: bool = False,
    ) -> None:
        self.app.faults.forced.append(
            ForcedAnswer(
                method=method,
                path=API + endpoint,
                status=status if body is None else 200,
                times=times,
                body=body,
                after_applying=after_applying,
            )
        )

    def time_out(
        self, method: str, endpoint: str, *, times: int | None = None, after_applying: bool = False
    ) -> None:
        self.app.faults.forced.append(
            ForcedAnswer(
                method=method,
                path=API + endpoint,
                status=None,
                times=times,
                timeout=True,
                after_applying=after_applying,
            )
        )


@pytest.fixture
def yeastar_sandbox(settings) -> Iterator[YeastarSandbox]:
    settings.YEASTAR_BASE_URL = YEASTAR_SANDBOX_URL
    settings.YEASTAR_CLIENT_ID = DEFAULT_CLIENT_ID
    settings.YEASTAR_CLIENT_SECRET = DEFAULT_CLIENT_SECRET
    settings.YEASTAR_RETRY_BACKOFF = 0.001
    yeastar.reset_client()
    app = build_app(env={})
    pbx_clock, client_clock = FakeClock(), FakeClock()
    app.tokens.clock = pbx_clock
    client = yeastar.get_client()
    client.transport.mount(WsgiAdapter(app))
    client.transport.tokens.clock = client_clock
    yield YeastarSandbox(app=app, client=client, pbx_clock=pbx_clock, client_clock=client_clock)
    yeastar.reset_client()


@pytest.fixture(scope="session")
def _yeastar_process() -> Iterator[RunningYeastarSandbox]:
    running = start_yeastar_sandbox()
    yield running
    running.stop()


@pytest.fixture
def yeastar_server(_yeastar_process: RunningYeastarSandbox, settings) -> RunningYeastarSandbox:
    """The served sandbox, reset, with the settings pointing the shared client at it."""
    _yeastar_process.reset()
    settings.YEASTAR_BASE_URL = _yeastar_process.base_url
    settings.YEASTAR_CLIENT_ID = _yeastar_process.client_id
    settings.YEASTAR_CLIENT_SECRET = _yeastar_process.client_secret
    settings.YEASTAR_RETRY_BACKOFF = 0.001
    yeastar.reset_client()
    return _yeastar_process
