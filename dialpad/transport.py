"""One HTTP door to Dialpad's API: the key, timeouts, retries, pacing, errors, logs, the ledger.

Every request goes to {base_url}/api/v2/... with the API key as `Authorization: Bearer <key>`,
the way Dialpad's "Authentication Basics" recommends (the `apikey` query parameter it also takes
would put the key in URLs, and so in logs): the key is never part of a path, a log line, an
error or an audit row.

What a call may do twice depends on what it is, so each call names its `CallKind`:
- READ (lists and gets) and UPDATE (rename a recording, assign one: both set a value, so sending
  them twice gives the same result) are retried on timeouts, broken connections and 500, 502,
  503, 504, with exponential backoff (urllib3's Retry on the session's adapter).
- CREATE (upload a recording) and DELETE (un-assign and delete one) are never sent again once
  they may have reached Dialpad: a second upload makes a second recording, a second delete
  answers 404 for a delete that was done. A connection that could not be opened carried
  nothing, and is retried for every kind.
- A 429 is retried for every kind (Dialpad refused it before doing anything), after the
  Retry-After it asks for (none is documented; backoff otherwise); every worker then holds back
  (dialpad.pacing), and a wait longer than `max_wait` is not held inside a page: the call fails
  with RateLimited, saying when to try again.
Every attempt, first or retry, first takes its place in the shared rate budget.

Writes (CREATE, UPDATE, DELETE) must run inside an audit change set (core.api_calls.recording),
and every call made inside one is reported to it; an upload's audio is recorded as its type,
size and SHA-256, never its bytes.
"""

from __future__ import annotations

import http.cookiejar
import logging
import time
from contextvars import ContextVar
from dataclasses import dataclass
from enum import Enum
from types import TracebackType
from typing import Any, Self, cast
from urllib.parse import urlencode

import requests
from requests.adapters import HTTPAdapter
from urllib3 import BaseHTTPResponse
from urllib3.connectionpool import ConnectionPool
from urllib3.exceptions import MaxRetryError, ResponseError
from urllib3.util.retry import Retry

from core.api_calls.masking import mask_secrets
from core.api_calls.recording import ApiCallRecord, WriteOutsideChangeSet, active_recorder
from dialpad.audio import RecordingFile
from dialpad.errors import DialpadError, RateLimited, Unavailable
from dialpad.failures import describe_failure, error_for_answer, error_for_failure, parse_body
from dialpad.pacing import WINDOW_SECONDS, Budget, BudgetExhausted

logger = logging.getLogger("dialpad")

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
USER_AGENT = "TalkAdmin/0.1 (Dialpad custom IVR admin tool)"


class CallKind(Enum):
    READ = "read"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"

    @property
    def is_write(self) -> bool:
        return self is not CallKind.READ

    @property
    def may_resend(self) -> bool:
        """Whether sending it again after it may have reached Dialpad is harmless."""
        return self in {CallKind.READ, CallKind.UPDATE}


@dataclass
class _Call:
    """What the retry machinery needs to know about the call in flight (retries run inline)."""

    kind: CallKind
    budget: Budget
    max_wait: float
    retry: bool = True
    sends: int = 1


_NO_RETRY = ResponseError("this call is sent once, without retries")
_TOO_LONG = ResponseError("Retry-After is longer than the caller waits")

_current_call: ContextVar[_Call | None] = ContextVar("dialpad_current_call", default=None)


class DialpadRetry(Retry):
    """urllib3's Retry, deciding by the call's kind whether a resend is safe; a 429 is always
    safe, pauses every worker, and a pause longer than the caller accepts is not waited out."""

    def _is_method_retryable(self, method: str) -> bool:
        call = _current_call.get()
        return call.kind.may_resend if call is not None else False

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        if status_code == 429:
            return bool(self.total)
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
        call = _current_call.get()
        wait = self.get_retry_after(response) if response is not None else None
        if response is not None and response.status == 429 and call is not None:
            call.budget.block_for(wait if wait is not None else WINDOW_SECONDS)
        if call is not None and not call.retry:
            raise MaxRetryError(cast(ConnectionPool, _pool), url or "", error or _NO_RETRY)
        if call is not None and wait is not None and wait > call.max_wait:
            raise MaxRetryError(cast(ConnectionPool, _pool), url or "", _TOO_LONG)
        return super().increment(method, url, response, error, _pool, _stacktrace)

    def sleep(self, response: Any = None) -> None:
        super().sleep(response)
        call = _current_call.get()
        if call is not None:
            call.sends += 1
            call.budget.acquire(max_wait=call.max_wait)


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any


