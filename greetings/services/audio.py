"""A greeting's recording: checked before it is sent, described for the audit log, and played.

`examine_audio` runs the Talk service layer's own content checks (talk.audio: MP3 or WAV by its
bytes, not empty, 10 MB at most) and then decodes the file with mutagen, which reads the length
from the WAV header or the MP3 frames; a file that starts like audio but does not decode is
refused too. It raises a ValidationError on the field "audio" and sends nothing. The
AudioFacts it returns (type, size, length, SHA-256) are what the audit log keeps: never the
bytes.

`open_greeting_audio` fetches a greeting's recording from Zendesk as a stream of chunks for
TalkAdmin to relay to the browser (which never holds Zendesk's credentials).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from mutagen import MutagenError
from mutagen.mp3 import MP3
from mutagen.wave import WAVE

import talk
from greetings.services.errors import NothingToPlay
from talk.audio import CONTENT_TYPES, AudioUpload
from talk.errors import NoAudio, NotFound, UnusableAudio
from talk.greetings import UPLOAD_FIELD
from talk.resources import Greeting, GreetingId


@dataclass(frozen=True, slots=True)
class AudioFacts:
    """What is known of a recording without keeping it: the audit log's evidence."""

    file_name: str
    content_type: str  # audio/mpeg or audio/wav
    size: int  # bytes
    seconds: float
    sha256: str

    @property
    def kind(self) -> str:
        return CONTENT_TYPES.get(self.content_type, "audio")

    @property
    def length_words(self) -> str:
        """ "12.4 s" """
        return f"{seconds_words(self.seconds)}"

    def for_audit(self) -> dict[str, Any]:
        return {
            "file_name": self.file_name,
            "content_type": self.content_type,
            "size": self.size,
            "seconds": round(self.seconds, 1),
            "sha256": self.sha256,
        }


def seconds_words(seconds: float) -> str:
    """A length as an admin reads it: "12.4 s", "2 min 5 s"."""
    tenths = round(seconds, 1)
    if tenths < 60:
        return f"{tenths:g} s"
    minutes, rest = divmod(math.floor(seconds + 0.5), 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def size_words(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def examine_audio(audio: IO[bytes], *, file_name: str) -> AudioFacts:
    """Check a recording as Zendesk would take it, and read its length; nothing is sent.

    Raises ValidationError({"audio": [...]}) when it is empty, over 10 MB, not MP3 or WAV by
    its bytes, or does not decode. The file is left at its start, ready to upload.
    """
    try:
        with AudioUpload.from_file(audio, field=UPLOAD_FIELD, file_name=file_name) as checked:
            facts = checked.description()
    except UnusableAudio as refusal:
        # talk.audio's own words: "The file is empty.", "... not MP3 or WAV audio.", "... 10 MB."
        raise ValidationError({"audio": [refusal.description]}) from None
    audio.seek(0)
    seconds = _length(audio, content_type=facts["content_type"])
    audio.seek(0)
    return AudioFacts(
        file_name=facts["file_name"],
        content_type=facts["content_type"],
        size=facts["size"],
        seconds=seconds,
        sha256=facts["sha256"],
    )


def _length(audio: IO[bytes], *, content_type: str) -> float:
    kind = CONTENT_TYPES[content_type]
    try:
        # mutagen reads the WAV header, or walks the MP3 frames (it has no type hints).
        parsed: Any = MP3(audio) if kind == "MP3" else WAVE(audio)  # type: ignore[no-untyped-call]
        seconds = float(parsed.info.length)
    except (MutagenError, ValueError, EOFError, OverflowError):
        seconds = 0.0
        damaged = True
    else:
        damaged = not math.isfinite(seconds)
    if damaged:
        raise ValidationError(
            {
                "audio": [
                    f"This file starts like {kind} audio but cannot be played: it may be damaged "
                    "or cut short. Export the recording again and choose the new file."
                ]
            }
        )
    if seconds < 0.05:
        raise ValidationError({"audio": [f"This {kind} file holds no sound (it lasts 0 seconds)."]})
    return seconds


# --- Playing --------------------------------------------------------------------------------


@dataclass
class GreetingAudio:
    """A recording on its way from Zendesk: iterate `chunks` once (it closes itself)."""

    chunks: Iterator[bytes]
    content_type: str
    size: int | None  # bytes, when Zendesk said
    close: Callable[[], None]  # drops Zendesk's connection (a listener who stops early)


def open_greeting_audio(*, greeting_id: GreetingId) -> GreetingAudio:
    """Start fetching a greeting's recording from Zendesk.

    The greeting's audio_url comes from the cached greetings (no call); when Zendesk answers
    that the audio is gone, the greeting is read again once (a new recording has a new URL).
    Raises NothingToPlay (pending, or a silent default), a PhoneSystemGone when Zendesk no
    longer has the greeting or its recording, another PhoneSystemError when it cannot answer.
    """
    client = talk.get_client()
    greeting = _cached_greeting(greeting_id)
    try:
        return _opened(greeting or client.get_greeting(greeting_id))
    except NotFound:
        if greeting is None:
            raise
    client.forget_lookups("greetings")
    return _opened(client.get_greeting(greeting_id))


def _cached_greeting(greeting_id: GreetingId) -> Greeting | None:
    return next((g for g in talk.get_client().list_greetings() if g.id == greeting_id), None)


def _opened(greeting: Greeting) -> GreetingAudio:
    try:
        stream = talk.get_client().stream_greeting_audio(greeting)
    except NoAudio as silent:
        raise NothingToPlay(pending=silent.description == "pending") from None
    return GreetingAudio(
        chunks=iter(stream),
        content_type=stream.content_type,
        size=stream.content_length,
        close=stream.close,
    )
