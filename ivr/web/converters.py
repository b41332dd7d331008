"""Keypresses in addresses: 0-9, "star", "hash" and "default" ("#" cannot travel in a path)."""

from ivr.engine.document import CALLER_KEYS

KEY_TOKENS = {**{key: key for key in CALLER_KEYS}, "*": "star", "#": "hash", "default": "default"}
KEYPRESS_FOR_TOKEN = {token: keypress for keypress, token in KEY_TOKENS.items()}


def keypress_token(keypress: str) -> str:
    """The word a keypress travels as in an address ("*" → "star")."""
    return KEY_TOKENS.get(keypress, keypress)


class KeypressConverter:
    """A route's key in a URL path; a key the menu does not have is the view's 404."""

    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        return KEYPRESS_FOR_TOKEN.get(value, value)

    def to_url(self, value: str) -> str:
        return keypress_token(value)
