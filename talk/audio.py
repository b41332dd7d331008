"""A greeting's audio on its way to Zendesk (a multipart body) and back (a stream of chunks).

Zendesk takes MP3 or WAV, 10 MB at most (its "upload an audio file for a Talk greeting" quick
start). `AudioUpload.from_file` checks that before anything is sent, by the bytes, not the
file's name, and spools the multipart body to disk past 1 MB, so a large file is never held in
memory whole; it also gives the audio's SHA-256 and size, which the audit log keeps in place
of the bytes. `AudioStream` hands the audio Zendesk serves to a caller chunk by chunk.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

import requests

from talk.errors import UnusableAudio

MAX_AUDIO_BYTES = 10 * 1024 * 1024  # "a maximum file size of 10 MB"
SPOOL_BYTES = 1024 * 1024
COPY_BYTES = 64 * 1024
CONTENT_TYPES = {"audio/mpeg": "MP3", "audio/wav": "WAV"}


def audio_type(head: bytes) -> str | None:
    """audio/mpeg or audio/wav when the file starts like one, else None."""
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio/wav"
    if head[:3] == b"ID3":
        return "audio/mpeg"
    # An MPEG audio frame header: 11 sync bits, then a layer that is not the reserved 00.
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[1] & 0x06:
        return "audio/mpeg"
    return None


class AudioUpload:
    """A multipart/form-data body holding one audio file, readable (and rewindable) by requests.

    requests sends it as a stream with a Content-Length; urllib3 rewinds it (seek) when it
    retries. Use it as a context manager, or close() it, to drop the spooled copy.
    """

    def __init__(self, *, field: str, file_name: str, content_type: str):
        self.field = field
        self.file_name = _safe_name(file_name)
        self.content_type = content_type
        self.boundary = f"talkadmin-{secrets.token_hex(16)}"
        self.size = 0  # of the audio itself, not of the body
        self.sha256 = ""
        # Kept open for requests to read (and rewind); close() drops it.
        self._body: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
        self._length = 0

    @classmethod
    def from_file(cls, source: IO[bytes] | bytes, *, field: str, file_name: str) -> AudioUpload:
        """Spool `source` (a binary file or bytes) into a body for `field`, checking it first.

        Raises UnusableAudio when it is empty, over MAX_AUDIO_BYTES, or not MP3 or WAV.
        """
        reader = _reader(source)
        head = reader.read(COPY_BYTES)
        if not head:
            raise UnusableAudio("The file is empty.")
        content_type = audio_type(head)
        if content_type is None:
            raise UnusableAudio("The file's contents are not MP3 or WAV audio.")
        upload = cls(field=field, file_name=file_name, content_type=content_type)
        try:
            upload._write_part(head, reader)
        except BaseException:
            upload.close()
            raise
        return upload

    def _write_part(self, head: bytes, reader: IO[bytes]) -> None:
        quoted = self.file_name.replace('"', "%22")
        self._body.write(
            f"--{self.boundary}\r\n"
            f'Content-Disposition: form-data; name="{self.field}"; filename="{quoted}"\r\n'
            f"Content-Type: {self.content_type}\r\n\r\n".encode()
        )
        digest = hashlib.sha256()
        chunk = head
        while chunk:
            self.size += len(chunk)
            if self.size > MAX_AUDIO_BYTES:
                raise UnusableAudio("The file is larger than Zendesk's limit of 10 MB.")
            digest.update(chunk)
            self._body.write(chunk)
            chunk = reader.read(COPY_BYTES)
        self._body.write(f"\r\n--{self.boundary}--\r\n".encode())
        self.sha256 = digest.hexdigest()
        self._length = self._body.tell()
        self._body.seek(0)

    @property
    def multipart_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary}"

    def description(self) -> dict[str, Any]:
        """What the audit log keeps of the upload: never the audio, its name, type, size, hash."""
        return {
            "file_name": self.file_name,
            "content_type": self.content_type,
            "size": self.size,
            "sha256": self.sha256,
        }

    # --- what requests and urllib3 use to send the body ---------------------------------------
    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[bytes]:
        while chunk := self.read(COPY_BYTES):
            yield chunk

    def read(self, size: int = -1) -> bytes:
        return self._body.read(size)

    def tell(self) -> int:
        return self._body.tell()

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._body.seek(offset, whence)

    def close(self) -> None:
        self._body.close()

    def __enter__(self) -> AudioUpload:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


@dataclass
class AudioStream:
    """Audio as Zendesk serves it, chunk by chunk; iterate once, then it closes itself.

    content_type and content_length (None when Zendesk did not say) come from the answer's
    headers. A failure while reading raises talk.errors.Unavailable from the iteration.
    """

    response: requests.Response
    chunk_size: int
    content_type: str
    content_length: int | None
    on_failure: Callable[[requests.exceptions.RequestException], Exception]

    def __iter__(self) -> Iterator[bytes]:
        try:
            for chunk in self.response.iter_content(chunk_size=self.chunk_size):
                if chunk:
                    yield chunk
        except requests.exceptions.RequestException as error:
            raise self.on_failure(error) from None
        finally:
            self.close()

    def close(self) -> None:
        self.response.close()

    def __enter__(self) -> AudioStream:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _reader(source: IO[bytes] | bytes) -> IO[bytes]:
    if isinstance(source, bytes | bytearray | memoryview):
        return io.BytesIO(bytes(source))
    return source


def _safe_name(file_name: str) -> str:
    """The file's own name, without any folder a browser sent, control characters or quotes."""
    name = file_name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable() and c not in '"\r\n')
    return name.strip()[:255] or "greeting"
