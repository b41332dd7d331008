"""Dialpad's answers as the sandbox gives them: error bodies, cursor pages, JSON bodies.

Error bodies are not documented. The sandbox answers the shape of Google Cloud Endpoints
Frameworks, which Dialpad's API appears to run on (the ids in its examples, such as the user's
`image_url`, are App Engine datastore keys): {"error": {"code", "errors": [{"domain", "message",
"reason"}], "message"}}. Pages are documented: `cursor` in, `cursor` and `items` out; the custom
IVR list always carries `cursor` ("" on the last page, as its example shows), the other lists
only while there is a next page (as their examples, which have none, show).
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from sandbox.http import Answer, ApiError, Request

REASONS = {
    400: "badRequest", 401: "required", 403: "forbidden", 404: "notFound", 409: "conflict",
    413: "requestTooLarge", 429: "rateLimitExceeded",
}  # fmt: skip


def error(status: int, message: str) -> ApiError:
    """An error answer to raise from a handler."""
    reason = REASONS.get(status, "backendError")
    body = {
        "error": {
            "code": status,
            "errors": [{"domain": "global", "message": message, "reason": reason}],
            "message": message,
        }
    }
    return ApiError(Answer(status, body))


def bad_request(message: str) -> ApiError:
    return error(400, message)


def not_found(what: str) -> ApiError:
    return error(404, f"{what} not found")


def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object (an empty one for no body), or a 400."""
    if not request.body:
        return {}
    try:
        parsed = json.loads(request.body)
    except ValueError:
        raise bad_request("The request body is not valid JSON.") from None
    if not isinstance(parsed, dict):
        raise bad_request("The request body must be a JSON object.")
    return parsed


def number(value: Any, name: str) -> int:
    """A 64-bit id given as a number or a string of digits, or a 400 naming the parameter."""
    text = str(value).strip() if value is not None and not isinstance(value, bool) else ""
    if not text.lstrip("-").isdigit():
        raise bad_request(f"Invalid value for {name}: {value!r} is not an integer.")
    return int(text)


def one_of(value: Any, allowed: tuple[str, ...], name: str) -> str:
    if value not in allowed:
        raise bad_request(f"Invalid value for {name}: {value!r}.")
    return str(value)


def page(
    request: Request, items: list[dict[str, Any]], *, size: int, always_cursor: bool = False
) -> Answer:
    """One page of `items`, from the offset the request's cursor names."""
    cursor = request.query.get("cursor", "")
    start = 0
    if cursor:
        try:
            start = int(base64.urlsafe_b64decode(cursor.encode()).decode().removeprefix("at:"))
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise bad_request("Invalid cursor.") from None
    chunk = items[start : start + size]
    more = start + size < len(items)
    body: dict[str, Any] = {}
    if more:
        body["cursor"] = base64.urlsafe_b64encode(f"at:{start + size}".encode()).decode()
    elif always_cursor:
        body["cursor"] = ""
    body["items"] = chunk
    return Answer(200, body)
