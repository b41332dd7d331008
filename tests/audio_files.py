"""Real audio for tests: WAV written by the standard library, MP3 from the demo's recordings."""

from __future__ import annotations

import io
import math
import struct
import wave

from sandbox.audio import RECORDINGS


def wav_bytes(seconds: float = 1.0, *, rate: int = 8000, tone_hz: int = 440) -> bytes:
    """A mono 16-bit WAV of a tone, `seconds` long (16 KB a second at 8 kHz)."""
    one_second = b"".join(
        struct.pack("<h", int(8000 * math.sin(2 * math.pi * tone_hz * n / rate)))
        for n in range(rate)
    )
    frames = one_second * int(seconds) + one_second[: int(rate * (seconds % 1)) * 2]
    out = io.BytesIO()
    with wave.open(out, "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(rate)
        file.writeframes(frames)
    return out.getvalue()


def wav_of_size(size: int) -> bytes:
    """A WAV of about `size` bytes (never more)."""
    header = len(wav_bytes(0))
    return wav_bytes((size - header) // 2 / 8000)


def demo_mp3(name: str = "welcome-to-northwind.mp3") -> bytes:
    return (RECORDINGS / name).read_bytes()
