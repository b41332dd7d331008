"""How a service-layer client reports each API call to whoever keeps the record (the audit log).

The audit log opens a change set and activates its recorder with `recording_calls()`; every
client (talk/, yeastar/) reports each request made meanwhile, and refuses any write when no
recorder is active, so no change can reach a phone system without an audit change set.

What counts as a write is the client's to say: for Zendesk it is the HTTP method (POST, PUT,
PATCH, DELETE); a Yeastar PBX deletes with a GET (`ivr/delete`) and authenticates with a POST
(`get_token`), so its client sets `write` on each record.

A write is reported twice: `record_sending` before it is sent (the recorder keeps it for good
before returning, so a process killed while the system works on the write still leaves it on
record as "sent, answer unknown"), and `record_call` with its answer, carrying the sequence
`record_sending` gave it. Reads change nothing, so only their answer is reported.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Protocol

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class ApiCallRecord:
    """One API request as it happened, secrets already masked."""

    method: str
    path: str  # path and query string, without the host and without any credential
    request_body: Any  # the JSON sent, secrets masked; None for no body
    status: int | None  # None when no response came back (timeout, connection error)
    zendesk_request_id: str  # the system's request id (X-Zendesk-Request-Id), "" when absent
    duration_ms: int
    attempts: int  # 1 + the retries it took
    error: str  # "" on success, else a plain description of the failure
    response_body: Any = None  # the JSON the system answered with, if any
    write: bool | None = None  # whether the call changes something; None: judged by the method
    sequence: int | None = None  # for a write: what record_sending returned for it

    @property
    def is_write(self) -> bool:
        """Whether this call changes something in the phone system (a create, update, delete)."""
        if self.write is not None:
            return self.write
        return self.method.upper() in WRITE_METHODS


@dataclass(frozen=True)
class OutgoingCall:
    """A write about to be sent, secrets already masked."""

    method: str
    path: str  # path and query string, without the host and without any credential
    request_body: Any  # the JSON about to be sent; None for no body


class CallRecorder(Protocol):
    def record_sending(self, call: OutgoingCall) -> int | None:
        """Keep `call` on record before it is sent; the sequence to report its answer with."""
        ...

    def record_call(self, call: ApiCallRecord) -> None: ...


class WriteOutsideChangeSet(RuntimeError):
    """A programming error: a write to a phone system was attempted with no audit change set."""


_active_recorder: ContextVar[CallRecorder | None] = ContextVar("api_call_recorder", default=None)


def active_recorder() -> CallRecorder | None:
    return _active_recorder.get()


@contextmanager
def recording_calls(recorder: CallRecorder) -> Iterator[CallRecorder]:
    """Report every API call made inside the block, by any client, to `recorder`."""
    token = _active_recorder.set(recorder)
    try:
        yield recorder
    finally:
        _active_recorder.reset(token)
