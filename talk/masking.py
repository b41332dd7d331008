"""Secrets are masked before a request or response body is kept anywhere (audit rows, logs).

No credential travels in a Talk request body today (credentials go in the Authorization
header, which is never recorded), so this is a defence in depth: any key named like a secret
is masked wherever it appears (core.api_calls.masking). The one exception is a phone number's
`token` (`phone_number.token` when provisioning, and each `phone_numbers[].token` of a search): it
is a handle that reserves an available number for a few minutes, not a credential, and the audit log
must show which number was provisioned.
"""

from typing import Any

from core.api_calls import masking
from core.api_calls.masking import MASK

# Parent keys under which `token` is a number-reservation handle, not a credential.
NUMBER_TOKEN_PARENTS = frozenset({"phone_number", "phone_numbers"})

__all__ = ["MASK", "NUMBER_TOKEN_PARENTS", "mask_secrets"]


def _number_token(key: str, parent: str) -> bool:
    return key == "token" and parent in NUMBER_TOKEN_PARENTS


def mask_secrets(body: Any, *, parent: str = "") -> Any:
    """A copy of `body` (parsed JSON) with the value of every secret-looking key masked."""
    return masking.mask_secrets(body, parent=parent, not_secret=_number_token)
