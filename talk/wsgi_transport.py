"""Serve a requests.Session from a WSGI application in-process: no socket, no network.

`WsgiAdapter(app)` is a requests transport adapter whose connection pool hands each request to
`app` instead of a socket; the app's answer is read from its iterable as the client reads it.
It sits *below* urllib3's retry logic, so a client using it retries, times out and paces
exactly as it does against Zendesk: tests exercise the real client.

A WSGI app can make the adapter behave as if its answer never came in time (a read timeout)
by answering with the header `X-Simulate-Timeout: true`; the adapter then raises urllib3's
ReadTimeoutError. The environ carries the client's read timeout as `talk.read_timeout`. With
`X-Simulate-Dropped-Connection: true` the connection breaks with no answer, as a server that
closes its socket: the adapter raises http.client's RemoteDisconnected, as a socket would.
"""

from __future__ import annotations

import http.client
import io
import sys
from collections.abc import Callable, Iterable
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit

from requests.adapters import HTTPAdapter
from urllib3 import HTTPConnectionPool, HTTPResponse
from urllib3.exceptions import ReadTimeoutError

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
SIMULATE_TIMEOUT_HEADER = "X-Simulate-Timeout"
SIMULATE_DROP_HEADER = "X-Simulate-Dropped-Connection"


class _InProcessConnection:
    """Stands where a socket connection would; the pool never sends anything through it."""

    proxy = None
    has_connected_to_proxy = False
    is_connected = True
    is_closed = False
    timeout: Any = None

    def close(self) -> None:
        pass


class WsgiConnectionPool(HTTPConnectionPool):
    """A urllib3 pool that answers every request by calling `wsgi_app`."""

    wsgi_app: ClassVar[WsgiApp]

    def _new_conn(self) -> Any:
        return _InProcessConnection()

    def _make_request(
        self,
        conn: Any,
        method: str,
        url: str,
        body: Any = None,
        headers: Any = None,
        retries: Any = None,
        timeout: Any = None,
        chunked: bool = False,
        response_conn: Any = None,
        preload_content: bool = True,
        decode_content: bool = True,
        enforce_content_length: bool = True,
    ) -> HTTPResponse:
        self.num_requests += 1
        read_timeout = self._get_timeout(timeout).read_timeout
        environ = self._environ(method, url, body, headers or {}, read_timeout)
        status, response_headers, content = _call(type(self).wsgi_app, environ)  # a staticmethod
        if response_headers.get(SIMULATE_TIMEOUT_HEADER, "").lower() == "true":
            content.close()
            raise ReadTimeoutError(self, url, f"Read timed out. (read timeout={read_timeout})")
        if response_headers.get(SIMULATE_DROP_HEADER, "").lower() == "true":
            content.close()
            raise http.client.RemoteDisconnected("Remote end closed connection without response")
        code, _, reason = status.partition(" ")
        return HTTPResponse(
            body=content,
            headers=response_headers,
            status=int(code),
            reason=reason,
            version=11,
            version_string="HTTP/1.1",
            preload_content=preload_content,
            decode_content=decode_content,
            request_method=method,
            request_url=url,
            retries=retries,
            pool=self,
            connection=response_conn,
        )

    def _environ(
        self, method: str, url: str, body: Any, headers: Any, read_timeout: Any
    ) -> dict[str, Any]:
        parts = urlsplit(url)
        default_port = 443 if self.scheme == "https" else 80
        port = self.port or default_port
        data = body.encode() if isinstance(body, str) else (body or b"")
        if not isinstance(data, bytes):  # an iterable or file-like body
            data = data.read() if hasattr(data, "read") else b"".join(data)
        environ: dict[str, Any] = {
            "REQUEST_METHOD": method,
            "SCRIPT_NAME": "",
            "PATH_INFO": unquote(parts.path),
            "QUERY_STRING": parts.query,
            "SERVER_NAME": self.host,
            "SERVER_PORT": str(port),
            "HTTP_HOST": self.host if port == default_port else f"{self.host}:{port}",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_LENGTH": str(len(data)),
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": self.scheme,
            "wsgi.input": io.BytesIO(data),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            "talk.read_timeout": read_timeout,
        }
        for name, value in headers.items():
            key = name.upper().replace("-", "_")
            if key in {"CONTENT_TYPE", "CONTENT_LENGTH"}:
                environ[key] = value
            else:
                environ[f"HTTP_{key}"] = value
        return environ


class _AppBody(io.RawIOBase):
    """The app's response body, read from its iterable only as the client reads it, so a
    streamed answer (a greeting's audio) is never held whole, as over a socket."""

    def __init__(self, chunks: Iterable[bytes], first: bytes = b""):
        self._chunks = chunks
        self._iterator = iter(chunks)
        self._pending = first

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            chunk = next(self._iterator, None)
            if chunk is None:
                return 0
            self._pending = chunk
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def close(self) -> None:
        if not self.closed and hasattr(self._chunks, "close"):
            self._chunks.close()
        super().close()


def _call(app: WsgiApp, environ: dict[str, Any]) -> tuple[str, dict[str, str], _AppBody]:
    answer: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        answer["status"], answer["headers"] = status, dict(headers)
        return lambda chunk: None

    chunks = app(environ, start_response)
    first = b""
    if "status" not in answer:  # a generator app answers once it is first read
        first = next(iter(chunks), b"")
    return answer["status"], answer["headers"], _AppBody(chunks, first)


class WsgiAdapter(HTTPAdapter):
    """A requests adapter that serves every request from `app` (mount it on a URL prefix)."""

    def __init__(self, app: WsgiApp, **kwargs: Any):
        # One pool class per scheme: urllib3 does not tell a pool which scheme it serves.
        self._pool_classes = {
            scheme: type(
                f"Wsgi{scheme.upper()}ConnectionPool",
                (WsgiConnectionPool,),
                {"scheme": scheme, "wsgi_app": staticmethod(app)},
            )
            for scheme in ("http", "https")
        }
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = self._pool_classes

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        # An in-process app is never reached through a proxy, whatever the environment says.
        return self.poolmanager
