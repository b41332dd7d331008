"""The sandbox as a WSGI application: Zendesk's Talk API contract, plus /sandbox/ controls.

    app = SandboxApp(state=SandboxState(demo_account()), email=..., api_token=...)

API requests need exactly the configured `{email}/token` basic auth (or the OAuth token, when
one is configured), else 401. Every API request is logged (`app.requests`), paced by the fault
knobs (`app.faults`) and answered with Zendesk's rate-limit and request-id headers.

Control endpoints (no auth; the server only listens on the loopback address):
    GET  /sandbox/health     200 {"status": "ok"}
    POST /sandbox/reset      back to the demo account; faults, log and rate counter cleared
    GET  /sandbox/faults     the fault knobs;  POST replaces them (JSON);  DELETE clears them
    GET  /sandbox/requests   the API requests received;  DELETE clears the log
    GET  /sandbox/state      every record, as saved in the --state file

Greetings' audio is served beside the API (sandbox.greetings): the account's own under
/system/voice/uploads/ with the API's credentials, Zendesk's defaults under /voice/assets/
without (at `assets_url`, default this sandbox, as Zendesk serves them from its CDN).
"""

from __future__ import annotations

import base64
import binascii
import collections
import hmac
import itertools
import json
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from sandbox import greetings, ivrs, lookups, phone_numbers
from sandbox.faults import Faults, ForcedAnswer
from sandbox.http import Answer, ApiError, Request
from sandbox.state import SandboxState

VOICE = "/api/v2/channels/voice"
ID = r"(\d+)"
GREETING_ID = r"([A-Za-z0-9_-]+)"  # mixed: Zendesk's defaults have ids such as "voicemail_en"
Handler = Callable[..., Answer]
ROUTES: list[tuple[str, re.Pattern[str], Handler]] = [
    # mypy joins the handlers' signatures to `function`; each is a Handler.
    (method, re.compile(f"^{pattern}$"), cast(Handler, handler))
    for method, pattern, handler in [
        ("GET", f"{VOICE}/ivr", ivrs.list_ivrs),
        ("POST", f"{VOICE}/ivr", ivrs.create_ivr),
        ("GET", f"{VOICE}/ivr/{ID}", ivrs.show_ivr),
        ("PUT", f"{VOICE}/ivr/{ID}", ivrs.update_ivr),
        ("DELETE", f"{VOICE}/ivr/{ID}", ivrs.delete_ivr),
        ("GET", f"{VOICE}/ivr/{ID}/menus", ivrs.list_menus),
        ("POST", f"{VOICE}/ivr/{ID}/menus", ivrs.create_menu),
        ("GET", f"{VOICE}/ivr/{ID}/menus/{ID}", ivrs.show_menu),
        ("PUT", f"{VOICE}/ivr/{ID}/menus/{ID}", ivrs.update_menu),
        ("DELETE", f"{VOICE}/ivr/{ID}/menus/{ID}", ivrs.delete_menu),
        ("GET", f"{VOICE}/ivr/{ID}/menus/{ID}/routes", ivrs.list_routes),
        ("POST", f"{VOICE}/ivr/{ID}/menus/{ID}/routes", ivrs.create_route),
        ("GET", f"{VOICE}/ivr/{ID}/menus/{ID}/routes/{ID}", ivrs.show_route),
        ("PUT", f"{VOICE}/ivr/{ID}/menus/{ID}/routes/{ID}", ivrs.update_route),
        ("DELETE", f"{VOICE}/ivr/{ID}/menus/{ID}/routes/{ID}", ivrs.delete_route),
        ("GET", f"{VOICE}/phone_numbers", phone_numbers.list_phone_numbers),
        ("POST", f"{VOICE}/phone_numbers", phone_numbers.create_phone_number),
        ("GET", f"{VOICE}/phone_numbers/search", phone_numbers.search_available),
        ("GET", f"{VOICE}/phone_numbers/{ID}", phone_numbers.show_phone_number),
        ("PUT", f"{VOICE}/phone_numbers/{ID}", phone_numbers.update_phone_number),
        ("DELETE", f"{VOICE}/phone_numbers/{ID}", phone_numbers.delete_phone_number),
        ("GET", "/api/v2/groups", lookups.list_groups),
        ("GET", f"{VOICE}/greetings", greetings.list_greetings),
        ("POST", f"{VOICE}/greetings", greetings.create_greeting),
        ("GET", f"{VOICE}/greetings/{GREETING_ID}", greetings.show_greeting),
        ("PUT", f"{VOICE}/greetings/{GREETING_ID}", greetings.update_greeting),
        ("DELETE", f"{VOICE}/greetings/{GREETING_ID}", greetings.delete_greeting),
        ("GET", f"{VOICE}/greeting_categories", greetings.list_greeting_categories),
        ("GET", f"{VOICE}/greeting_categories/{ID}", greetings.show_greeting_category),
        ("GET", "/api/v2/business_hours/schedules", lookups.list_schedules),
        ("GET", "/api/v2/brands", lookups.list_brands),
        ("GET", f"{VOICE}/addresses", lookups.list_addresses),
        ("GET", f"{VOICE}/lines", lookups.list_lines),
    ]
]
STATUS_TEXT = {
    200: "OK", 201: "Created", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found",
    413: "Request Entity Too Large", 422: "Unprocessable Entity", 429: "Too Many Requests",
    500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
    504: "Gateway Timeout",
}  # fmt: skip
REQUEST_LOG_SIZE = 10_000
# Greetings' audio, outside the API: the account's own (credentials needed) and Zendesk's
# defaults (public, as on Zendesk's CDN). Not counted against the API's rate limit.
UPLOADED_AUDIO = re.compile(r"^/system/voice/uploads/(\d+)/([^/]+)$")
DEFAULT_AUDIO = re.compile(r"^/voice/assets/([^/]+)$")


