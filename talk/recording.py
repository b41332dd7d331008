"""How the Talk client reports each API call to whoever keeps the record (the audit log).

The seam itself lives in core.api_calls.recording, shared with the other phone systems' clients so
that one audit change set records every call, whichever system it went to; these are its names
as the Talk client and the audit log have always imported them.
"""

from core.api_calls.recording import (
    WRITE_METHODS,
    ApiCallRecord,
    CallRecorder,
    OutgoingCall,
    WriteOutsideChangeSet,
    active_recorder,
    recording_calls,
)

__all__ = [
    "WRITE_METHODS",
    "ApiCallRecord",
    "CallRecorder",
    "OutgoingCall",
    "WriteOutsideChangeSet",
    "active_recorder",
    "recording_calls",
]
