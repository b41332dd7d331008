"""A recording to upload to Dialpad, checked before it is sent.

Dialpad's "Custom IVR -- Create" takes the audio inside the JSON body: `file`, "An MP3 audio
file. The file needs to be Base64-encoded." So only MP3 is sent, recognised by its bytes (an ID3
tag or an MPEG audio frame of layer III), never by its name. Dialpad documents no size limit but
lists 413 among its answers; TalkAdmin sends at most MAX_RECORDING_BYTES (10 MB, as Zendesk's
greetings take), which base64 makes about 13.4 MB of JSON.

The audit ledger never keeps the audio: `ledger_entry()` is what it records instead (type,
size, SHA-256), as for Zendesk greetings.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field

from dialpad.errors import NotSendable

MAX_RECORDING_BYTES = 10 * 1024 * 1024
MP3 = "audio/mpeg"


def _syncsafe(four: bytes) -> int:
    return (four[0] << 21) | (four[1] << 14) | (four[2] << 7) | four[3]


def _is_layer_three_frame(header: bytes) -> bool:
    # 11 sync bits, a version that is not the reserved 01, and layer bits 01 (layer III).
    return (
        len(header) >= 2
        and header[0] == 0xFF
        and header[1] & 0xE0 == 0xE0
        and header[1] & 0x18 != 0x08
        and header[1] & 0x06 == 0x02
    )


def audio_type(content: bytes) -> str | None:
    """Its MIME type: audio/mpeg for MP3, audio/wav for WAV (to name it in a refusal), or None."""
    if content[:4] == b"RIFF" and content[8:12] == b"WAVE":
        return "audio/wav"
    if content[:3] == b"ID3" and len(content) >= 10:
        start = 10 + _syncsafe(content[6:10])
        return MP3 if _is_layer_three_frame(content[start : start + 2]) else None
    return MP3 if _is_layer_three_frame(content[:2]) else None


@dataclass(frozen=True)
class RecordingFile:
    """An MP3 recording ready to upload (build it with `RecordingFile.checked`)."""

    content: bytes = field(repr=False)
    file_name: str = ""

    @classmethod
    def checked(cls, content: bytes, *, file_name: str = "") -> RecordingFile:
        """The recording, or NotSendable saying in words why Dialpad cannot take it."""
        problem = ""
        kind = audio_type(content)
        if not content:
            problem = "the file is empty"
        elif len(content) > MAX_RECORDING_BYTES:
            size = len(content) / (1024 * 1024)
            problem = f"the file is {size:.1f} MB; TalkAdmin sends recordings of up to 10 MB"
        elif kind == "audio/wav":
            problem = "this is a WAV file; Dialpad takes MP3 recordings only (convert it to MP3)"
        elif kind != MP3:
            problem = "this is not an MP3 recording; Dialpad takes MP3 recordings only"
        if problem:
            raise NotSendable(problem, details={"file": [problem]})
        return cls(content=content, file_name=file_name)

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    def base64(self) -> str:
        return base64.b64encode(self.content).decode("ascii")

    def ledger_entry(self) -> dict[str, object]:
        """What the audit ledger keeps of the upload instead of its bytes."""
        entry: dict[str, object] = {"content_type": MP3, "bytes": self.size, "sha256": self.sha256}
        if self.file_name:
            entry["file_name"] = self.file_name
        return entry