@dataclass(frozen=True)
class ReceivedRequest:
    """One API request the sandbox received, as a test inspects it."""

    method: str
    path: str  # without ".json" and without the query
    query: dict[str, str]
    body: Any  # parsed JSON, or the raw text when it was not JSON
    status: int
    at: float = field(compare=False)  # time.time() when it arrived

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method, "path": self.path, "query": self.query, "body": self.body,
            "status": self.status, "at": self.at,
        }  # fmt: skip


RATE_LIMITED_TEXT = "Number of allowed API requests per minute exceeded"


def rate_limited(**headers: str) -> Answer:
    """Zendesk's 429, as captured from a real account: text/plain, not JSON (TALK-API-NOTES)."""
    return Answer.text(429, RATE_LIMITED_TEXT, **headers)


class SandboxApp:
    """A local Talk API with a demo account, fault knobs and a log of what it received."""

    def __init__(
        self,
        *,
        state: SandboxState,
        email: str,
        api_token: str,
        oauth_token: str | None = None,
        faults: Faults | None = None,
        state_file: Path | None = None,
        reset_to: Callable[[], dict[str, Any]] | None = None,
        assets_url: str | None = None,
    ):
        self.state = state
        self.faults = faults or Faults()
        self.assets_url = assets_url.rstrip("/") if assets_url else None
        self.state_file = state_file
        self._reset_to = reset_to
        self._basic = "Basic " + base64.b64encode(f"{email}/token:{api_token}".encode()).decode()
        self._bearer = f"Bearer {oauth_token}" if oauth_token else None
        self._log: collections.deque[ReceivedRequest] = collections.deque(maxlen=REQUEST_LOG_SIZE)
        self._log_lock = threading.Lock()
        self._request_ids = itertools.count(1)

    # --- what tests use -----------------------------------------------------------------------
    @property
    def requests(self) -> list[ReceivedRequest]:
        with self._log_lock:
            return list(self._log)

    def clear_requests(self) -> None:
        with self._log_lock:
            self._log.clear()

    def reset(self) -> None:
        """Back to the starting account, with no faults and an empty log."""
        if self._reset_to is not None:
            self.state.load(self._reset_to())
            self.state.forget_unused_audio()
        self.faults = Faults()
        self.clear_requests()
        self._save()

    # --- WSGI ---------------------------------------------------------------------------------
    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        request = Request.from_environ(environ)
        request.assets_url = self.assets_url or request.base_url
        if request.path.startswith("/sandbox"):
            answer = self._control(request)
        elif UPLOADED_AUDIO.match(request.path) or DEFAULT_AUDIO.match(request.path):
            answer = self._logged(request, self._audio(request))
        else:
            answer = self._logged(request, self._answer(request))
        status = f"{answer.status} {STATUS_TEXT.get(answer.status, 'Unknown')}"
        if answer.chunks is not None:  # audio: sent as it is read, never held whole
            start_response(status, list(answer.headers.items()))
            return answer.chunks
        content, content_type = answer.encode()
        headers = [("Content-Type", content_type), ("Content-Length", str(len(content)))]
        headers += list(answer.headers.items())
        start_response(status, headers)
        return [content]

    def _logged(self, request: Request, answer: Answer) -> Answer:
        answer.headers["X-Zendesk-Request-Id"] = f"sandbox-{next(self._request_ids):08x}"
        if request.headers.get("content-type", "").startswith("multipart/form-data"):
            body: Any = greetings.describe_multipart(request)  # not megabytes of audio
        else:
            try:
                body = request.json()
            except ApiError:
                body = request.body.decode(errors="replace")
        with self._log_lock:
            status = 0 if answer.is_dropped else answer.status  # 0: no answer was given
            self._log.append(
                ReceivedRequest(
                    request.method, request.path, request.query, body, status, time.time()
                )
            )
        return answer

    def _authorized(self, request: Request) -> bool:
        authorization = request.headers.get("authorization", "")
        return hmac.compare_digest(authorization, self._basic) or bool(
            self._bearer and hmac.compare_digest(authorization, self._bearer)
        )

    def _audio(self, request: Request) -> Answer:
        """A greeting's audio: faults and latency apply, the API's rate limit does not."""
        if self.faults.latency_ms:
            time.sleep(self.faults.latency_ms / 1000)
        uploaded = UPLOADED_AUDIO.match(request.path)
        if uploaded and not self._authorized(request):
            return Answer(401, {"error": "Couldn't authenticate you"})
        forced = self.faults.take_forced(request.method, request.path)
        if forced is not None:
            return self._fault(request, forced, {})
        if request.method != "GET":
            return Answer(404, {"error": "InvalidEndpoint", "description": "Not found"})
        with self.state.lock:
            if uploaded:
                return greetings.uploaded_audio(
                    self.state, int(uploaded.group(1)), uploaded.group(2)
                )
            return greetings.default_audio(self.state, DEFAULT_AUDIO.match(request.path).group(1))  # type: ignore[union-attr]

    def _answer(self, request: Request) -> Answer:
        if self.faults.latency_ms:
            time.sleep(self.faults.latency_ms / 1000)
        if not self._authorized(request):
            return Answer(401, {"error": "Couldn't authenticate you"})
        limit, remaining, retry_after = self.faults.count_request()
        rate_headers = {"X-Rate-Limit": str(limit), "X-Rate-Limit-Remaining": str(remaining)}
        if retry_after is not None:
            return rate_limited(**rate_headers, **{"Retry-After": str(retry_after)})
        forced = self.faults.take_forced(request.method, request.path)
        if forced is not None and not forced.after_applying:
            return self._fault(request, forced, rate_headers)
        if forced is None and self.faults.random_failure():
            return Answer.text(503, "Service Unavailable", **rate_headers)
        answer = self._dispatch(request)
        answer.headers.update(rate_headers)
        if forced is not None:
            return self._fault(request, forced, rate_headers)
        return answer

    def _fault(self, request: Request, forced: ForcedAnswer, headers: dict[str, str]) -> Answer:
        if forced.drop:
            return Answer.dropped(request)
        if forced.timeout:
            if request.environ.get("talk.read_timeout") is not None:
                return Answer.text(
                    504, "Simulated timeout", **headers, **{"X-Simulate-Timeout": "true"}
                )
            time.sleep(forced.hang_seconds)  # served: the client gives up on its own
            return Answer.text(504, "Gateway Timeout", **headers)
        status = forced.status or 503
        if forced.retry_after is not None:
            headers = {**headers, "Retry-After": str(forced.retry_after)}
        if forced.body is not None:
            return Answer(status, forced.body, headers=headers)
        if status == 429:
            return rate_limited(**headers)
        if status == 422:
            body = {
                "error": "RecordInvalid",
                "description": "Record validation errors",
                "details": {},
            }
            return Answer(status, body, headers=headers)
        return Answer.text(status, STATUS_TEXT.get(status, "Error"), **headers)

    def _dispatch(self, request: Request) -> Answer:
        for method, pattern, handler in ROUTES:
            match = pattern.match(request.path)
            if match and method == request.method:
                try:
                    with self.state.lock:
                        ids = (int(g) if g.isdigit() else g for g in match.groups())
                        answer = handler(self.state, request, *ids)
                        if request.method != "GET" and answer.status < 300:
                            self._save()
                    return answer
                except ApiError as error:
                    return error.answer
        return Answer(404, {"error": "InvalidEndpoint", "description": "Not found"})

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
            except (ValueError, TypeError, binascii.Error) as error:
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
        return Answer(404, {"error": "InvalidEndpoint", "description": "Not found"})
