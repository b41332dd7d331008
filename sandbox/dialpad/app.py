"""The Dialpad sandbox as a WSGI application: the API contract TalkAdmin uses, plus controls.

    app = DialpadSandboxApp(state=DialpadState(demo_company()), api_key="...")

API requests go to /api/v2/...; each needs the API key, as `Authorization: Bearer <key>` or as
the `apikey` query parameter (Dialpad's "Authentication Basics"), else 401. Every API request
is logged (`app.requests`, the key masked, an upload's audio left out), counted against the
per-second limit when one is set (429), and subject to the fault knobs (sandbox.faults).

Control endpoints (no auth; the server only listens on the loopback address):
    GET  /sandbox/health     200 {"status": "ok"}
    POST /sandbox/reset      back to the demo company; faults and log cleared
    GET  /sandbox/faults     the fault knobs;  POST replaces them (JSON);  DELETE clears them
    GET  /sandbox/requests   the API requests received;  DELETE clears the log
    GET  /sandbox/state      every record, as saved in the --state file
"""

from __future__ import annotations

import collections
import hmac
import json
import re
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, cast

from sandbox.app import STATUS_TEXT, ReceivedRequest
from sandbox.dialpad import customivrs, lookups
from sandbox.dialpad.envelope import error
from sandbox.dialpad.state import DialpadState
from sandbox.faults import Faults, ForcedAnswer
from sandbox.http import Answer, ApiError, Request

API = "/api/v2"
ID = r"([^/]+)"  # checked by the handler, so a bad id is Dialpad's 400, not a missing route
STATUSES = {**STATUS_TEXT, 403: "Forbidden", 409: "Conflict"}
# An upload's JSON: 10 MB of audio is about 13.4 MB of base64, plus the other fields.
MAX_BODY_BYTES = 14 * 1024 * 1024
PAGE_SIZE = 100
REQUEST_LOG_SIZE = 10_000
Handler = Callable[..., Answer]
# (method, path pattern, handler, whether it takes the page size)
ROUTES: list[tuple[str, re.Pattern[str], Handler, bool]] = [
    # mypy joins the handlers' signatures to `function`; each is a Handler.
    (method, re.compile(f"^{API}{pattern}$"), cast(Handler, handler), paged)
    for method, pattern, handler, paged in [
        ("GET", "/customivrs", customivrs.list_custom_ivrs, True),
        ("POST", "/customivrs", customivrs.create_custom_ivr, False),
        ("PATCH", f"/customivrs/{ID}", customivrs.update_custom_ivr, False),
        ("PATCH", f"/customivrs/{ID}/{ID}/{ID}", customivrs.assign_custom_ivr, False),
        ("DELETE", f"/customivrs/{ID}/{ID}/{ID}", customivrs.delete_custom_ivr, False),
        ("GET", "/offices", lookups.list_offices, True),
        ("GET", f"/offices/{ID}", lookups.get_office, False),
        ("GET", "/departments", lookups.list_departments, True),
        ("GET", f"/departments/{ID}", lookups.get_department, False),
        ("GET", "/callcenters", lookups.list_call_centers, True),
        ("GET", f"/callcenters/{ID}", lookups.get_call_center, False),
        ("GET", "/users", lookups.list_users, True),
        ("GET", f"/users/{ID}", lookups.get_user, False),
    ]
]


