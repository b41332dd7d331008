"""Serve the sandbox over HTTP with the standard library (threaded; one request per thread)."""

from __future__ import annotations

import logging
import socketserver
from collections.abc import Callable
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

logger = logging.getLogger("sandbox")


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class QuietHandler(WSGIRequestHandler):
    """One short line per request on stderr (never headers: they carry the credentials)."""

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("%s %s", self.address_string(), format % args)


def serve(app: Callable[..., Any], *, host: str, port: int) -> None:
    """Serve a sandbox's WSGI app (the Talk one or the Yeastar one) until interrupted."""
    with make_server(
        host, port, app, server_class=ThreadingWSGIServer, handler_class=QuietHandler
    ) as server:
        server.serve_forever()
