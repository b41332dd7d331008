"""The HTTP side of the sandbox: requests, answers, Zendesk's error bodies and pagination."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

MAX_PER_PAGE = 100
# Bodies past this are not read (answered 413, as a web server in front of Zendesk would): a
# greeting's audio (10 MB at most) and its multipart envelope fit.
MAX_BODY_BYTES = 10 * 1024 * 1024 + 64 * 1024
# A forced "drop": the served server's way to close the connection (environ key), and the marker
# an in-process answer carries instead (talk.wsgi_transport reads it).
DROP_CONNECTION = "sandbox.drop_connection"
SIMULATE_DROP_HEADER = "X-Simulate-Dropped-Connection"


@dataclass
class Request:
    method: str
    path: str  # without a trailing ".json" or "/"
    query: dict[str, str]
    body: bytes
    headers: dict[str, str]  # lower-case names
    base_url: str  # scheme://host[:port] as the client addressed it
    environ: dict[str, Any] = field(default_factory=dict, repr=False)
    too_large: bool = False  # the body was over MAX_BODY_BYTES and was not read
    assets_url: str = ""  # where Zendesk's default greetings' audio is served (set by the app)

    @classmethod
    def from_environ(cls, environ: dict[str, Any]) -> Request:
        path = environ.get("PATH_INFO", "") or "/"
        if path.endswith(".json"):
            path = path[: -len(".json")]
        path = path.rstrip("/") or "/"
        length = int(environ.get("CONTENT_LENGTH") or 0)
        too_large = length > MAX_BODY_BYTES
        body = environ["wsgi.input"].read(length) if length > 0 and not too_large else b""
        headers = {
            key[5:].replace("_", "-").lower(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = environ["CONTENT_TYPE"]
        host = environ.get("HTTP_HOST") or (
            f"{environ.get('SERVER_NAME', 'localhost')}:{environ.get('SERVER_PORT', '80')}"
        )
        return cls(
            method=environ.get("REQUEST_METHOD", "GET").upper(),
            path=path,
            query=dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)),
            body=body,
            headers=headers,
            base_url=f"{environ.get('wsgi.url_scheme', 'http')}://{host}",
            environ=environ,
            too_large=too_large,
        )

    def json(self) -> Any:
        """The parsed JSON body; a 400 in plain text (as Zendesk sends) when it is not JSON."""
        if not self.body:
            return None
        try:
            return json.loads(self.body)
        except ValueError:
            raise ApiError(Answer.text(400, "Bad Request: the body is not valid JSON.")) from None

    def envelope(self, key: str) -> dict[str, Any]:
        """The object inside {key: {...}}; a 400 when it is missing."""
        body = self.json()
        if not isinstance(body, dict) or not isinstance(body.get(key), dict):
            raise ApiError(Answer.text(400, f"Bad Request: param is missing: {key}"))
        return body[key]

    def flag(self, name: str) -> bool:
        return self.query.get(name, "").lower() in {"true", "1"}


@dataclass
class Answer:
    status: int
    body: Any = None
    text_body: str | None = None  # plain-text answers (400s, 5xx), as Zendesk's edge sends
    headers: dict[str, str] = field(default_factory=dict)
    chunks: Iterable[bytes] | None = None  # a streamed body (audio), sent as it is read

    @classmethod
    def text(cls, status: int, text: str, **headers: str) -> Answer:
        return cls(status=status, text_body=text, headers=dict(headers))

    @classmethod
    def stream(cls, chunks: Iterable[bytes], *, content_type: str, length: int) -> Answer:
        headers = {"Content-Type": content_type, "Content-Length": str(length)}
        return cls(status=200, chunks=chunks, headers=headers)

    @classmethod
    def dropped(cls, request: Request) -> Answer:
        """No answer at all: the connection is closed (a forced "drop" fault).

        Served, the server closes the socket (sandbox.server gives the app a way to); in-process
        the answer carries a marker the Talk client's WSGI adapter turns into a broken
        connection. The request log records status 0: nothing was answered.
        """
        close = request.environ.get(DROP_CONNECTION)
        if close is not None:
            close()
        return cls.text(502, "Connection dropped", **{SIMULATE_DROP_HEADER: "true"})

    @property
    def is_dropped(self) -> bool:
        return self.headers.get(SIMULATE_DROP_HEADER) == "true"

    def encode(self) -> tuple[bytes, str]:
        if self.text_body is not None:
            return self.text_body.encode(), "text/plain; charset=utf-8"
        return json.dumps(self.body).encode(), "application/json; charset=utf-8"


class ApiError(Exception):
    """Raised by a handler to answer with an error."""

    def __init__(self, answer: Answer):
        super().__init__(answer.status)
        self.answer = answer


def not_found() -> ApiError:
    return ApiError(Answer(404, {"error": "RecordNotFound", "description": "Not found"}))


def invalid(details: dict[str, str | list[str]]) -> ApiError:
    """422 RecordInvalid with Zendesk's details shape: {"field": [{"description": ...}]}.

    Zendesk's own wording for Talk validation errors is not documented: these texts are ours.
    """
    shaped = {
        name: [
            {"description": message, "error": "InvalidValue"}
            for message in (messages if isinstance(messages, list) else [messages])
        ]
        for name, messages in details.items()
    }
    body = {"error": "RecordInvalid", "description": "Record validation errors", "details": shaped}
    return ApiError(Answer(422, body))


def offset_page(request: Request, items: list[Any], key: str) -> dict[str, Any]:
    """Zendesk's offset pagination: page, per_page (max 100), next/previous URLs, count."""
    try:
        page = max(1, int(request.query.get("page", 1)))
        per_page = min(MAX_PER_PAGE, max(1, int(request.query.get("per_page", MAX_PER_PAGE))))
    except ValueError:
        raise ApiError(Answer.text(400, "Bad Request: page and per_page must be numbers")) from None
    start = (page - 1) * per_page
    chunk = items[start : start + per_page]

    def url(number: int) -> str:
        query = {**request.query, "page": number, "per_page": per_page}
        return f"{request.base_url}{request.path}.json?{urlencode(query)}"

    return {
        key: chunk,
        "next_page": url(page + 1) if start + per_page < len(items) else None,
        "previous_page": url(page - 1) if page > 1 else None,
        "count": len(items),
    }


def cursor_page(request: Request, items: list[dict[str, Any]], key: str) -> dict[str, Any]:
    """Zendesk's cursor pagination (groups): page[size], page[after], links and meta."""
    try:
        size = min(MAX_PER_PAGE, max(1, int(request.query.get("page[size]", MAX_PER_PAGE))))
        after = int(request.query.get("page[after]") or 0)
    except ValueError:
        raise ApiError(Answer.text(400, "Bad Request: invalid page[size] or page[after]")) from None
    remaining = [item for item in items if item["id"] > after] if after else items
    chunk = remaining[:size]
    has_more = len(remaining) > size
    after_cursor = str(chunk[-1]["id"]) if chunk else None
    before_cursor = str(chunk[0]["id"]) if chunk else None
    next_query = urlencode({"page[size]": size, "page[after]": after_cursor or ""})
    return {
        key: chunk,
        "meta": {
            "has_more": has_more,
            "after_cursor": after_cursor,
            "before_cursor": before_cursor,
        },
        "links": {
            "next": f"{request.base_url}{request.path}.json?{next_query}" if has_more else None,
            "prev": None,
        },
    }
