"""One HTTP door to the Talk API: auth, timeouts, retries, pacing, errors, logging, recording.

Retries (urllib3's Retry on the session's adapter, so no hand-written loop):
- GET, PUT and DELETE are idempotent: retried on timeouts, broken connections and 500, 502, 503,
  504, with exponential backoff, and after the Retry-After Zendesk asks for on 429 and 503.
- POST creates something, so it is never sent twice once it may have reached Zendesk: no retry
  on a read timeout or a 5xx. Two cases are safe and retried: a connection that could not be
  opened (urllib3's connect errors: nothing was sent), and a 429 (Zendesk refused it before
  doing anything).
- A Retry-After longer than `max_wait` is not waited out inside a page request: the call fails
  with RateLimited, which tells the admin when to try again.
Every attempt, first or retry, first takes its place in the shared rate budget (talk.pacing).

Inside a change set, a write is put on record (talk.recording) after it has its place in the
budget and before it is sent; if it cannot be, it is not sent (NotRecorded).

A greeting's audio is not an API request: talk.audio_fetch fetches it through this transport's
sessions (`public_session` carries no credentials).
"""

from __future__ import annotations

import http.cookiejar
import logging
import time
from contextvars import ContextVar
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self, cast
from urllib.parse import urlencode, urlsplit

import requests
from requests.adapters import HTTPAdapter
from requests.auth import AuthBase
from urllib3 import BaseHTTPResponse
from urllib3.connectionpool import ConnectionPool
from urllib3.exceptions import MaxRetryError, ResponseError
from urllib3.util.retry import Retry

from talk.audio import AudioUpload
from talk.errors import NotRecorded, RateLimited, TalkError
from talk.failures import describe_failure, error_for_answer, error_for_failure, parse_body
from talk.masking import mask_secrets
from talk.pacing import BudgetExhausted, RateBudget
from talk.recording import (
    WRITE_METHODS,
    ApiCallRecord,
    OutgoingCall,
    WriteOutsideChangeSet,
    active_recorder,
)

logger = logging.getLogger("talk")

