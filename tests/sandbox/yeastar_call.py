"""Call the Yeastar sandbox's WSGI app directly, to check its HTTP contract byte for byte."""

from __future__ import annotations

import io
import json
from typing import Any
from urllib.parse import urlencode

from sandbox.yeastar import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
from tests.sandbox.wsgi_call import Reply

API = "/openapi/v1.0/"


def call(
    app,
    method: str,
    endpoint: str,
    body: Any = None,
    *,
    token: str | None = None,
    user_agent: str | None = "OpenAPI",
    raw: bytes | None = None,
    **query: Any,
) -> Reply:
    """One request to /openapi/v1.0/{endpoint}, with `access_token=token` when given."""
    if token is not None:
        query = {"access_token": token, **query}
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else b"")
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": API + endpoint,
        "QUERY_STRING": urlencode(query),
        "SERVER_NAME": "192.168.5.150",
        "SERVER_PORT": "8088",
        "HTTP_HOST": "192.168.5.150:8088",
        "wsgi.url_scheme": "https",
        "wsgi.input": io.BytesIO(data),
        "CONTENT_LENGTH": str(len(data)),
        "CONTENT_TYPE": "application/json",
    }
    if user_agent:
        environ["HTTP_USER_AGENT"] = user_agent
    answer: dict[str, Any] = {}

    def start_response(status, headers):
        answer["status"], answer["headers"] = int(status.split()[0]), dict(headers)

    text = b"".join(app(environ, start_response)).decode()
    return Reply(answer["status"], answer["headers"], text)


def get_token(app, username: str = DEFAULT_CLIENT_ID, password: str = DEFAULT_CLIENT_SECRET):
    return call(app, "POST", "get_token", {"username": username, "password": password})


def token(app) -> str:
    return get_token(app).json()["access_token"]