class Transport:
    """Sends one Dialpad API request at a time, with everything a call needs around it."""

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        budget: Budget,
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
        self.retry = DialpadRetry(
            total=retries,
            connect=retries,
            read=retries,
            status=retries,
            other=0,
            redirect=0,
            status_forcelist=RETRY_STATUSES,
            backoff_factor=backoff_factor,
            respect_retry_after_header=True,
            raise_on_status=False,
            raise_on_redirect=False,
        )
        self.session = requests.Session()
        self.session.headers.update(
            {
                "Accept": "application/json",
                "User-Agent": USER_AGENT,
                "Authorization": f"Bearer {api_key}",
            }
        )
        # The API is stateless: a cookie must never carry state from one admin's call to another.
        self.session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
        self.mount(HTTPAdapter(max_retries=self.retry, pool_maxsize=20))

    def mount(self, adapter: HTTPAdapter) -> None:
        """Send every request for the base URL through `adapter`, with this transport's retries
        (tests serve the sandbox in-process this way)."""
        adapter.max_retries = self.retry
        self.session.mount(self.base_url + "/", adapter)

    def __repr__(self) -> str:
        return f"Transport({self.base_url}, API key ********)"

    def call(
        self,
        method: str,
        path: str,
        *,
        kind: CallKind,
        params: dict[str, Any] | None = None,
        body: dict[str, Any] | None = None,
        upload: RecordingFile | None = None,
        timeout: tuple[float, float] | None = None,
        retry: bool = True,
        max_wait: float | None = None,
    ) -> Any:
        """Send one call; return Dialpad's JSON answer or raise the DialpadError it describes.

        upload: the recording inside `body["file"]`; the ledger records what it was, not it.
        timeout (connect, read), retry and max_wait override the defaults (a health probe).
        """
        method = method.upper()
        query = urlencode({k: v for k, v in (params or {}).items() if v is not None})
        full_path = path + (f"?{query}" if query else "")
        recorder = active_recorder()
        if kind.is_write and recorder is None:
            raise WriteOutsideChangeSet(
                f"{method} {full_path} refused: every change to Dialpad must be made inside an "
                "audit change set (audit.change_set)."
            )
        wait = self.max_wait if max_wait is None else max_wait
        call = _Call(kind=kind, budget=self.budget, max_wait=wait, retry=retry, sends=0)
        started = time.monotonic()
        answer: Answer | None = None
        failure: DialpadError | None = None
        try:
            try:
                self.budget.acquire(max_wait=wait)
            except BudgetExhausted as exhausted:
                raise RateLimited(
                    "TalkAdmin's share of the Dialpad API budget is used up for now; the "
                    "request was not sent.",
                    retry_after=exhausted.wait_seconds,
                    method=method,
                    path=full_path,
                ) from None
            answer = self._send(method, full_path, body, call, timeout or self.timeout)
            return answer.body
        except DialpadError as error:
            failure = error
            raise
        finally:
            duration_ms = round((time.monotonic() - started) * 1000)
            self._log(method, full_path, answer, duration_ms, call.sends, failure)
            if recorder is not None:
                recorder.record_call(
                    ApiCallRecord(
                        method=method,
                        path=full_path,
                        request_body=_recorded_body(body, upload),
                        status=answer.status if answer else (failure.status if failure else None),
                        zendesk_request_id="",
                        duration_ms=duration_ms,
                        attempts=max(1, call.sends),
                        error=describe_failure(failure),
                        response_body=mask_secrets(answer.body) if answer else None,
                        write=kind.is_write,
                    )
                )

    def _send(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None,
        call: _Call,
        timeout: tuple[float, float],
    ) -> Answer:
        call.sends += 1
        context = _current_call.set(call)
        try:
            response = self.session.request(
                method,
                self.base_url + path,
                json=body,
                timeout=timeout,
                allow_redirects=False,
            )
        except BudgetExhausted as exhausted:
            raise RateLimited(
                "Dialpad asked TalkAdmin to slow down and the retry could not wait.",
                retry_after=exhausted.wait_seconds,
                method=method,
                path=path,
            ) from None
        except requests.exceptions.RequestException as error:
            raise error_for_failure(method, path, error, write=call.kind.is_write) from None
        finally:
            _current_call.reset(context)
        parsed = parse_body(response)
        if response.status_code >= 300:
            raise error_for_answer(method, path, response, parsed, write=call.kind.is_write)
        if parsed is not None and not isinstance(parsed, dict | list):
            raise Unavailable(
                "Dialpad answered with something that is not its API's JSON",
                status=response.status_code,
                method=method,
                path=path,
            )
        return Answer(status=response.status_code, body=parsed)

    def _log(
        self,
        method: str,
        path: str,
        answer: Answer | None,
        duration_ms: int,
        sends: int,
        failure: DialpadError | None,
    ) -> None:
        status = answer.status if answer else (failure.status if failure else None)
        level = logging.INFO if failure is None or failure.status else logging.WARNING
        logger.log(
            level,
            "Dialpad API %s %s -> %s in %d ms (sent %d times)%s",
            method,
            path,
            status if status is not None else "no answer",
            duration_ms,
            sends,
            f": {failure.description}" if failure is not None and failure.description else "",
        )


def _recorded_body(body: dict[str, Any] | None, upload: RecordingFile | None) -> Any:
    """What the ledger keeps of a request body: JSON with secrets masked, and in place of an
    upload's base64 audio what it was (type, size, SHA-256)."""
    if body is None:
        return None
    kept = dict(body)
    if upload is not None and "file" in kept:
        kept["file"] = upload.ledger_entry()
    return mask_secrets(kept)
