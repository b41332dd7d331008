"""A stand-in for the audit log's change set: keeps the calls the client reports."""

from collections.abc import Iterator
from contextlib import contextmanager

from talk.recording import ApiCallRecord, OutgoingCall, recording_calls


class CallList:
    def __init__(self) -> None:
        self.calls: list[ApiCallRecord] = []
        self.sending: list[OutgoingCall] = []  # writes, as reported before they were sent

    def record_sending(self, call: OutgoingCall) -> int:
        self.sending.append(call)
        return len(self.sending)

    def record_call(self, call: ApiCallRecord) -> None:
        self.calls.append(call)


@contextmanager
def change_set() -> Iterator[CallList]:
    """Like audit.change_set: writes are allowed inside, and every call is recorded."""
    recorder = CallList()
    with recording_calls(recorder):
        yield recorder
