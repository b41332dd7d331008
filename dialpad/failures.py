"""Dialpad's answers, and its silences, turned into typed errors (dialpad.errors).

The status decides the kind (Dialpad's "HTTP Status Codes" page). The body of an error is not
documented, so its text is looked for in the shapes JSON APIs use (`{"error": {"message"}}`,
`{"message"}`, `{"error": "..."}`, `{"detail"}`) and, for a plain-text answer, taken as it is.
"""

from __future__ import annotations

import json
from typing import Any

import requests
from urllib3.exceptions import MaxRetryError, ProtocolError, ReadTimeoutError

from dialpad.errors import (
    AuthError,
    DialpadError,
    Forbidden,
    Invalid,
    NotFound,
    NotOffered,
    RateLimited,
    TooLarge,
    Unavailable,
)

MESSAGE_LIMIT = 300  # characters of Dialpad's own text kept in an error


def parse_body(response: requests.Response) -> Any:
    """The answer's JSON, or its text when it is not JSON (None when empty)."""
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return response.text


def message_of(body: Any) -> str:
    """Dialpad's own words in an error answer, "" when there are none."""
    found: Any = None
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            found = error.get("message") or error.get("description")
        elif isinstance(error, str):
            found = body.get("message") or body.get("description") or error
        else:
            found = body.get("message") or body.get("detail") or body.get("description")
    elif isinstance(body, str):
        found = body
    text = " ".join(str(found).split()) if found else ""
    return text[:MESSAGE_LIMIT]


def retry_after(response: requests.Response) -> float | None:
    """Seconds a Retry-After header asks for (Dialpad documents none; honoured if sent)."""
    try:
        return max(0.0, float(response.headers.get("Retry-After", "")))
    except ValueError:
        return None


def error_for_answer(
    method: str, path: str, response: requests.Response, body: Any, *, write: bool
) -> DialpadError:
    """The error an answer with a status of 300 or more describes."""
    status = response.status_code
    common: dict[str, Any] = {
        "status": status,
        "message": message_of(body),
        "method": method,
        "path": path,
    }
    if status in (400, 409, 422):
        return Invalid("Dialpad refused the request", **common)
    if status == 401:
        return AuthError("Dialpad refused the API key", **common)
    if status == 403:
        return Forbidden("the API key may not do this", **common)
    if status == 404:
        if isinstance(body, dict):
            return NotFound("Dialpad has no such object", **common)
        return NotOffered("no Dialpad API endpoint at this address", **common)
    if status == 413:
        return TooLarge("the request is larger than Dialpad takes", **common)
    if status == 429:
        return RateLimited("too many requests", retry_after=retry_after(response), **common)
    if status >= 500:
        # A write that got a 500, 502 or 504 may have been applied before the answer was lost.
        return Unavailable(
            f"Dialpad answered {status}", may_have_applied=write and status != 503, **common
        )
    return DialpadError(f"unexpected answer {status}", **common)


def error_for_failure(
    method: str, path: str, error: requests.exceptions.RequestException, *, write: bool
) -> Unavailable:
    """Unavailable for a request that got no usable answer (timeout, refused, broken)."""
    reason = error.args[0] if error.args else error
    if isinstance(reason, MaxRetryError):
        reason = reason.reason
    read_timeout = isinstance(error, requests.exceptions.ReadTimeout) or isinstance(
        reason, ReadTimeoutError
    )
    broken = isinstance(reason, ProtocolError)
    if read_timeout:
        description = "Dialpad did not answer in time"
    elif broken:
        description = "the connection to Dialpad broke before the answer came"
    elif isinstance(error, requests.exceptions.SSLError):
        description = "Dialpad's HTTPS certificate could not be verified"
    elif isinstance(error, requests.exceptions.ConnectionError):
        description = "could not connect to Dialpad"
    else:
        description = "the request to Dialpad failed"
    return Unavailable(
        description, may_have_applied=write and (read_timeout or broken), method=method, path=path
    )


def describe_failure(failure: DialpadError | None) -> str:
    """The short text an audit row keeps: "404: Dialpad has no such object (...)", "" if none."""
    if failure is None:
        return ""
    text = str(failure.status) if failure.status else "no answer"
    if failure.description:
        text += f": {failure.description}"
    if failure.message:
        text += f" ({failure.message})"
    if failure.details:
        text += " " + json.dumps(failure.details, sort_keys=True)
    return text
