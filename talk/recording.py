"""How the Talk client reports each API call to whoever keeps the record (the audit log).

The audit log opens a change set and activates its recorder with `recording_calls()`; the client
reports every request made meanwhile, and refuses any write (POST, PUT, PATCH, DELETE) when no
recorder is active, so no change can reach Zendesk without an audit change set.

A write is reported twice: `record_sending` before it is sent (the recorder keeps it for good
before returning, so a process killed while Zendesk works on the write still leaves it on
record as "sent, answer unknown"), and `record_call` with its answer, carrying the sequence
`record_sending` gave it. Reads change nothing in Zendesk, so only their answer is reported.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Protocol

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class ApiCallRecord:
    """One Talk API request as it happened, secrets already masked."""

    method: str
    path: str  # path and query string, without the host
    request_body: Any  # the JSON sent, secrets masked; None for no body
    status: int | None  # None when no response came back (timeout, connection error)
    zendesk_request_id: str  # X-Zendesk-Request-Id, "" when absent
    duration_ms: int
    attempts: int  # 1 + the retries it took
    error: str  # "" on success, else a plain description of the failure
    response_body: Any = None  # the JSON Zendesk answered with, if any
    sequence: int | None = None  # for a write: what record_sending returned for it


@dataclass(frozen=True)
class OutgoingCall:
    """A write about to be sent, secrets already masked."""

    method: str
    path: str  # path and query string, without the host
    request_body: Any  # the JSON about to be sent; None for no body


class CallRecorder(Protocol):
    def record_sending(self, call: OutgoingCall) -> int | None:
        """Keep `call` on record before it is sent; the sequence to report its answer with."""
        ...

    def record_call(self, call: ApiCallRecord) -> None: ...


class WriteOutsideChangeSet(RuntimeError):
    """A programming error: a write to the Talk API was attempted with no audit change set open."""


_active_recorder: ContextVar[CallRecorder | None] = ContextVar("talk_call_recorder", default=None)


def active_recorder() -> CallRecorder | None:
    return _active_recorder.get()


@contextmanager
def recording_calls(recorder: CallRecorder) -> Iterator[CallRecorder]:
    """Report every Talk API call made inside the block to `recorder`."""
    token = _active_recorder.set(recorder)
    try:
        yield recorder
    finally:
        _active_recorder.reset(token)
