"""What can go wrong when TalkAdmin talks to a Yeastar PBX, as typed errors in plain words.

The same kinds, and the same wording, as the Zendesk side (talk.errors): not configured, auth,
not found, invalid (with each field's message), rate limited, unavailable (with
`may_have_applied` when a write's answer was lost). Views show `user_message`, and for `Invalid`
each of `field_messages()` next to its field; `str(error)` is the technical summary for logs.

A Yeastar PBX reports most failures inside a 200 answer (`{"errcode": 40002, "errmsg":
"PARAMETER ERROR", "invalid_param_list": [...]}`), so `errcode` and `errmsg` are kept beside the
HTTP status. No error carries a credential: messages are built from the endpoint, the status and
the PBX's own error fields, never from the query string (which carries the access token).
"""

from __future__ import annotations

from typing import Any

from core.errors import (
    PhoneSystemBusy,
    PhoneSystemDown,
    PhoneSystemError,
    PhoneSystemGone,
    PhoneSystemRefused,
)

# Yeastar's field names (invalid_param_list[].field) in the words an admin sees next to a field.
FIELD_LABELS = {
    "id": "IVR",
    "number": "Number",
    "name": "Name",
    "prompt": "Prompt",
    "prompt_repeat": "Times the prompt plays",
    "resp_timeout": "Seconds to wait for a key",
    "digit_timeout": "Seconds between keys",
    "dial_ext_option": "Dialling extensions",
    "dial_ext_list": "Extensions callers may dial",
    "restrict_dial_ext_list": "Extensions callers may not dial",
    "timeout_dest": "When the caller presses nothing",
    "invalid_dest": "When the caller presses a wrong key",
    "press_hash_dest": "Key #",
    "press_star_dest": "Key *",
    "username or password": "",
    "refresh_token": "",
}


def field_label(field: str) -> str:
    """A Yeastar field's label for an admin: "Key 1" for press1_dest_value, and so on."""
    base = field.removesuffix("_value").removesuffix("_prefix")
    if base in FIELD_LABELS:
        return FIELD_LABELS[base]
    if base.startswith("press") and base.endswith("_dest") and base[5:-5].isdigit():
        return f"Key {base[5:-5]}"
    return field.replace("_", " ").capitalize()


class YeastarError(PhoneSystemError):
    """A Yeastar API call that did not succeed.

    status: the HTTP status, or None when no answer came (timeout, connection error).
    errcode, errmsg: the PBX's own error code and message (None and "" when it sent none).
    description: what went wrong, for logs and the audit row.
    details: field name -> messages, from invalid_param_list and duplicate_field_list.
    method, path: the request without host or access token, e.g. "POST /openapi/v1.0/ivr/update".
    retryable: whether trying the same call again later can help.
    """

    retryable = False
    system_name = "the Yeastar PBX"  # how pages name the system that failed

    def __init__(
        self,
        description: str = "",
        *,
        status: int | None = None,
        errcode: int | None = None,
        errmsg: str = "",
        details: dict[str, list[str]] | None = None,
        method: str = "",
        path: str = "",
    ):
        self.status = status
        self.errcode = errcode
        self.errmsg = errmsg
        self.description = description
        self.details = details or {}
        self.method = method
        self.path = path
        super().__init__(self._summary())

    def _summary(self) -> str:
        parts = [f"{self.method} {self.path}".strip() or "Yeastar API call"]
        parts.append(f"answered {self.status}" if self.status else "got no answer")
        if self.errcode is not None:
            parts.append(f"errcode {self.errcode} {self.errmsg}".rstrip())
        if self.description:
            parts.append(f"- {self.description}")
        if self.details:
            parts.append(f"{self.details}")
        return " ".join(parts)

    @property
    def user_message(self) -> str:
        """What happened, in plain words for a non-technical admin."""
        reason = f" ({self.description.rstrip('.')})" if self.description else ""
        return (
            f"The Yeastar PBX refused this request{reason}. Nothing was changed. If it happens "
            "again, tell whoever runs TalkAdmin."
        )

    def field_messages(self) -> list[tuple[str, str]]:
        """(label, message) pairs of the fields the PBX refused, for showing beside them."""
        return [
            (field_label(field), message)
            for field, messages in self.details.items()
            for message in messages
        ]


