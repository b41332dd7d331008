"""The sandbox company's records: who can play recordings (targets) and the recordings.

Targets are kept per target type in the shape Dialpad's list endpoints answer (offices,
departments, call centres and users whole; the other kinds, which TalkAdmin never lists, as
{"id", "name"}). Recordings ("custom IVRs") are kept with what Dialpad's answers show of them
plus what the API never shows: the target and situation they belong to, the directions they
play for (`plays_for`: "inbound" and "outbound", both for every situation but a call centre's
AUTO_RECORDING, which may differ) and their audio's size and SHA-256 (the audio itself is never
served by Dialpad's API, so the sandbox keeps no bytes).

Tests change the company directly, as an admin would in Dialpad's own settings, by editing these
dicts under `with state.lock:` (nothing is validated there).
"""

from __future__ import annotations

import copy
import json
import threading
from pathlib import Path
from typing import Any

from sandbox.state import write_json_atomically

TARGET_TYPES = (
    "callcenter", "callrouter", "channel", "coachinggroup", "coachingteam", "department",
    "office", "room", "staffgroup", "unknown", "user",
)  # fmt: skip
UPLOAD_TARGET_TYPES = ("callcenter", "coachingteam", "department", "office", "user")
DIRECTIONS = ("inbound", "outbound")
FIRST_RECORDING_ID = 5_000_000_000_000_000


class DialpadState:
    """All records of one sandbox company, guarded by `lock` (the server is threaded)."""

    def __init__(self, data: dict[str, Any] | None = None):
        self.lock = threading.RLock()
        self.load(data or {})

    def load(self, data: dict[str, Any]) -> None:
        """Replace everything with `data` (the shape to_json produces)."""
        with self.lock:
            self.company: dict[str, Any] = copy.deepcopy(data.get("company") or {})
            self.targets: dict[str, dict[int, dict[str, Any]]] = {
                kind: {int(item["id"]): copy.deepcopy(item) for item in records}
                for kind, records in (data.get("targets") or {}).items()
            }
            for kind in TARGET_TYPES:
                self.targets.setdefault(kind, {})
            self.recordings: dict[int, dict[str, Any]] = {
                int(item["id"]): copy.deepcopy(item) for item in data.get("recordings") or []
            }

    def to_json(self) -> dict[str, Any]:
        with self.lock:
            return {
                "company": copy.deepcopy(self.company),
                "targets": {
                    kind: copy.deepcopy([records[i] for i in sorted(records)])
                    for kind, records in self.targets.items()
                },
                "recordings": copy.deepcopy([self.recordings[i] for i in sorted(self.recordings)]),
            }

    def save(self, path: Path) -> None:
        write_json_atomically(path, self.to_json())

    @classmethod
    def from_file(cls, path: Path, *, default: dict[str, Any]) -> DialpadState:
        if path.exists():
            return cls(json.loads(path.read_text()))
        return cls(default)

    # --- queries ------------------------------------------------------------------------------
    def target(self, kind: str, target_id: int) -> dict[str, Any] | None:
        return self.targets.get(kind, {}).get(target_id)

    def named(self, kind: str, name: str) -> dict[str, Any]:
        """A target by its name (for tests: `state.named("office", "London")`)."""
        return next(t for t in self.targets[kind].values() if t["name"] == name)

    def recordings_of(self, kind: str, target_id: int, ivr_type: str | None = None) -> list[Any]:
        """A target's recordings (of one situation), oldest first."""
        return sorted(
            (
                record
                for record in self.recordings.values()
                if record["target_type"] == kind
                and int(record["target_id"]) == target_id
                and (ivr_type is None or record["ivr_type"] == ivr_type)
            ),
            key=lambda record: (record["date_added"], record["id"]),
        )

    def recording_named(self, name: str) -> dict[str, Any]:
        return next(r for r in self.recordings.values() if r["name"] == name)

    def new_recording_id(self) -> int:
        return max(self.recordings, default=FIRST_RECORDING_ID) + 1

    def select(self, recording: dict[str, Any], directions: tuple[str, ...] = DIRECTIONS) -> None:
        """Make `recording` the one its situation plays, for `directions` (others lose them)."""
        for other in self.recordings_of(
            recording["target_type"], int(recording["target_id"]), recording["ivr_type"]
        ):
            other["plays_for"] = [d for d in other.get("plays_for", []) if d not in directions]
        recording["plays_for"] = [
            d for d in DIRECTIONS if d in directions or d in recording.get("plays_for", [])
        ]


def recording_json(record: dict[str, Any]) -> dict[str, Any]:
    """A recording as Dialpad's answers show it (CustomIvrDetailsProto): 64-bit numbers as
    strings, as in Dialpad's examples; description and text only when it has them."""
    shown: dict[str, Any] = {
        "date_added": str(record["date_added"]),
        "id": str(record["id"]),
        "name": record.get("name", ""),
        "selected": bool(record.get("plays_for")),
    }
    if record.get("description"):
        shown["description"] = record["description"]
    if record.get("text"):
        shown["text"] = record["text"]
    return dict(sorted(shown.items()))
