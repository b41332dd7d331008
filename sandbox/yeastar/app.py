"""The Yeastar sandbox as a WSGI application: the P-Series API contract, plus /sandbox/ controls.

    app = YeastarSandboxApp(state=YeastarState(demo_pbx()), client_id=..., client_secret=...)

API requests go to /openapi/v1.0/{endpoint}; every one needs a User-Agent header, and every one
but get_token and refresh_token an `access_token` in the query. Answers are HTTP 200 with
`errcode` (0 on success) unless a fault knob says otherwise (sandbox.faults: latency, a share of
503s, forced statuses, forced bodies such as an errcode error, timeouts).

Control endpoints (no auth; the server only listens on the loopback address):
    GET  /sandbox/health          200 {"status": "ok"}
    POST /sandbox/reset           back to the demo PBX; tokens, faults and log cleared
    GET  /sandbox/faults          the fault knobs;  POST replaces them (JSON);  DELETE clears them
    GET  /sandbox/requests        the API requests received (tokens masked);  DELETE clears them
    GET  /sandbox/state           every record, as saved in the --state file
    GET  /sandbox/tokens          {"valid": N} access tokens now valid
    POST /sandbox/tokens/expire   every access token expires now (refresh tokens still work)
"""

from __future__ import annotations

import collections
import json
import re
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sandbox.app import STATUS_TEXT, ReceivedRequest
from sandbox.faults import Faults, ForcedAnswer
from sandbox.http import Answer, ApiError, Request
from sandbox.yeastar import ivrs, lookups
from sandbox.yeastar.envelope import json_body, success, token_expired
from sandbox.yeastar.state import YeastarState
from sandbox.yeastar.tokens import TokenIssuer

API = "/openapi/v1.0/"
Handler = Callable[[YeastarState, Request], Answer]
ROUTES: dict[tuple[str, str], Handler] = {
    ("GET", "ivr/list"): ivrs.list_ivrs,
    ("GET", "ivr/search"): ivrs.search_ivrs,
    ("GET", "ivr/get"): ivrs.get_ivr,
    ("GET", "ivr/query"): ivrs.query_ivrs,
    ("POST", "ivr/create"): ivrs.create_ivr,
    ("POST", "ivr/update"): ivrs.update_ivr,
    ("GET", "ivr/delete"): ivrs.delete_ivr,
    ("GET", "extension/list"): lookups.list_extensions,
    ("GET", "ringgroup/list"): lookups.list_ring_groups,
    ("GET", "queue/list"): lookups.list_queues,
    ("GET", "conference/list"): lookups.list_conferences,
    ("GET", "vm_group/list"): lookups.list_group_voicemails,
    ("GET", "custom_prompt/list"): lookups.list_custom_prompts,
}
TOKEN_ENDPOINTS = {("POST", "get_token"), ("POST", "refresh_token"), ("GET", "del_token")}
REQUEST_LOG_SIZE = 10_000
TOKEN_IN_QUERY = re.compile(r"_token$")