class NotConfigured(YeastarError):
    """No usable YEASTAR_* settings (nothing was sent)."""

    @property
    def user_message(self) -> str:
        return (
            "TalkAdmin is not connected to the Yeastar PBX. Whoever runs TalkAdmin must set "
            f"{self.description}"
        )

    def _summary(self) -> str:
        return f"Yeastar API not configured: {self.description}"


class AuthError(YeastarError):
    """The PBX refused the client id and secret, or the access token it gave."""

    @property
    def user_message(self) -> str:
        return (
            "The Yeastar PBX did not accept TalkAdmin's credentials. Whoever runs TalkAdmin "
            "should check YEASTAR_CLIENT_ID and YEASTAR_CLIENT_SECRET (the PBX shows them under "
            "Integrations > API) and YEASTAR_BASE_URL; the PBX also refuses new tokens while 8 "
            "of this application's tokens are still valid. Nothing was changed."
        )


class NotFound(YeastarError, PhoneSystemGone):
    """The IVR (or other object) the call names does not exist (any more) on the PBX."""

    @property
    def user_message(self) -> str:
        return (
            "The Yeastar PBX no longer has this: someone may have deleted it, for example on "
            "the PBX's own web portal. Reload the page to see what the PBX holds now."
        )


class Invalid(YeastarError, PhoneSystemRefused):
    """The PBX refused the change as invalid; `details` says which field and why."""

    @property
    def user_message(self) -> str:
        reasons = [
            f"{label}: {message}" if label else message for label, message in self.field_messages()
        ]
        if not reasons and self.description:
            reasons = [self.description.rstrip(".")]
        text = "The Yeastar PBX did not accept the change"
        if reasons:
            text += ": " + "; ".join(reason.rstrip(".") for reason in reasons)
        return text + ". Nothing was changed by this attempt."


class NotOffered(YeastarError):
    """HTTP 404: there is no such API at YEASTAR_BASE_URL (wrong address, or the API is off)."""

    @property
    def user_message(self) -> str:
        return (
            "The Yeastar PBX at the configured address does not offer its API. Whoever runs "
            "TalkAdmin should check YEASTAR_BASE_URL and that the API is enabled on the PBX "
            "(Integrations > API). Nothing was changed."
        )


class RateLimited(YeastarError, PhoneSystemBusy):
    """HTTP 429: the PBX (or a proxy before it) asks TalkAdmin to slow down."""

    retryable = True

    def __init__(self, description: str = "", *, retry_after: float | None = None, **kwargs: Any):
        self.retry_after = retry_after
        super().__init__(description, **kwargs)

    @property
    def user_message(self) -> str:
        wait = (
            f"in {max(1, round(self.retry_after))} seconds" if self.retry_after else "in a minute"
        )
        return (
            "The Yeastar PBX is receiving too many requests right now. Nothing was changed by "
            f"this attempt; try again {wait}."
        )


class Unavailable(YeastarError, PhoneSystemDown):
    """5xx, timeouts, connection errors, answers that are not the PBX's JSON.

    may_have_applied is True when a write reached the PBX but its answer was lost (a read
    timeout, a broken connection, a 500/502/504): the change may or may not have been made.
    """

    retryable = True

    def __init__(self, description: str = "", *, may_have_applied: bool = False, **kwargs: Any):
        self.may_have_applied = may_have_applied
        super().__init__(description, **kwargs)

    @property
    def user_message(self) -> str:
        if self.may_have_applied:
            return (
                "The Yeastar PBX did not confirm the change in time, so it may or may not have "
                "been made. Reload the page to see what the PBX holds before trying again."
            )
        return (
            "The Yeastar PBX is not answering right now. Nothing was changed by this attempt; "
            "try again in a minute."
        )


class NotRecorded(YeastarError):
    """The audit log could not keep a write on record before it was sent, so it was not sent."""

    retryable = True

    @property
    def user_message(self) -> str:
        return (
            "TalkAdmin could not write this change into its audit log first, so it did not send "
            "it to the Yeastar PBX: nothing was changed by this attempt. Try again in a minute; "
            "if it happens again, tell whoever runs TalkAdmin."
        )
