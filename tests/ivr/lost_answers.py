"""Zendesk makes a change and its answer never arrives: the ways tests make that happen.

`LoseAnswer(sandbox, at=N, kind=...)` is the in-process sandbox, except that the write number N
(from 0) of what follows is carried out and then its answer is lost:

- "500": Zendesk answers 500 after making it;
- "timeout": no answer in time (the client's read timeout);
- "drop": the connection breaks with no answer;
- "then down": a 500 after making it, and Zendesk answers no read for a while after (so the
  publish cannot look at once);
- "worker killed": the process sending it dies while it waits (a BaseException, as a SIGTERM or
  an exit would raise, so the change set is left interrupted).

Mount it with `losing(sandbox, ...)`; `sandbox.requests` still lists every request received.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from sandbox.faults import ForcedAnswer
from talk.wsgi_transport import WsgiAdapter

LOST_ANSWERS = ("500", "timeout", "drop", "then down", "worker killed")
DOWN_FOR_READS = 8  # the GETs after a "then down": more than the client's retries of one read


class WorkerKilled(BaseException):
    """The worker process died while waiting for Zendesk (not an Exception: nothing catches it)."""


class LoseAnswer:
    def __init__(self, sandbox, *, at: int, kind: str) -> None:
        self.sandbox, self.at, self.kind = sandbox, at, kind
        self.writes = 0
        self.lost: tuple[str, str] | None = None  # (method, path) whose answer was lost

    def __call__(self, environ: dict, start_response):
        method = environ["REQUEST_METHOD"]
        path = environ["PATH_INFO"].removesuffix(".json")
        if method != "GET":
            if self.writes == self.at:
                self.lost = (method, path)
                return self._lose(method, path, environ, start_response)
            self.writes += 1
        return self.sandbox.app(environ, start_response)

    def _lose(self, method: str, path: str, environ: dict, start_response):
        self.writes += 1
        faults = self.sandbox.app.faults.forced
        if self.kind == "worker killed":
            answer = self.sandbox.app(environ, start_response)  # Zendesk makes it ...
            list(answer)
            raise WorkerKilled()  # ... and nobody is left to hear the answer
        rule = ForcedAnswer(method=method, path=path, times=1, after_applying=True)
        if self.kind == "timeout":
            rule.status, rule.timeout = None, True
        elif self.kind == "drop":
            rule.status, rule.drop = None, True
        else:
            rule.status = 500
        faults.insert(0, rule)
        answer = self.sandbox.app(environ, start_response)
        if self.kind == "then down":
            faults.insert(0, ForcedAnswer(method="GET", status=503, times=DOWN_FOR_READS))
        return answer


@contextmanager
def losing(sandbox, *, at: int, kind: str) -> Iterator[LoseAnswer]:
    """The sandbox loses the answer of write number `at` of what runs inside."""
    loser = LoseAnswer(sandbox, at=at, kind=kind)
    sandbox.client.transport.mount(WsgiAdapter(loser))
    try:
        yield loser
    finally:
        sandbox.client.transport.mount(WsgiAdapter(sandbox.app))
        sandbox.app.faults.forced.clear()