class YeastarSandboxApp:
    """A local Yeastar P-Series API with a demo PBX, fault knobs and a log of what it got."""

    def __init__(
        self,
        *,
        state: YeastarState,
        tokens: TokenIssuer,
        faults: Faults | None = None,
        state_file: Path | None = None,
        reset_to: Callable[[], dict[str, Any]] | None = None,
    ):
        self.state = state
        self.tokens = tokens
        self.faults = faults or Faults()
        self.state_file = state_file
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
        """Back to the starting PBX, with no tokens, no faults and an empty log."""
        if self._reset_to is not None:
            self.state.load(self._reset_to())
        self.tokens.clear()
        self.faults = Faults()
        self.clear_requests()
        self._save()

    # --- WSGI ---------------------------------------------------------------------------------
    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        request = Request.from_environ(environ)
        if request.path.startswith("/sandbox"):
            answer = self._control(request)
        else:
            answer = self._api(request)
            self._remember(request, answer)
        content, content_type = answer.encode()
        headers = [("Content-Type", content_type), ("Content-Length", str(len(content)))]
        headers += list(answer.headers.items())
        start_response(f"{answer.status} {STATUS_TEXT.get(answer.status, 'OK')}", headers)
        return [content]

    def _remember(self, request: Request, answer: Answer) -> None:
        query = {
            k: ("********" if TOKEN_IN_QUERY.search(k) else v) for k, v in request.query.items()
        }
        try:
            body: Any = json.loads(request.body) if request.body else None
        except ValueError:
            body = request.body.decode(errors="replace")
        if isinstance(body, dict):  # the credentials and tokens sent never reach the log
            body = {
                k: ("********" if k in {"password", "refresh_token"} else v)
                for k, v in body.items()
            }
        entry = ReceivedRequest(
            request.method,
            request.path,
            query,
            body,
            0 if answer.is_dropped else answer.status,
            time.time(),
        )
        with self._log_lock:
            self._log.append(entry)

    def _api(self, request: Request) -> Answer:
        if self.faults.latency_ms:
            time.sleep(self.faults.latency_ms / 1000)
        if not request.headers.get("user-agent"):
            return Answer.text(403, "Forbidden: a User-Agent header is required")
        if not request.path.startswith(API):
            return Answer.text(404, "Not Found")
        endpoint = request.path[len(API) :]
        key = (request.method, endpoint)
        if key not in ROUTES and key not in TOKEN_ENDPOINTS:
            return Answer.text(404, "Not Found")
        forced = self.faults.take_forced(request.method, request.path)
        if forced is not None and not forced.after_applying:
            return _fault(request, forced)
        if forced is None and self.faults.random_failure():
            return Answer.text(503, "Service Unavailable")
        answer = self._dispatch(request, key)
        return _fault(request, forced) if forced is not None else answer

    def _dispatch(self, request: Request, key: tuple[str, str]) -> Answer:
        try:
            if key == ("POST", "get_token"):
                return self.tokens.get_token(json_body(request.body))
            if key == ("POST", "refresh_token"):
                return self.tokens.refresh(json_body(request.body))
            token = request.query.get("access_token", "")
            if not self.tokens.is_valid(token):
                return token_expired()
            if key == ("GET", "del_token"):
                self.tokens.revoke(token)
                return success()
            with self.state.lock:
                answer = ROUTES[key](self.state, request)
                if request.method == "POST" or key == ("GET", "ivr/delete"):
                    self._save()
                return answer
        except ApiError as error:
            return error.answer

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
                self.faults = Faults.from_json(json.loads(request.body or b"{}"))
            except (ValueError, TypeError) as error:
                return Answer(400, {"error": "InvalidFaults", "description": str(error)})
            return Answer(200, self.faults.to_json())
        if key == ("DELETE", "/sandbox/faults"):
            self.faults = Faults()
            return Answer(200, self.faults.to_json())
        if key == ("GET", "/sandbox/requests"):
            return Answer(200, {"requests": [r.to_json() for r in self.requests]})
        if key == ("DELETE", "/sandbox/requests"):
            self.clear_requests()
            return Answer(200, {"requests": []})
        if key == ("GET", "/sandbox/state"):
            return Answer(200, self.state.to_json())
        if key == ("GET", "/sandbox/tokens"):
            return Answer(200, {"valid": self.tokens.valid_count()})
        if key == ("POST", "/sandbox/tokens/expire"):
            return Answer(200, {"expired": self.tokens.expire_access_tokens()})
        return Answer(404, {"error": "InvalidEndpoint", "description": "Not found"})


def _fault(request: Request, forced: ForcedAnswer) -> Answer:
    """The answer a forced fault gives: a timeout, a body (an errcode error is HTTP 200 with a
    body), or a bare status in plain text, as a web server in front of the PBX would send."""
    headers = {"Retry-After": str(forced.retry_after)} if forced.retry_after is not None else {}
    if forced.drop:
        return Answer.dropped(request)
    if forced.timeout:
        if request.environ.get("talk.read_timeout") is not None:  # in-process: fail at once
            return Answer.text(504, "Simulated timeout", **{"X-Simulate-Timeout": "true"})
        time.sleep(forced.hang_seconds)  # served: the client gives up on its own
        return Answer.text(504, "Gateway Timeout")
    status = forced.status or 503
    if forced.body is not None:
        return Answer(status, forced.body, headers=headers)
    return Answer.text(status, STATUS_TEXT.get(status, "Error"), **headers)
