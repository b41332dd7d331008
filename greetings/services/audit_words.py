"""Greeting change sets in the audit log's words: what was created, recorded, renamed, deleted,
or what its words became. The snapshots are greetings.services.writing's: {"greeting": Zendesk's
JSON, "recording": type, size, length and SHA-256 of what was uploaded, "script": the words}."""

from __future__ import annotations

from typing import Any

from audit.describe import NOTHING, DescribedChange, Names
from greetings.services.audio import seconds_words, size_words
from greetings.services.categories import category_words

SCRIPT_SHOWN = 120  # characters of the words quoted in a sentence


def describe_greeting_change(*, before: Any, after: Any, names: Names) -> list[DescribedChange]:
    before = before if isinstance(before, dict) else {}
    after = after if isinstance(after, dict) else {}
    old = before.get("greeting") or {}
    new = after.get("greeting") or {}
    changes: list[DescribedChange] = []
    if new and not old:
        kind = category_words(new.get("category_id"))
        changes.append(
            DescribedChange(
                f"Created the greeting '{new.get('name', '')}' ({kind}).",
                "Greeting",
                NOTHING,
                f"'{new.get('name', '')}'",
            )
        )
    elif old and not new and "script" not in after:
        changes.append(
            DescribedChange(
                f"Deleted the greeting '{old.get('name', '')}'.",
                "Greeting",
                f"'{old.get('name', '')}'",
                NOTHING,
            )
        )
    elif old and new and old.get("name") != new.get("name"):
        changes.append(
            DescribedChange(
                f"Renamed the greeting from '{old.get('name', '')}' to '{new.get('name', '')}'.",
                "Name",
                f"'{old.get('name', '')}'",
                f"'{new.get('name', '')}'",
            )
        )
    recording = after.get("recording")
    if isinstance(recording, dict):
        changes.append(_recording_change(recording, replaced=bool(old.get("audio_url"))))
    elif new and new.get("pending"):
        changes.append(
            DescribedChange(
                "The greeting has no recording: its upload did not finish.",
                "Recording",
                NOTHING,
                "none (incomplete)",
            )
        )
    if "script" in after and after.get("script") != before.get("script"):
        changes.append(_script_change(before.get("script") or "", after.get("script") or ""))
    return changes


def _recording_change(recording: dict[str, Any], *, replaced: bool) -> DescribedChange:
    seconds = float(recording.get("seconds") or 0)
    size = int(recording.get("size") or 0)
    sha256 = str(recording.get("sha256") or "")
    kind = {"audio/mpeg": "MP3", "audio/wav": "WAV"}.get(str(recording.get("content_type")), "")
    facts = f"{seconds_words(seconds)}, {kind} {size_words(size)}, SHA-256 {sha256}".strip()
    verb = "Replaced the recording with" if replaced else "Uploaded a recording of"
    return DescribedChange(
        f"{verb} {seconds_words(seconds)} ('{recording.get('file_name', '')}', "
        f"{size_words(size)}, SHA-256 {sha256[:12]}…).",
        "Recording",
        "an earlier recording" if replaced else NOTHING,
        facts,
    )


def _script_change(old: str, new: str) -> DescribedChange:
    if not new:
        sentence = f"Forgot the greeting's words (they were “{_shown(old)}”)."
    elif not old:
        sentence = f"Wrote down the greeting's words: “{_shown(new)}”."
    else:
        sentence = f"Changed the greeting's words from “{_shown(old)}” to “{_shown(new)}”."
    return DescribedChange(sentence, "Words", old or NOTHING, new or NOTHING)


def _shown(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SCRIPT_SHOWN else text[: SCRIPT_SHOWN - 1].rstrip() + "…"
