"""Serve the sandbox over HTTP with the standard library (threaded; one request per thread).

A forced "drop" fault closes the connection with no answer: the handler puts a callable that
does so in each request's environ (sandbox.http.DROP_CONNECTION).
"""

from __future__ import annotations

import contextlib
import logging
import socket
import socketserver
from collections.abc import Callable
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from sandbox.http import DROP_CONNECTION

logger = logging.getLogger("sandbox")


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class QuietHandler(WSGIRequestHandler):
    """One short line per request on stderr (never headers: they carry the credentials)."""

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("%s %s", self.address_string(), format % args)

    def get_environ(self) -> dict[str, Any]:
        environ = super().get_environ()
        environ[DROP_CONNECTION] = self.drop_connection
        return environ

    def drop_connection(self) -> None:
        """Close the connection now, answering nothing (what the app then writes is lost)."""
        self.close_connection = True
        with contextlib.suppress(OSError):  # the client is gone already
            self.connection.shutdown(socket.SHUT_RDWR)


def serve(app: Callable[..., Any], *, host: str, port: int) -> None:
    """Serve a sandbox's WSGI app (the Talk one or the Yeastar one) until interrupted."""
    with make_server(
        host, port, app, server_class=ThreadingWSGIServer, handler_class=QuietHandler
    ) as server:
        server.serve_forever()
