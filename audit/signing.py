"""Row signing: every audit row carries an HMAC-SHA256 tag made with a key the database never holds.

The hash chain (audit.chain) proves order and integrity, not authorship: anyone allowed to
INSERT into the audit tables can compute the next row's SHA-256 and append a row that chains
perfectly. The tag is HMAC-SHA256 over the very bytes the chain hashes, keyed with a secret kept
outside the database (AUDIT_HMAC_KEYS, or AUDIT_HMAC_KEYS_FILE), so only TalkAdmin can write a
row whose tag checks; `manage.py audit_verify` names every row whose tag does not.

Keys have ids. Each row stores the id of the key that signed it (covered by the row's hash and
tag), so keys can be rotated: the first key listed signs new rows, the others only check the
rows they signed. Keys are written `id:secret`, separated by commas or new lines:

    AUDIT_HMAC_KEYS=2026-06:Wk3v...,2025-01:q9Xe...

An id is 1 to 32 letters, digits, dots, dashes or underscores; a secret at least 32 characters
with no space or comma (`python -c "import secrets; print(secrets.token_urlsafe(32))"`).
This module imports nothing of Django's models: settings build their SigningKeys with it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

KEY_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")
MIN_SECRET_LENGTH = 32
# With DEBUG on and no key configured (a developer's machine), like Django's insecure SECRET_KEY.
DEVELOPMENT_KEY_ID = "development-only"
_DEVELOPMENT_SECRET = "talkadmin-development-only-audit-signing-key-never-use-in-production"  # noqa: S105


class SigningKeyError(ValueError):
    """The configured keys cannot be used; the message says what to fix, never a secret."""


@dataclass(frozen=True)
class SigningKey:
    key_id: str
    secret: str = field(repr=False)

    def tag(self, content: bytes) -> str:
        return hmac.new(self.secret.encode(), content, hashlib.sha256).hexdigest()


class SigningKeys:
    """The keys of one installation: `current` signs, every key checks the rows it signed."""

    def __init__(self, keys: Iterable[SigningKey]) -> None:
        self._keys = tuple(keys)
        if not self._keys:
            raise SigningKeyError("no key is given")
        self._by_id = {key.key_id: key for key in self._keys}
        if len(self._by_id) != len(self._keys):
            raise SigningKeyError("two keys have the same id; every key needs an id of its own")

    @classmethod
    def parse(cls, text: str, *, source: str) -> SigningKeys:
        """Keys written `id:secret`, separated by commas or new lines; `#` starts a comment line.

        `source` names where the text came from, for the error message (never the text itself).
        """
        keys = []
        entries = (part.strip() for line in text.splitlines() for part in line.split(","))
        for number, entry in enumerate(e for e in entries if e and not e.startswith("#")):
            key_id, colon, secret = entry.partition(":")
            where = f"key {number + 1} of {source}"
            if not colon or not KEY_ID.fullmatch(key_id):
                raise SigningKeyError(
                    f"{where} does not start with an id and a colon (id:secret); an id is 1 to "
                    "32 letters, digits, dots, dashes or underscores"
                )
            if len(secret) < MIN_SECRET_LENGTH or any(c.isspace() for c in secret):
                raise SigningKeyError(
                    f"{where} (id {key_id!r}) has a secret shorter than {MIN_SECRET_LENGTH} "
                    "characters or with spaces; make one with "
                    '`python -c "import secrets; print(secrets.token_urlsafe(32))"`'
                )
            keys.append(SigningKey(key_id, secret))
        if not keys:
            raise SigningKeyError(f"{source} holds no key")
        return cls(keys)

    @classmethod
    def development(cls) -> SigningKeys:
        return cls([SigningKey(DEVELOPMENT_KEY_ID, _DEVELOPMENT_SECRET)])

    @property
    def current(self) -> SigningKey:
        return self._keys[0]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(key.key_id for key in self._keys)

    def sign(self, content: bytes) -> str:
        """The current key's tag of `content` (the row's id of that key is `current.key_id`)."""
        return self.current.tag(content)

    def check(self, key_id: str, tag: str | None, content: bytes) -> bool | None:
        """True when `tag` is the tag of `content` by key `key_id`; None when no such key is
        configured (retired, or an id someone made up), so the tag cannot be checked."""
        key = self._by_id.get(key_id)
        if key is None:
            return None
        return tag is not None and hmac.compare_digest(key.tag(content), tag)

    def secrets(self) -> list[str]:
        """Every secret, so the audit log can mask them wherever they might be written."""
        return [key.secret for key in self._keys]

    def __repr__(self) -> str:
        # Settings may be printed (diffsettings, error reports): ids only, never a secret.
        others = f"; also checks {', '.join(self.ids[1:])}" if len(self._keys) > 1 else ""
        return f"SigningKeys(signs with {self.current.key_id}{others})"


def load_signing_keys(*, keys_text: str, keys_file: str, debug: bool) -> SigningKeys:
    """The installation's keys from AUDIT_HMAC_KEYS or the file AUDIT_HMAC_KEYS_FILE names.

    With neither set, DEBUG on gets the development key and DEBUG off is refused: production
    must not write rows anyone could forge. Raises SigningKeyError with a message to show.
    """
    if keys_text.strip() and keys_file:
        raise SigningKeyError(
            "AUDIT_HMAC_KEYS and AUDIT_HMAC_KEYS_FILE are both set; set only one of them"
        )
    if keys_file:
        try:
            with open(keys_file, encoding="utf-8") as file:
                keys_text = file.read()
        except OSError as error:
            raise SigningKeyError(
                f"AUDIT_HMAC_KEYS_FILE is {keys_file}, which cannot be read ({error.strerror})"
            ) from None
        return SigningKeys.parse(keys_text, source=f"AUDIT_HMAC_KEYS_FILE ({keys_file})")
    if keys_text.strip():
        return SigningKeys.parse(keys_text, source="AUDIT_HMAC_KEYS")
    if debug:
        return SigningKeys.development()
    raise SigningKeyError(
        "AUDIT_HMAC_KEYS is missing. With DEBUG off, TalkAdmin signs every audit row with a key "
        "kept outside the database: set AUDIT_HMAC_KEYS=id:secret (or AUDIT_HMAC_KEYS_FILE to a "
        "file holding it; see .env.example)"
    )
