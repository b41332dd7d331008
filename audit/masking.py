"""Keep secrets out of the audit log, whatever the caller forgot to mask.

The Talk client masks request bodies before it reports a call; the audit log masks again
everything it stores (request and response bodies, snapshots, error texts), by key name and by
value, because an audit row can never be corrected afterwards.
"""

import re
from typing import Any

from django.conf import settings

MASK = "[masked]"

# Keys whose values are credentials. A bare "token" is deliberately not here: in the Talk API
# it is the phone-number provisioning handle from a number search, not a credential.
_SECRET_KEY = re.compile(
    r"password|passwd|secret|api_?key|api_?token|access_?token|refresh_?token|oauth"
    r"|authorization|credential|private_?key|session_?id|_token$",
    re.IGNORECASE,
)
# Shorter configured values are not searched for: they would mask ordinary words.
_MIN_SECRET_LENGTH = 8


def is_secret_key(key: str) -> bool:
    return bool(_SECRET_KEY.search(key.replace("-", "_")))


def configured_secrets() -> list[str]:
    """The secret values in this site's settings, which must never be stored anywhere."""
    database_passwords = [database.get("PASSWORD", "") for database in settings.DATABASES.values()]
    values = [
        getattr(settings, "TALK_API_TOKEN", ""),
        getattr(settings, "TALK_OAUTH_TOKEN", ""),
        getattr(settings, "YEASTAR_CLIENT_SECRET", ""),
        getattr(settings, "DIALPAD_API_KEY", ""),
        settings.SECRET_KEY,
        *database_passwords,  # the site's and, when set, the owner's (DATABASE_OWNER_URL)
        *settings.AUDIT_HMAC_KEYS.secrets(),  # the keys that sign audit rows (audit.signing)
    ]
    return sorted({v for v in values if v and len(v) >= _MIN_SECRET_LENGTH}, key=len, reverse=True)


def mask_text(text: str, secrets: list[str] | None = None) -> str:
    """`text` with every configured secret value replaced by [masked]."""
    for secret in configured_secrets() if secrets is None else secrets:
        text = text.replace(secret, MASK)
    return text


def mask_secrets(value: Any, secrets: list[str] | None = None) -> Any:
    """A copy of a JSON value with credential-named keys and configured secret values masked."""
    if secrets is None:
        secrets = configured_secrets()
    if isinstance(value, dict):
        return {
            key: (
                MASK
                if isinstance(key, str) and is_secret_key(key) and item not in (None, "")
                else mask_secrets(item, secrets)
            )
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [mask_secrets(item, secrets) for item in value]
    if isinstance(value, str):
        return mask_text(value, secrets)
    return value
