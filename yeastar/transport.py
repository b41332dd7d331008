"""One HTTP door to a Yeastar P-Series PBX: token, timeouts, retries, errors, logging, recording.

Every request goes to {base_url}/openapi/v1.0/{endpoint} with `access_token` in the query and a
User-Agent header (both required by Yeastar's "Request Structure"). The PBX answers HTTP 200 with
`errcode` 0 on success and a non-zero errcode on failure (yeastar.failures).

What a call may do twice depends on what it is, not on its HTTP method (the PBX deletes with a
GET and authenticates with a POST), so each call names its `CallKind`:
- READ (list, search, get, query) and UPDATE (sets fields to given values: the same result when
  sent twice) are retried on timeouts, broken connections and 500, 502, 503, 504, with
  exponential backoff (urllib3's Retry on the session's adapter: no hand-written loop).
- CREATE, DELETE and AUTH (get_token, refresh_token) are never sent again once they may have
  reached the PBX: a second create makes a second IVR, a second delete answers "no such IVR",
  a second get_token spends another of the 8 tokens the PBX allows. A connection that could not
  be opened carried nothing, and is retried for every kind.
- A call the PBX refuses for its token (expired, revoked, the PBX restarted) is sent once more
  with a renewed token: the PBX did nothing with it.

Writes (CREATE, UPDATE, DELETE) must run inside an audit change set (core.api_calls.recording), and
every call made inside one is reported to it, without the access token. The token calls are
not reported (they change nothing on the PBX and carry the credentials); they are logged.
"""

from __future__ import annotations

import http.cookiejar
import logging
import re
import time
from collections.abc import Callable
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
from core.api_calls.recording import (
    ApiCallRecord,
    OutgoingCall,
    WriteOutsideChangeSet,
    active_recorder,
)
from yeastar.errors import AuthError, NotRecorded, Unavailable, YeastarError
from yeastar.failures import (
    describe_failure,
    error_for_errcode,
    error_for_failure,
    error_for_status,
    is_token_error,
)
from yeastar.tokens import TokenKeeper

logger = logging.getLogger("yeastar")

API_PATH = "/openapi/v1.0"
USER_AGENT = "OpenAPI"  # Yeastar requires a User-Agent and shows this one in its examples
RETRY_STATUSES = frozenset({500, 502, 503, 504})
TOKEN_IN_TEXT = re.compile(r"((?:access_token|refresh_token)=)[^&\s'\"]+")


class CallKind(Enum):
    READ = "read"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    AUTH = "auth"

    @property
    def is_write(self) -> bool:
        return self in {CallKind.CREATE, CallKind.UPDATE, CallKind.DELETE}

    @property
    def may_resend(self) -> bool:
        """Whether sending it again after it may have reached the PBX is harmless."""
        return self in {CallKind.READ, CallKind.UPDATE}


@dataclass
class _Call:
    """What the retry machinery needs to know about the call in flight (retries run inline)."""

    kind: CallKind
    retry: bool = True
    sends: int = 1


_current_call: ContextVar[_Call | None] = ContextVar("yeastar_current_call", default=None)
_NO_RETRY = ResponseError("no retry")


class YeastarRetry(Retry):
    """urllib3's Retry, deciding by the call's kind (not its method) whether a resend is safe."""

    def _is_method_retryable(self, method: str) -> bool:
        call = _current_call.get()
        return call.kind.may_resend if call is not None else False

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
        if call is not None and not call.retry:
            # urllib3 passes the pool whenever it retries a request; the cast says so.
            raise MaxRetryError(cast(ConnectionPool, _pool), url or "", error or _NO_RETRY)
        return super().increment(method, url, response, error, _pool, _stacktrace)

    def sleep(self, response: Any = None) -> None:
        super().sleep(response)
        call = _current_call.get()
        if call is not None:
            call.sends += 1


