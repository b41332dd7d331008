"""A Yeastar PBX's answers, and its silences, turned into typed errors (yeastar.errors).

The PBX answers HTTP 200 for its own errors, with a non-zero `errcode`, `errmsg`, and, for bad
fields, `invalid_param_list` ([{"field", "value", "validation_type"}]) or `duplicate_field_list`
([{"field", "value"}]) (Yeastar's "Response Result" page). Other HTTP statuses come from the web
server or a proxy in front of it.
"""

from __future__ import annotations

import json
from typing import Any

import requests
from urllib3.exceptions import MaxRetryError, ProtocolError, ReadTimeoutError

from yeastar.errors import (
    AuthError,
    Invalid,
    NotFound,
    NotOffered,
    RateLimited,
    Unavailable,
    YeastarError,
)

# The errcode of an expired access token is not in the documentation TalkAdmin could read; 10004
# is what integrations in the wild expect (see sandbox/yeastar/__init__.py). Any errmsg naming
# the token counts as well, so a PBX that words it differently is still understood.
TOKEN_ERRCODES = frozenset({10004})
PARAMETER_ERROR = 40002
VALIDATION_WORDS = {
    "required": "is required",
    "invalid": "is not a valid value",
    "range": "is out of the allowed range",
}


def is_token_error(answer: Any) -> bool:
    """Whether an answer says the access token is expired or invalid."""
    if not isinstance(answer, dict) or answer.get("errcode") in (None, 0):
        return False
    return answer.get("errcode") in TOKEN_ERRCODES or "TOKEN" in str(answer.get("errmsg")).upper()


def field_details(answer: dict[str, Any]) -> dict[str, list[str]]:
    """field -> messages, from invalid_param_list and duplicate_field_list."""
    details: dict[str, list[str]] = {}
    for item in answer.get("invalid_param_list") or []:
        if isinstance(item, dict) and item.get("field"):
            kind = str(item.get("validation_type") or "")
            words = VALIDATION_WORDS.get(kind, f"is not accepted ({kind})" if kind else "")
            details.setdefault(str(item["field"]), []).append(words or "is not accepted")
    for item in answer.get("duplicate_field_list") or []:
        if isinstance(item, dict) and item.get("field"):
            value = f" ({item['value']})" if item.get("value") not in (None, "") else ""
            details.setdefault(str(item["field"]), []).append(
                f"is already used by something else on the PBX{value}"
            )
    return details


def error_for_errcode(
    method: str, path: str, answer: dict[str, Any], *, addressed_by_id: bool
) -> YeastarError:
    """The error a non-zero errcode describes. `addressed_by_id`: the call names one object by
    its id (get, update, delete), so an invalid `id` means that object is gone."""
    errcode = answer.get("errcode")
    common: dict[str, Any] = {
        "status": 200,
        "errcode": errcode if isinstance(errcode, int) else None,
        "errmsg": str(answer.get("errmsg") or ""),
        "details": field_details(answer),
        "method": method,
        "path": path,
    }
    if is_token_error(answer):
        return AuthError("the PBX refused the access token", **common)
    if addressed_by_id and set(common["details"]) == {"id"}:
        return NotFound("the PBX has no object with this id", **common)
    if errcode == PARAMETER_ERROR or common["details"]:
        return Invalid(common["errmsg"].capitalize() or "invalid parameters", **common)
    return YeastarError(common["errmsg"].capitalize(), **common)


def error_for_status(
    method: str, path: str, response: requests.Response, *, write: bool
) -> YeastarError:
    """The error of an answer whose HTTP status is not 200."""
    status = response.status_code
    common: dict[str, Any] = {"status": status, "method": method, "path": path}
    if status in (401, 403):
        return AuthError("the PBX's web server refused the request", **common)
    if status == 404:
        return NotOffered("no such API endpoint at this address", **common)
    if status == 429:
        return RateLimited("too many requests", retry_after=_retry_after(response), **common)
    if status >= 500:
        # A write that got a 500, 502 or 504 may have been applied before the answer was lost.
        return Unavailable(
            f"the PBX answered {status}", may_have_applied=write and status != 503, **common
        )
    return YeastarError(f"unexpected answer {status}", **common)


def _retry_after(response: requests.Response) -> float | None:
    try:
        return max(0.0, float(response.headers.get("Retry-After", "")))
    except ValueError:
        return None


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
        description = "the PBX did not answer in time"
    elif broken:
        description = "the connection to the PBX broke before the answer came"
    elif isinstance(error, requests.exceptions.SSLError):
        description = "the PBX's HTTPS certificate could not be verified (see YEASTAR_CA_BUNDLE)"
    elif isinstance(error, requests.exceptions.ConnectionError):
        description = "could not connect to the PBX"
    else:
        description = "the request to the PBX failed"
    return Unavailable(
        description, may_have_applied=write and (read_timeout or broken), method=method, path=path
    )


def describe_failure(failure: YeastarError | None) -> str:
    """The short text an audit row keeps: "200 errcode 40002 PARAMETER ERROR {...}", "" if none."""
    if failure is None:
        return ""
    text = str(failure.status) if failure.status else "no answer"
    if failure.errcode is not None:
        text += f" errcode {failure.errcode} {failure.errmsg}".rstrip()
    if failure.description:
        text += f": {failure.description}"
    if failure.details:
        text += " " + json.dumps(failure.details, sort_keys=True)
    return text
