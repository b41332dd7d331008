"""HTTP byte ranges for the audio player, so a listener can seek (RFC 9110, section 14).

TalkAdmin serves the range itself from Zendesk's stream: it reads from the start of the file
and skips to the first byte asked for, a chunk at a time, so nothing is held in memory and any
audio host works (Zendesk does not document range requests on its audio links). Only a single
range is honoured; several at once get the whole file, which HTTP allows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_SINGLE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$")


class Unsatisfiable(Exception):
    """The range starts past the end of the file (answer 416)."""


@dataclass(frozen=True, slots=True)
class ByteRange:
    first: int  # the first byte served
    last: int  # the last byte served (inclusive)
    size: int  # of the whole file

    @property
    def length(self) -> int:
        return self.last - self.first + 1

    @property
    def content_range(self) -> str:
        return f"bytes {self.first}-{self.last}/{self.size}"


def requested_range(header: str, *, size: int | None) -> ByteRange | None:
    """The range a Range header asks for in a file of `size` bytes; None for the whole file
    (no header, one TalkAdmin does not read, or the size is unknown). Raises Unsatisfiable."""
    match = _SINGLE.match(header or "")
    if match is None or size is None:
        return None
    start, end = match.groups()
    if not start and not end:
        return None
    if not start:  # the last N bytes
        suffix = int(end)
        if suffix == 0:
            raise Unsatisfiable()
        return ByteRange(first=max(0, size - suffix), last=size - 1, size=size)
    first = int(start)
    if first >= size:
        raise Unsatisfiable()
    last = min(int(end), size - 1) if end else size - 1
    if last < first:
        return None  # not a valid range: ignored, the whole file
    return ByteRange(first=first, last=last, size=size)


def sliced(chunks: Iterator[bytes], byte_range: ByteRange) -> Iterator[bytes]:
    """The bytes first..last of a stream of chunks, read no further than needed."""
    position = 0
    for chunk in chunks:
        end = position + len(chunk)
        if end > byte_range.first:
            yield chunk[max(0, byte_range.first - position) : byte_range.last + 1 - position]
        position = end
        if position > byte_range.last:
            break