class _HideTokens(logging.Filter):
    """urllib3 logs request URLs (and so the access token in their query): mask the token."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "_token=" in message:
            record.msg, record.args = TOKEN_IN_TEXT.sub(r"\1********", message), ()
        return True


for _name in ("urllib3.connectionpool", "urllib3.util.retry"):
    logging.getLogger(_name).addFilter(_HideTokens())


@dataclass(frozen=True)
class _Answer:
    status: int
    body: dict[str, Any]  # _send checked it is a JSON object with an errcode


class Transport:
    """Sends one Yeastar API request at a time, with everything a call needs around it."""

    def __init__(
        self,
        *,
        base_url: str,
        client_id: str,
        client_secret: str,
        ca_bundle: str = "",
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
        retries: int = 3,
        backoff_factor: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.base_url = base_url.rstrip("/")
        self._credentials = {"username": client_id, "password": client_secret}
        self.timeout = (connect_timeout, read_timeout)
        self.retry = YeastarRetry(
            total=retries,
            connect=retries,
            read=retries,
            status=retries,
            other=0,
            redirect=0,
            status_forcelist=RETRY_STATUSES,
            backoff_factor=backoff_factor,
            respect_retry_after_header=False,
            raise_on_status=False,
            raise_on_redirect=False,
        )
        self.session = requests.Session()
        self.session.verify = ca_bundle or True
        self.session.headers.update({"Accept": "application/json", "User-Agent": USER_AGENT})
        # Nothing is kept between calls but the token: no cookie carries state across admins.
        self.session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
        self.mount(HTTPAdapter(max_retries=self.retry, pool_maxsize=20))
        self.tokens = TokenKeeper(obtain=self._get_token, renew=self._refresh_token, clock=clock)

    def mount(self, adapter: HTTPAdapter) -> None:
        """Send every request for the base URL through `adapter`, with this transport's retries."""
        adapter.max_retries = self.retry
        self.session.mount(self.base_url + "/", adapter)

    def __repr__(self) -> str:
        return f"Transport({self.base_url}, client id {self._credentials['username']!r}, ********)"

    # --- API calls ----------------------------------------------------------------------------
    def call(
        self,
        method: str,
        endpoint: str,
        *,
        kind: CallKind,
        params: dict[str, Any] | None = None,
        body: Any = None,
        addressed_by_id: bool = False,
        timeout: tuple[float, float] | None = None,
        retry: bool = True,
    ) -> dict[str, Any]:
        """Send one API call; return the PBX's JSON answer (errcode 0) or raise its YeastarError.

        addressed_by_id: the call names one object by `id`, so an invalid id means NotFound.
        timeout (connect, read) and retry override the transport's defaults (a health probe).
        """
        method = method.upper()
        query = {key: value for key, value in (params or {}).items() if value is not None}
        path = f"{API_PATH}/{endpoint}" + (f"?{urlencode(query)}" if query else "")
        recorder = active_recorder()
        if kind.is_write and recorder is None:
            raise WriteOutsideChangeSet(
                f"{method} {path} refused: every change to the Yeastar PBX must be made inside an "
                "audit change set (audit.change_set)."
            )
        started = time.monotonic()
        call = _Call(kind=kind, retry=retry, sends=0)
        answer: _Answer | None = None
        failure: YeastarError | None = None
        sequence: int | None = None
        not_recorded = False
        try:
            token = self.tokens.access_token()
            if recorder is not None and kind.is_write:
                # On record before it is sent (core.api_calls.recording); else not sent.
                try:
                    sequence = recorder.record_sending(
                        OutgoingCall(
                            method=method,
                            path=path,
                            request_body=mask_secrets(body) if body is not None else None,
                        )
                    )
                except Exception as error:
                    not_recorded = True
                    logger.exception("Could not record %s %s before sending it", method, path)
                    raise NotRecorded(
                        "the audit log could not record the write before it was sent",
                        method=method,
                        path=path,
                    ) from error
            answer = self._send(method, endpoint, query, token, body, call, timeout)
            if is_token_error(answer.body):
                # Refused for its token: nothing was done; renew it and send once more.
                self.tokens.forget(token)
                answer = self._send(
                    method, endpoint, query, self.tokens.access_token(), body, call, timeout
                )
            if answer.body.get("errcode") != 0:
                raise error_for_errcode(method, path, answer.body, addressed_by_id=addressed_by_id)
            return answer.body
        except YeastarError as error:
            failure = error
            raise
        finally:
            duration_ms = round((time.monotonic() - started) * 1000)
            self._log(method, path, answer, duration_ms, call.sends, failure)
            if recorder is not None and not not_recorded:
                recorder.record_call(
                    ApiCallRecord(
                        method=method,
                        path=path,
                        request_body=mask_secrets(body) if body is not None else None,
                        status=answer.status if answer else (failure.status if failure else None),
                        zendesk_request_id="",
                        duration_ms=duration_ms,
                        attempts=max(1, call.sends),
                        error=describe_failure(failure),
                        response_body=mask_secrets(answer.body) if answer else None,
                        write=kind.is_write,
                        sequence=sequence,
                    )
                )

    def _send(
        self,
        method: str,
        endpoint: str,
        query: dict[str, Any],
        token: str | None,
        body: Any,
        call: _Call,
        timeout: tuple[float, float] | None,
    ) -> _Answer:
        """One request (with its urllib3 retries); the answer if it is the PBX's JSON."""
        path = f"{API_PATH}/{endpoint}"
        params = {**query, "access_token": token} if token else query
        call.sends += 1
        context = _current_call.set(call)
        try:
            response = self.session.request(
                method,
                self.base_url + path,
                params=params,
                json=body,
                timeout=timeout or self.timeout,
                allow_redirects=False,
            )
        except requests.exceptions.RequestException as error:
            raise error_for_failure(method, path, error, write=call.kind.is_write) from None
        finally:
            _current_call.reset(context)
        if response.status_code != 200:
            raise error_for_status(method, path, response, write=call.kind.is_write)
        try:
            parsed = response.json()
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict) or "errcode" not in parsed:
            raise Unavailable(
                "the PBX answered with something that is not its API's JSON",
                status=response.status_code,
                method=method,
                path=path,
            )
        return _Answer(status=response.status_code, body=parsed)

    # --- the token ----------------------------------------------------------------------------
    def _get_token(self) -> dict[str, Any]:
        return self._token_call("get_token", self._credentials)

    def _refresh_token(self, refresh_token: str) -> dict[str, Any]:
        return self._token_call("refresh_token", {"refresh_token": refresh_token})

    def _token_call(self, endpoint: str, body: dict[str, str]) -> dict[str, Any]:
        started = time.monotonic()
        call = _Call(kind=CallKind.AUTH, sends=0)
        answer: _Answer | None = None
        failure: YeastarError | None = None
        try:
            answer = self._send("POST", endpoint, {}, None, body, call, None)
            if answer.body.get("errcode") != 0:
                refused = error_for_errcode(
                    "POST", f"{API_PATH}/{endpoint}", answer.body, addressed_by_id=False
                )
                raise AuthError(
                    f"the PBX refused to give an access token ({refused.errmsg or 'no reason'})",
                    status=refused.status,
                    errcode=refused.errcode,
                    errmsg=refused.errmsg,
                    details=refused.details,
                    method="POST",
                    path=f"{API_PATH}/{endpoint}",
                )
            return answer.body
        except YeastarError as error:
            failure = error
            raise
        finally:
            duration_ms = round((time.monotonic() - started) * 1000)
            self._log("POST", f"{API_PATH}/{endpoint}", answer, duration_ms, call.sends, failure)

    def revoke_token(self, *, timeout: tuple[float, float] = (2.0, 3.0)) -> None:
        """Give the token back (`del_token`), so it stops counting against the PBX's 8."""
        token = self.tokens.held_token()
        if token is None:
            return
        self.tokens.drop()
        call = _Call(kind=CallKind.AUTH, retry=False, sends=0)
        try:
            self._send("GET", "del_token", {}, token, None, call, timeout)
        except YeastarError as error:
            logger.info("Yeastar token not revoked: %s", error.description)

    # --- logging ------------------------------------------------------------------------------
    def _log(
        self,
        method: str,
        path: str,
        answer: _Answer | None,
        duration_ms: int,
        sends: int,
        failure: YeastarError | None,
    ) -> None:
        status = answer.status if answer else (failure.status if failure else None)
        errcode = answer.body.get("errcode") if answer else None
        level = logging.INFO if failure is None or failure.status else logging.WARNING
        logger.log(
            level,
            "Yeastar API %s %s -> %s errcode %s in %d ms (sent %d times)%s",
            method,
            path,
            status if status is not None else "no answer",
            errcode if errcode is not None else "-",
            duration_ms,
            sends,
            f": {failure.description}" if failure is not None and failure.description else "",
        )
