"""The request and response examples of Yeastar's ivr/get document (../shared/talk-api/).

The document is read when it sits beside the checkout; otherwise the saved copy beside this
file is used (tests/yeastar/test_documented_example.py keeps the two equal). Refresh the copy
with `python -m tests.yeastar.documented`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.talk.zendesk_examples import CANDIDATE_FOLDERS

DOCUMENT = "yeastar-ivr-get.txt"
SAVED = Path(__file__).with_name("yeastar_ivr_get_example.json")


def document_path() -> Path | None:
    return next((f / DOCUMENT for f in CANDIDATE_FOLDERS if (f / DOCUMENT).is_file()), None)


def examples_from_document(text: str) -> dict[str, Any]:
    """{"method", "path", "query", "status", "response"} of the document's example."""
    request_line = next(line for line in text.splitlines() if line.startswith("GET /openapi/"))
    method, target, _ = request_line.split()
    status_at = text.index("HTTP/1.1 200 OK", text.index(request_line))
    response = json.JSONDecoder().raw_decode(text, text.index("{", status_at))[0]
    parts = urlsplit(target)
    return {
        "method": method,
        "path": parts.path,
        "query": dict(parse_qsl(parts.query)),
        "status": 200,
        "response": response,
    }


def ivr_get_example() -> dict[str, Any]:
    path = document_path()
    if path is not None:
        return examples_from_document(path.read_text())
    return json.loads(SAVED.read_text())


if __name__ == "__main__":
    found = document_path()
    if found is None:
        raise SystemExit("shared/talk-api/yeastar-ivr-get.txt not found beside this checkout")
    SAVED.write_text(json.dumps(examples_from_document(found.read_text()), indent=1) + "\n")
