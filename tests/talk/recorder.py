"""A stand-in for the audit log's change set: keeps the calls the client reports."""

from collections.abc import Iterator
from contextlib import contextmanager

from talk.recording import ApiCallRecord, recording_calls


class CallList:
    def __init__(self) -> None:
        self.calls: list[ApiCallRecord] = []

    def record_call(self, call: ApiCallRecord) -> None:
        self.calls.append(call)


@contextmanager
def change_set() -> Iterator[CallList]:
    """Like audit.change_set: writes are allowed inside, and every call is recorded."""
    recorder = CallList()
    with recording_calls(recorder):
        yield recorder
