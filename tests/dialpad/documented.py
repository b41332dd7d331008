"""What Dialpad documents for the endpoints TalkAdmin uses, for contract tests.

- `assign_document()`: the path enums and body fields of ../shared/talk-api/dialpad-custom-ivrs.txt
  (PATCH /api/v2/customivrs/{target_type}/{target_id}/{ivr_type}). The document is read when it
  sits beside the checkout; otherwise the saved copy beside this file is used
  (test_documented.py keeps the two equal). Refresh it with `python -m tests.dialpad.documented`.
- `openapi()`: an excerpt of Dialpad's OpenAPI description (dialpad_openapi_excerpt.json: each
  operation's parameters, request fields, answer fields and example; its "source" says where
  it comes from).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tests.talk.zendesk_examples import CANDIDATE_FOLDERS

DOCUMENT = "dialpad-custom-ivrs.txt"
SAVED = Path(__file__).with_name("dialpad_custom_ivrs_document.json")
OPENAPI = Path(__file__).with_name("dialpad_openapi_excerpt.json")


def document_path() -> Path | None:
    return next((f / DOCUMENT for f in CANDIDATE_FOLDERS if (f / DOCUMENT).is_file()), None)


def _values(text: str, start: str, end: str) -> list[str]:
    section = text[text.index(start) : text.index(end, text.index(start))]
    return re.findall(r'•\s+"([A-Za-z_]+)"', section)


def from_document(text: str) -> dict[str, Any]:
    """{"method", "path", "rate_limit", "target_types", "ivr_types", "body", "select_options"}."""
    request_line = text.strip().splitlines()[0]
    method, path = request_line.split()
    return {
        "method": method,
        "path": path,
        "rate_limit": re.search(r"Rate limit: (.+?)\.", text).group(1),
        "target_types": _values(text, "target_type String Yes", "target_id Integer"),
        "ivr_types": _values(text, "ivr_type String Yes", "Request headers"),
        "body": {
            "ivr_id": "ivr_id Integer Yes" in text,
            "select_option": "select_option String No" in text,
        },
        "select_options": _values(text, "select_option String No", "How to start"),
    }


def assign_document() -> dict[str, Any]:
    path = document_path()
    if path is not None:
        return from_document(path.read_text())
    return json.loads(SAVED.read_text())


def openapi() -> dict[str, Any]:
    return json.loads(OPENAPI.read_text())


def operation(method: str, path: str) -> dict[str, Any]:
    return next(
        op for op in openapi()["operations"] if (op["method"], op["path"]) == (method, path)
    )


if __name__ == "__main__":
    found = document_path()
    if found is None:
        raise SystemExit(f"shared/talk-api/{DOCUMENT} not found beside this checkout")
    SAVED.write_text(json.dumps(from_document(found.read_text()), indent=1) + "\n")
