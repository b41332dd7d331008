"""Secrets are masked before a request or response body is kept anywhere (audit rows, logs).

Credentials normally travel in headers or query strings that are never recorded, so this is a
defence in depth: the value of any key named like a secret is masked wherever it appears. A
client whose API uses such a name for something that is not a credential (Zendesk's phone-number
`token`, a reservation handle) passes the exception as `not_secret`.
"""

import re
from collections.abc import Callable
from typing import Any

MASK = "********"
SECRET_KEY_PATTERN = re.compile(r"token|password|passwd|secret|api_?key|authori[sz]ation", re.I)
NotSecret = Callable[[str, str], bool]  # (key, parent key) -> the value is not a credential


def _never(key: str, parent: str) -> bool:
    return False


def mask_secrets(body: Any, *, parent: str = "", not_secret: NotSecret = _never) -> Any:
    """A copy of `body` (parsed JSON) with the value of every secret-looking key masked."""
    if isinstance(body, dict):
        masked = {}
        for key, value in body.items():
            name = str(key)
            if SECRET_KEY_PATTERN.search(name) and not not_secret(name, parent):
                masked[key] = MASK if value not in (None, "") else value
            else:
                masked[key] = mask_secrets(value, parent=name, not_secret=not_secret)
        return masked
    if isinstance(body, list):
        # Items of a list keep the list's key as their parent (phone_numbers[].token).
        return [mask_secrets(item, parent=parent, not_secret=not_secret) for item in body]
    return body
