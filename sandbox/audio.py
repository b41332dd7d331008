"""Where the sandbox keeps greetings' audio, and how it tells MP3 and WAV apart from anything else.

The state file holds only a reference per greeting ({"key", "content_type", "size", "sha256",
"upload_id"}): audio never goes into the JSON, so the state file stays small. Keys are
- "demo/<file>": a recording committed under sandbox/recordings/ (the demo account's);
- "upload/<sha256>.<ext>": uploaded audio, content-addressed, kept in memory for an in-process
  sandbox or in a folder beside the state file for a served one.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

RECORDINGS = Path(__file__).resolve().parent / "recordings"
MAX_AUDIO_BYTES = 10 * 1024 * 1024  # Zendesk's quick start: "a maximum file size of 10 MB"
CHUNK_BYTES = 64 * 1024
EXTENSIONS = {"audio/mpeg": "mp3", "audio/wav": "wav"}


def audio_type(content: bytes) -> str | None:
    """audio/mpeg or audio/wav when `content` starts like one (by its bytes, not its name)."""
    if content[:4] == b"RIFF" and content[8:12] == b"WAVE":
        return "audio/wav"
    if content[:3] == b"ID3":
        return "audio/mpeg"
    # An MPEG audio frame: 11 sync bits, then a layer that is not the reserved 00.
    if len(content) >= 2 and content[0] == 0xFF and content[1] & 0xE0 == 0xE0:
        return "audio/mpeg" if content[1] & 0x06 else None
    return None


def demo_reference(file_name: str, *, upload_id: int | None) -> dict[str, Any]:
    """The stored reference to a committed demo recording."""
    size, digest = _measure(file_name)
    return {
        "key": f"demo/{file_name}",
        "content_type": "audio/mpeg" if file_name.endswith(".mp3") else "audio/wav",
        "size": size,
        "sha256": digest,
        "upload_id": upload_id,
    }


@functools.cache
def _measure(file_name: str) -> tuple[int, str]:
    content = (RECORDINGS / file_name).read_bytes()
    return len(content), hashlib.sha256(content).hexdigest()


class AudioStore:
    """Uploaded audio by key: in memory (folder None) or as files in `folder`."""

    def __init__(self, folder: Path | None = None):
        self.folder = folder
        self._memory: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def put(self, content: bytes, content_type: str) -> str:
        """Keep `content`; returns its key (the same content is kept once)."""
        digest = hashlib.sha256(content).hexdigest()
        key = f"upload/{digest}.{EXTENSIONS.get(content_type, 'bin')}"
        with self._lock:
            if self.folder is None:
                self._memory[key] = content
            else:
                path = self._path(key)
                path.parent.mkdir(parents=True, exist_ok=True)
                temporary = path.with_suffix(".part")
                temporary.write_bytes(content)
                temporary.replace(path)
        return key

    def chunks(self, key: str) -> Iterator[bytes] | None:
        """The audio of `key` in chunks, read as they are sent; None when there is none."""
        if key.startswith("demo/"):
            path = RECORDINGS / key.removeprefix("demo/")
            return _file_chunks(path) if path.is_file() and path.parent == RECORDINGS else None
        if self.folder is None:
            content = self._memory.get(key)
            if content is None:
                return None
            view = memoryview(content)
            return (bytes(view[i : i + CHUNK_BYTES]) for i in range(0, len(view), CHUNK_BYTES))
        path = self._path(key)
        return _file_chunks(path) if path.is_file() else None

    def keep_only(self, keys: Iterable[str]) -> None:
        """Forget uploaded audio no greeting refers to any more."""
        wanted = set(keys)
        with self._lock:
            if self.folder is None:
                for key in [k for k in self._memory if k not in wanted]:
                    del self._memory[key]
            elif self.folder.is_dir():
                for path in self.folder.glob("upload/*"):
                    if f"upload/{path.name}" not in wanted:
                        path.unlink(missing_ok=True)

    def _path(self, key: str) -> Path:
        name = key.removeprefix("upload/")
        if self.folder is None or name == key or "/" in name or name.startswith("."):
            raise ValueError(f"not a key of uploaded audio: {key!r}")
        return self.folder / key


def _file_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as file:
        while chunk := file.read(CHUNK_BYTES):
            yield chunk