RETRY_STATUSES = frozenset({500, 502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
USER_AGENT = "TalkAdmin/0.1 (Zendesk Talk admin tool)"


class Unmetered:
    """The rate budget of a request that is not Zendesk's API (audio on Zendesk's CDN)."""

    def acquire(self, *, max_wait: float) -> None:
        pass

    def block_for(self, seconds: float) -> None:
        pass


@dataclass
class Attempts:
    """What the retry machinery of one call did (kept in a ContextVar: retries run inline)."""

    budget: RateBudget | Unmetered
    max_wait: float
    retry: bool = True
    count: int = 1


current_call: ContextVar[Attempts | None] = ContextVar("talkcurrent_call", default=None)


_NO_RETRY = ResponseError("no retry")
_TOO_LONG = ResponseError("Retry-After too long")


class TalkRetry(Retry):
    """urllib3's Retry, plus: 429 is retried for every method, long waits are refused, and
    every retry first takes its place in the shared rate budget."""

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        if status_code == 429 and has_retry_after and self.total:
            return True  # Zendesk refused the request before acting on it: safe even for POST
        return super().is_retry(method, status_code, has_retry_after)

    def increment(
        self,
        method: str | None = None,
        url: str | None = None,
        response: BaseHTTPResponse | None = None,
        error: Exception | None = None,
        _pool: ConnectionPool | None = None,
        _stacktrace: TracebackType | None = None,
    ) -> Self:
        call = current_call.get()
        retry_after = None
        if response is not None and response.headers.get("Retry-After"):
            retry_after = self.get_retry_after(response)  # a float: the header is there
            if response.status == 429 and call is not None and retry_after is not None:
                call.budget.block_for(retry_after)  # every worker holds back, not only this one
        # urllib3 passes the pool whenever it retries a request; the casts say so. Without an
        # error it is a status retry, whose MaxRetryError urllib3 turns back into the answer
        # (raise_on_status=False), so its reason is never seen.
        if call is not None and not call.retry:
            raise MaxRetryError(cast(ConnectionPool, _pool), url or "", error or _NO_RETRY)
        if call is not None and retry_after is not None and retry_after > call.max_wait:
            # Not worth holding a page for: give the answer back as it is.
            raise MaxRetryError(cast(ConnectionPool, _pool), url or "", _TOO_LONG)
        return super().increment(method, url, response, error, _pool, _stacktrace)

    def sleep(self, response: Any = None) -> None:
        super().sleep(response)
        call = current_call.get()
        if call is not None:
            call.count += 1
            call.budget.acquire(max_wait=call.max_wait)


class BearerAuth(AuthBase):
    """Authorization: Bearer <OAuth access token>."""

    def __init__(self, token: str):
        self._token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self._token}"
        return request

    def __repr__(self) -> str:
        return "BearerAuth(********)"


class BasicTokenAuth(requests.auth.HTTPBasicAuth):
    """Zendesk API-token auth: HTTP basic with `{email}/token` and the token."""

    def __init__(self, email: str, token: str):
        super().__init__(f"{email}/token", token)

    def __repr__(self) -> str:
        return f"BasicTokenAuth({self.username!r}, ********)"


@dataclass(frozen=True)
class Answer:
    """A successful answer: its status, parsed JSON body and Zendesk request id."""

    status: int
    body: Any
    request_id: str


class Transport:
    """Sends one Talk API request at a time, with everything a call needs around it."""

    def __init__(
        self,
        *,
        base_url: str,
        auth: AuthBase,
        budget: RateBudget,
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
        retries: int = 3,
        backoff_factor: float = 0.5,
        max_wait: float = 15.0,
    ):
        self.base_url = base_url.rstrip("/")
        self.budget = budget
        self.timeout = (connect_timeout, read_timeout)
        self.max_wait = max_wait
        self.retries = retries
        self.retry = TalkRetry(
            total=retries,
            connect=retries,
            read=retries,
            status=retries,
            other=0,
            redirect=0,
            allowed_methods=IDEMPOTENT_METHODS,
            status_forcelist=RETRY_STATUSES,
            backoff_factor=backoff_factor,
            respect_retry_after_header=True,
            raise_on_status=False,
            raise_on_redirect=False,
        )
        self.session = requests.Session()
        self.session.auth = auth
        self.session.headers.update({"Accept": "application/json", "User-Agent": USER_AGENT})
        # The API is stateless: a cookie must never carry state from one admin's call to another.
        self.session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
        # Audio Zendesk serves from elsewhere is fetched without any credentials.
        self.public_session = requests.Session()
        self.public_session.headers.update({"User-Agent": USER_AGENT})
        self.public_session.cookies.set_policy(
            http.cookiejar.DefaultCookiePolicy(allowed_domains=[])
        )
        for scheme in ("https://", "http://"):
            self.public_session.mount(scheme, HTTPAdapter(max_retries=self.retry))
        self.mount(HTTPAdapter(max_retries=self.retry, pool_maxsize=20))

    def mount(self, adapter: HTTPAdapter, *, prefix: str | None = None) -> None:
        """Send every request for `prefix` (default: the base URL) through `adapter`, with this
        transport's retries (tests serve the sandbox in-process this way)."""
        adapter.max_retries = self.retry
        self.session.mount(prefix or self.base_url + "/", adapter)
        self.public_session.mount(prefix or self.base_url + "/", adapter)

    def same_origin_path(self, url: str) -> str:
        """The path and query of a URL Zendesk gave us (next_page), if it is on our base URL.

        Credentials go only to the configured host: a next_page pointing elsewhere is refused.
        """
        base, target = urlsplit(self.base_url), urlsplit(url)
        if (target.scheme, target.netloc) != (base.scheme, base.netloc):
            raise TalkError(
                "Zendesk pointed to a page on another host; TalkAdmin does not follow it.",
                path=f"{target.netloc}{target.path}",
            )
        return target.path + (f"?{target.query}" if target.query else "")

    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        body: Any = None,
        timeout: tuple[float, float] | None = None,
        retry: bool = True,
        max_wait: float | None = None,
        upload: AudioUpload | None = None,
    ) -> Answer:
        """Send one request; return the answer or raise the TalkError that describes it.

        timeout (connect, read), retry and max_wait override the transport's defaults for this
        call (a health probe must answer fast, not patiently). upload: send this multipart body
        instead of JSON; the ledger records what it held (name, type, size, SHA-256), not it.
        """
        method = method.upper()
        query = urlencode({k: v for k, v in (params or {}).items() if v is not None})
        full_path = path + (("&" if "?" in path else "?") + query if query else "")
        recorder = active_recorder()
        if method in WRITE_METHODS and recorder is None:
            raise WriteOutsideChangeSet(
                f"{method} {full_path} refused: every change to Zendesk must be made inside an "
                "audit change set (audit.change_set)."
            )
        max_wait = self.max_wait if max_wait is None else max_wait
        attempts = Attempts(budget=self.budget, max_wait=max_wait, retry=retry)
        started = time.monotonic()
        status: int | None = None
        request_id = ""
        response_body: Any = None
        failure: TalkError | None = None
        sequence: int | None = None
        not_recorded = False
        try:
            try:
                self.budget.acquire(max_wait=max_wait)
            except BudgetExhausted as exhausted:
                attempts.count = 0
                raise RateLimited(
                    "TalkAdmin's share of the Zendesk API budget is used up for now; "
                    "the request was not sent.",
                    retry_after=exhausted.wait_seconds,
                    method=method,
                    path=full_path,
                ) from None
            if recorder is not None and method in WRITE_METHODS:
                try:
                    sequence = recorder.record_sending(
                        OutgoingCall(
                            method=method, path=full_path, request_body=_recorded_body(body, upload)
                        )
                    )
                except Exception as error:
                    not_recorded = True  # nothing is sent, so there is no answer to record
                    logger.exception("Could not record %s %s before sending it", method, full_path)
                    raise NotRecorded(
                        "the audit log could not record the write before it was sent",
                        method=method,
                        path=full_path,
                    ) from error
            response = self._send(
                method, full_path, body, attempts, timeout or self.timeout, upload=upload
            )
            status = response.status_code
            request_id = response.headers.get("X-Zendesk-Request-Id", "")
            response_body = parse_body(response)
            if status >= 300:
                raise error_for_answer(method, full_path, response, response_body)
            return Answer(status=status, body=response_body, request_id=request_id)
        except TalkError as error:
            failure = error
            raise
        finally:
            duration_ms = round((time.monotonic() - started) * 1000)
            self.log(method, full_path, status, duration_ms, attempts.count, request_id, failure)
            if recorder is not None and not not_recorded:
                recorder.record_call(
                    ApiCallRecord(
                        method=method,
                        path=full_path,
                        request_body=_recorded_body(body, upload),
                        status=status,
                        zendesk_request_id=request_id,
                        duration_ms=duration_ms,
                        attempts=attempts.count,
                        error=describe_failure(failure),
                        response_body=mask_secrets(response_body),
                        sequence=sequence,
                    )
                )

    def _send(
        self,
        method: str,
        path: str,
        body: Any,
        attempts: Attempts,
        timeout: tuple[float, float],
        *,
        upload: AudioUpload | None = None,
    ) -> requests.Response:
        token = current_call.set(attempts)
        try:
            if upload is not None:
                upload.seek(0)
                return self.session.request(
                    method,
                    self.base_url + path,
                    data=upload,
                    headers={"Content-Type": upload.multipart_type},
                    timeout=timeout,
                    allow_redirects=False,
                )
            return self.session.request(
                method,
                self.base_url + path,
                json=body,
                timeout=timeout,
                allow_redirects=False,
            )
        except BudgetExhausted as exhausted:
            raise RateLimited(
                "Zendesk asked TalkAdmin to slow down and the retry could not wait.",
                retry_after=exhausted.wait_seconds,
                method=method,
                path=path,
            ) from None
        except requests.exceptions.RequestException as error:
            raise error_for_failure(method, path, error) from None
        finally:
            current_call.reset(token)

    def log(
        self,
        method: str,
        path: str,
        status: int | None,
        duration_ms: int,
        attempts: int,
        request_id: str,
        failure: TalkError | None,
    ) -> None:
        level = logging.INFO if failure is None or failure.status else logging.WARNING
        logger.log(
            level,
            "Talk API %s %s -> %s in %d ms (attempts %d, Zendesk request id %s)%s",
            method,
            path,
            status if status is not None else "no answer",
            duration_ms,
            attempts,
            request_id or "-",
            f": {failure.description}" if failure is not None and failure.description else "",
        )


def _recorded_body(body: Any, upload: AudioUpload | None) -> Any:
    """What the ledger keeps of a request body: JSON with secrets masked, or what an upload held."""
    if upload is not None:
        return {upload.field: upload.description()}
    return mask_secrets(body) if body is not None else None
