"""Zendesk's answers, and its silences, turned into typed errors (talk.errors)."""

from __future__ import annotations

import json
from typing import Any, TypedDict

import requests
from urllib3.exceptions import MaxRetryError, ProtocolError, ReadTimeoutError

from talk.errors import AuthError, Invalid, NotFound, RateLimited, TalkError, Unavailable
from talk.recording import WRITE_METHODS


def parse_body(response: requests.Response) -> Any:
    """The JSON body, or a short excerpt of a text one, or None when empty."""
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        # 400s and edge errors may come as text/plain or HTML: keep a short excerpt.
        return response.text[:500]


class _Common(TypedDict):
    """What every TalkError of an answer carries (TalkError's keyword arguments)."""

    status: int
    code: str
    details: dict[str, list[str]]
    request_id: str
    method: str
    path: str


def error_for_answer(method: str, path: str, response: requests.Response, body: Any) -> TalkError:
    """The TalkError that describes an answer with an error status."""
    status = response.status_code
    code, description, details = _zendesk_error(body)
    common: _Common = {
        "status": status,
        "code": code,
        "details": details,
        "request_id": response.headers.get("X-Zendesk-Request-Id", ""),
        "method": method,
        "path": path,
    }
    if status in (401, 403):
        return AuthError(description, **common)
    if status == 404:
        return NotFound(description or "Not found", **common)
    if status in (400, 413, 422):  # 413: a body too large for Zendesk's web servers
        return Invalid(description or "the file is too large", **common)
    if status == 429:
        return RateLimited(description, retry_after=_retry_after(response), **common)
    if status >= 500:
        # A write that got a 500, 502 or 504 may have been applied before the answer was lost.
        uncertain = method in WRITE_METHODS and status != 503
        return Unavailable(description, may_have_applied=uncertain, **common)
    return TalkError(description or f"unexpected answer {status}", **common)


def _zendesk_error(body: Any) -> tuple[str, str, dict[str, list[str]]]:
    """(code, description, details) from Zendesk's error body, whatever shape it took."""
    if isinstance(body, str):
        return "", body.strip()[:200], {}
    if not isinstance(body, dict):
        return "", "", {}
    error = body.get("error")
    code = error if isinstance(error, str) else ""
    if isinstance(error, dict):  # {"error": {"title": ..., "message": ...}} on some endpoints
        code = str(error.get("title", ""))
    description = body.get("description") or (
        error.get("message") if isinstance(error, dict) else ""
    )
    details: dict[str, list[str]] = {}
    for field, problems in (body.get("details") or {}).items():
        items = problems if isinstance(problems, list) else [problems]
        details[str(field)] = [
            str(item.get("description") or item.get("error") or item)
            if isinstance(item, dict)
            else str(item)
            for item in items
        ]
    return code, str(description or ""), details


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def error_for_failure(
    method: str, path: str, error: requests.exceptions.RequestException
) -> Unavailable:
    """Unavailable for a request that got no usable answer (timeout, refused, broken)."""
    reason = error.args[0] if error.args else error
    if isinstance(reason, MaxRetryError):
        reason = reason.reason
    read_timeout = isinstance(error, requests.exceptions.ReadTimeout) or isinstance(
        reason, ReadTimeoutError
    )
    broken = isinstance(reason, ProtocolError)
    connect_failed = isinstance(error, requests.exceptions.ConnectionError) and not (
        read_timeout or broken
    )
    if read_timeout:
        description = "Zendesk did not answer in time"
    elif broken:
        description = "the connection to Zendesk broke before the answer came"
    elif connect_failed:
        description = "could not connect to Zendesk"
    else:
        description = "the request to Zendesk failed"
    return Unavailable(
        description,
        may_have_applied=method in WRITE_METHODS and (read_timeout or broken),
        method=method,
        path=path,
    )


def describe_failure(failure: TalkError | None) -> str:
    """The short text an audit row keeps: "422 RecordInvalid: ... {details}", "" on success."""
    if failure is None:
        return ""
    parts = [str(failure.status) if failure.status else "no answer"]
    if failure.code:
        parts.append(failure.code)
    text = " ".join(parts)
    if failure.description:
        text += f": {failure.description}"
    if failure.details:
        text += " " + json.dumps(failure.details, sort_keys=True)
    return text
