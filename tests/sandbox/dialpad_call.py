"""Call the Dialpad sandbox's WSGI app directly, to check its HTTP contract byte for byte."""

from __future__ import annotations

import io
import json
from typing import Any
from urllib.parse import urlencode

from sandbox.dialpad import DEFAULT_API_KEY
from tests.sandbox.wsgi_call import Reply

API = "/api/v2/"


def call(
    app,
    method: str,
    path: str,
    body: Any = None,
    *,
    key: str | None = DEFAULT_API_KEY,
    key_in_query: bool = False,
    raw: bytes | None = None,
    **query: Any,
) -> Reply:
    """One request to /api/v2/{path}, with the API key as a bearer token (or `apikey`)."""
    if key is not None and key_in_query:
        query = {**query, "apikey": key}
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else b"")
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": API + path,
        "QUERY_STRING": urlencode(query),
        "SERVER_NAME": "dialpad.com",
        "SERVER_PORT": "443",
        "HTTP_HOST": "dialpad.com",
        "wsgi.url_scheme": "https",
        "wsgi.input": io.BytesIO(data),
        "CONTENT_LENGTH": str(len(data)),
        "CONTENT_TYPE": "application/json",
    }
    if key is not None and not key_in_query:
        environ["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    answer: dict[str, Any] = {}

    def start_response(status, headers):
        answer["status"], answer["headers"] = int(status.split()[0]), dict(headers)

    text = b"".join(app(environ, start_response)).decode()
    return Reply(answer["status"], answer["headers"], text)
