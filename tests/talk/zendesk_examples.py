"""Every JSON object in Zendesk's IVR and phone-number documents (../shared/talk-api/)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DOCUMENTS = ("zendesk-ivrs.txt", "zendesk-phone-numbers.txt")
REPOSITORY = Path(__file__).resolve().parents[2]
# shared/ sits beside the checkout (CI), or beside the folder of worktrees.
CANDIDATE_FOLDERS = [base / "shared" / "talk-api" for base in REPOSITORY.parents[:2]]
SAVED = Path(__file__).with_name("zendesk_examples.json")


def json_objects(text: str) -> list[Any]:
    """The outermost JSON objects found anywhere in `text` (code samples included), deduplicated."""
    decoder = json.JSONDecoder()
    found: list[Any] = []
    seen: set[str] = set()
    position = text.find("{")
    while position != -1:
        try:
            value, end = decoder.raw_decode(text, position)
        except ValueError:
            position = text.find("{", position + 1)
            continue
        key = json.dumps(value, sort_keys=True)
        if value and key not in seen:  # `{}` is Go code (`&http.Client {}`), not an example
            seen.add(key)
            found.append(value)
        position = text.find("{", end)
    return found


def documents_folder() -> Path | None:
    return next((folder for folder in CANDIDATE_FOLDERS if folder.is_dir()), None)


def examples_from_documents(folder: Path) -> dict[str, list[Any]]:
    return {name: json_objects((folder / name).read_text()) for name in DOCUMENTS}


def saved_examples() -> dict[str, list[Any]]:
    return json.loads(SAVED.read_text())


if __name__ == "__main__":  # refresh the saved copy: python -m tests.talk.zendesk_examples
    folder = documents_folder()
    if folder is None:
        raise SystemExit("shared/talk-api/ not found beside this checkout")
    SAVED.write_text(json.dumps(examples_from_documents(folder), indent=1) + "\n")
