"""Secrets are masked before a request or response body is kept anywhere (audit rows, logs).

No credential travels in a Talk request body today (credentials go in the Authorization
header, which is never recorded), so this is a defence in depth: any key named like a secret
is masked wherever it appears. The one exception is a phone number's `token` (`phone_number.token`
when provisioning, and each `phone_numbers[].token` of a search): it is a handle that reserves an
available number for a few minutes, not a credential, and the audit log must show which number
was provisioned.
"""

import re
from typing import Any

MASK = "********"
SECRET_KEY_PATTERN = re.compile(r"token|password|passwd|secret|api_?key|authori[sz]ation", re.I)
# Parent keys under which `token` is a number-reservation handle, not a credential.
NUMBER_TOKEN_PARENTS = frozenset({"phone_number", "phone_numbers"})


def mask_secrets(body: Any, *, parent: str = "") -> Any:
    """A copy of `body` (parsed JSON) with the value of every secret-looking key masked."""
    if isinstance(body, dict):
        masked = {}
        for key, value in body.items():
            if _is_secret(str(key), parent):
                masked[key] = MASK if value not in (None, "") else value
            else:
                masked[key] = mask_secrets(value, parent=str(key))
        return masked
    if isinstance(body, list):
        # Items of a list keep the list's key as their parent (phone_numbers[].token).
        return [mask_secrets(item, parent=parent) for item in body]
    return body


def _is_secret(key: str, parent: str) -> bool:
    if key == "token" and parent in NUMBER_TOKEN_PARENTS:
        return False
    return bool(SECRET_KEY_PATTERN.search(key))