class DialpadSandboxApp:
    """A local Dialpad API with a demo company, fault knobs and a log of what it received."""

    def __init__(
        self,
        *,
        state: DialpadState,
        api_key: str,
        faults: Faults | None = None,
        state_file: Path | None = None,
        reset_to: Callable[[], dict[str, Any]] | None = None,
        page_size: int = PAGE_SIZE,
    ):
        self.state = state
        self.api_key = api_key
        self.faults = faults or Faults()
        self.state_file = state_file
        self.page_size = page_size
        self._reset_to = reset_to
        self._log: collections.deque[ReceivedRequest] = collections.deque(maxlen=REQUEST_LOG_SIZE)
        self._log_lock = threading.Lock()

    # --- what tests use -----------------------------------------------------------------------
    @property
    def requests(self) -> list[ReceivedRequest]:
        with self._log_lock:
            return list(self._log)

    def clear_requests(self) -> None:
        with self._log_lock:
            self._log.clear()

    def reset(self) -> None:
        """Back to the starting company, with no faults and an empty log."""
        if self._reset_to is not None:
            self.state.load(self._reset_to())
        self.faults = per_second(Faults())
        self.clear_requests()
        self._save()

    # --- WSGI ---------------------------------------------------------------------------------
    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        request = Request.from_environ(environ)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if request.too_large and length <= MAX_BODY_BYTES:  # an upload: larger than Talk's
            request.body, request.too_large = environ["wsgi.input"].read(length), False
        if request.path.startswith("/sandbox"):
            answer = self._control(request)
        else:
            answer = self._api(request)
            self._remember(request, answer)
        content, content_type = answer.encode()
        headers = [("Content-Type", content_type), ("Content-Length", str(len(content)))]
        headers += list(answer.headers.items())
        start_response(f"{answer.status} {STATUSES.get(answer.status, 'Unknown')}", headers)
        return [content]

    def _api(self, request: Request) -> Answer:
        if self.faults.latency_ms:
            time.sleep(self.faults.latency_ms / 1000)
        if request.too_large:
            return Answer.text(413, "Request Entity Too Large")
        route = self._route(request)
        if route is None:
            return Answer.text(404, "Not Found")
        if not self._authorised(request):
            return error(401, "Authentication is required: a valid API key.").answer
        forced = self.faults.take_forced(request.method, request.path)
        if forced is not None and not forced.after_applying:
            return _fault(request, forced)
        if forced is None and self.faults.random_failure():
            return Answer.text(503, "Service Unavailable")
        limited = self.faults.rate_limit_per_minute is not None
        if limited and self.faults.count_request()[2] is not None:
            return error(429, "Rate limit exceeded.").answer
        handler, arguments = route
        try:
            with self.state.lock:
                answer = handler(self.state, request, *arguments)
                if request.method != "GET":
                    self._save()
        except ApiError as refused:
            answer = refused.answer
        return _fault(request, forced) if forced is not None else answer

    def _route(self, request: Request) -> tuple[Handler, list[Any]] | None:
        for method, pattern, handler, paged in ROUTES:
            match = pattern.match(request.path)
            if match and method == request.method:
                arguments: list[Any] = [self.page_size] if paged else list(match.groups())
                return handler, arguments
        return None

    def _authorised(self, request: Request) -> bool:
        header = request.headers.get("authorization", "")
        given = header[7:] if header.startswith("Bearer ") else request.query.get("apikey", "")
        return bool(given) and hmac.compare_digest(given.encode(), self.api_key.encode())

    def _remember(self, request: Request, answer: Answer) -> None:
        query = {k: ("********" if k == "apikey" else v) for k, v in request.query.items()}
        try:
            body: Any = json.loads(request.body) if request.body else None
        except ValueError:
            body = request.body[:200].decode(errors="replace")
        if isinstance(body, dict) and isinstance(body.get("file"), str):
            body = {**body, "file": f"<{len(body['file'])} characters of base64>"}
        entry = ReceivedRequest(
            request.method, request.path, query, body, answer.status, time.time()
        )
        with self._log_lock:
            self._log.append(entry)

    def _save(self) -> None:
        if self.state_file is not None:
            self.state.save(self.state_file)

    # --- /sandbox/ controls -------------------------------------------------------------------
    def _control(self, request: Request) -> Answer:
        key = (request.method, request.path)
        if key == ("GET", "/sandbox/health"):
            return Answer(200, {"status": "ok"})
        if key == ("POST", "/sandbox/reset"):
            self.reset()
            return Answer(200, {"status": "reset"})
        if key == ("GET", "/sandbox/faults"):
            return Answer(200, self.faults.to_json())
        if key == ("POST", "/sandbox/faults"):
            try:
                self.faults = per_second(Faults.from_json(json.loads(request.body or b"{}")))
            except (ValueError, TypeError) as problem:
                return Answer(400, {"error": "InvalidFaults", "description": str(problem)})
            return Answer(200, self.faults.to_json())
        if key == ("DELETE", "/sandbox/faults"):
            self.faults = per_second(Faults())
            return Answer(200, self.faults.to_json())
        if key == ("GET", "/sandbox/requests"):
            return Answer(200, {"requests": [r.to_json() for r in self.requests]})
        if key == ("DELETE", "/sandbox/requests"):
            self.clear_requests()
            return Answer(200, {"requests": []})
        if key == ("GET", "/sandbox/state"):
            return Answer(200, self.state.to_json())
        return Answer(404, {"error": "InvalidEndpoint", "description": "Not found"})


def per_second(faults: Faults) -> Faults:
    """Dialpad counts per second: the rate-limit knob's window is one second."""
    faults.rate_limit_window_seconds = 1.0
    return faults


def _fault(request: Request, forced: ForcedAnswer) -> Answer:
    """The answer a forced fault gives: a timeout, a body, or a bare status in plain text, as a
    proxy in front of Dialpad would send."""
    headers = {"Retry-After": str(forced.retry_after)} if forced.retry_after is not None else {}
    if forced.timeout:
        if request.environ.get("talk.read_timeout") is not None:  # in-process: fail at once
            return Answer.text(504, "Simulated timeout", **{"X-Simulate-Timeout": "true"})
        time.sleep(forced.hang_seconds)  # served: the client gives up on its own
        return Answer.text(504, "Gateway Timeout")
    status = forced.status or 503
    if forced.body is not None:
        return Answer(status, forced.body, headers=headers)
    return Answer.text(status, STATUSES.get(status, "Error"), **headers)
