"""Call the sandbox's WSGI app directly, to check the HTTP contract byte for byte."""

import base64
import io
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from sandbox import DEFAULT_API_TOKEN, DEFAULT_EMAIL

GOOD_AUTH = (
    "Basic " + base64.b64encode(f"{DEFAULT_EMAIL}/token:{DEFAULT_API_TOKEN}".encode()).decode()
)


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    text: str
    content: bytes = b""

    def json(self) -> Any:
        return json.loads(self.text)


def call(
    app,
    method: str,
    url: str,
    body: Any = None,
    *,
    auth: str | None = GOOD_AUTH,
    raw: bytes | None = None,
    content_type: str = "application/json",
) -> Reply:
    parts = urlsplit(url)
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else b"")
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": unquote(parts.path),  # as a server hands it to the app
        "QUERY_STRING": parts.query,
        "SERVER_NAME": "sandbox.test",
        "SERVER_PORT": "443",
        "HTTP_HOST": "sandbox.test",
        "wsgi.url_scheme": "https",
        "wsgi.input": io.BytesIO(data),
        "CONTENT_LENGTH": str(len(data)),
        "CONTENT_TYPE": content_type,
    }
    if auth:
        environ["HTTP_AUTHORIZATION"] = auth
    answer = {}

    def start_response(status, headers):
        answer["status"], answer["headers"] = int(status.split()[0]), dict(headers)

    content = b"".join(app(environ, start_response))
    return Reply(answer["status"], answer["headers"], content.decode(errors="replace"), content)
