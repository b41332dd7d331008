"""What can go wrong when TalkAdmin talks to Dialpad, as typed errors in plain words.

The same kinds, and the same wording, as the Zendesk and Yeastar sides: not configured, auth,
not found, invalid (with each field's message), too large, rate limited, unavailable (with
`may_have_applied` when a write's answer was lost). Views show `user_message`, and for `Invalid`
each of `field_messages()` beside its field; `str(error)` is the technical summary for logs.

Dialpad's "HTTP Status Codes" page lists 400 (with "detailed error messages"), 401, 403, 404,
409, 413, 429 and 5xx; the shape of an error's body is not documented, so `message` is whatever
text Dialpad's answer carried (dialpad.failures reads the usual shapes). No error carries the
API key: messages are built from the path, the status and Dialpad's own message only.
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

# Dialpad's field names in the words an admin sees next to a field.
FIELD_LABELS = {
    "name": "Name",
    "description": "Description",
    "file": "Recording",
    "ivr_type": "Situation",
    "ivr_id": "Recording",
    "target_type": "Kind of target",
    "target_id": "Target",
    "select_option": "Inbound or outbound",
}


class DialpadError(PhoneSystemError):
    """A Dialpad API call that did not succeed.

    status: the HTTP status, or None when no answer came (timeout, connection error).
    message: Dialpad's own error text ("" when it sent none).
    description: what went wrong, for logs and the audit row.
    details: field name -> messages, where Dialpad's answer names fields.
    method, path: the request without host or credentials, e.g. "PATCH /api/v2/customivrs/7".
    """

    retryable = False
    system_name = "Dialpad"

    def __init__(
        self,
        description: str = "",
        *,
        status: int | None = None,
        message: str = "",
        details: dict[str, list[str]] | None = None,
        method: str = "",
        path: str = "",
    ):
        self.status = status
        self.message = message
        self.description = description
        self.details = details or {}
        self.method = method
        self.path = path
        super().__init__(self._summary())

    def _summary(self) -> str:
        parts = [f"{self.method} {self.path}".strip() or "Dialpad API call"]
        parts.append(f"answered {self.status}" if self.status else "got no answer")
        if self.description:
            parts.append(f"- {self.description}")
        if self.message and self.message != self.description:
            parts.append(f"({self.message})")
        if self.details:
            parts.append(f"{self.details}")
        return " ".join(parts)

    @property
    def user_message(self) -> str:
        reason = f" ({self.message.rstrip('.')})" if self.message else ""
        return (
            f"Dialpad refused this request{reason}. Nothing was changed. If it happens again, "
            "tell whoever runs TalkAdmin."
        )

    def field_messages(self) -> list[tuple[str, str]]:
        """(label, message) pairs of the fields Dialpad refused, for showing beside them."""
        return [
            (FIELD_LABELS.get(name, name.replace("_", " ").capitalize()), text)
            for name, texts in self.details.items()
            for text in texts
        ]


class NotConfigured(DialpadError):
    """No usable DIALPAD_* settings (nothing was sent)."""

    @property
    def user_message(self) -> str:
        return (
            "TalkAdmin is not connected to Dialpad. Whoever runs TalkAdmin must set "
            f"{self.description}"
        )

    def _summary(self) -> str:
        return f"Dialpad API not configured: {self.description}"


class NotSendable(DialpadError, PhoneSystemRefused):
    """TalkAdmin refused to send the request: a value Dialpad's documents rule out (a WAV file,
    a name over 100 characters). `details` says which field and why; nothing reached Dialpad."""

    @property
    def user_message(self) -> str:
        reasons = [f"{label}: {text}" for label, text in self.field_messages()]
        text = "This cannot be sent to Dialpad"
        if reasons:
            text += ": " + "; ".join(reason.rstrip(".") for reason in reasons)
        return text + ". Nothing was sent."


class NotOffered(DialpadError):
    """A 404 that is not Dialpad's JSON: there is no Dialpad API at DIALPAD_BASE_URL."""

    @property
    def user_message(self) -> str:
        return (
            "There is no Dialpad API at the configured address. Whoever runs TalkAdmin should "
            "check DIALPAD_BASE_URL (https://dialpad.com, or https://sandbox.dialpad.com for "
            "Dialpad's own sandbox). Nothing was changed."
        )


class AuthError(DialpadError):
    """401: the API key is missing, wrong, expired or revoked."""

    @property
    def user_message(self) -> str:
        return (
            "Dialpad did not accept TalkAdmin's API key. Whoever runs TalkAdmin should check "
            "DIALPAD_API_KEY (a company admin makes one under Admin Settings > My Company > "
            "Authentication > API Keys; keys can expire). Nothing was changed."
        )


class Forbidden(DialpadError):
    """403: the key is valid but may not do this (scope, or not a company admin's key)."""

    @property
    def user_message(self) -> str:
        return (
            "Dialpad accepted TalkAdmin's API key but does not allow it to do this. Whoever "
            "runs TalkAdmin should use a company admin's API key with the scopes this needs. "
            "Nothing was changed."
        )


class NotFound(DialpadError, PhoneSystemGone):
    """404: the office, department, call centre, user or recording is not (any more) there."""

    @property
    def user_message(self) -> str:
        return (
            "Dialpad no longer has this: someone may have removed it, for example in Dialpad's "
            "own admin settings. Reload the page to see what Dialpad holds now."
        )


class Invalid(DialpadError, PhoneSystemRefused):
    """400 (or 409): Dialpad refused the request as it stands; `message` and `details` say why."""

    @property
    def user_message(self) -> str:
        reasons = [f"{label}: {text}" for label, text in self.field_messages()]
        if not reasons and self.message:
            reasons = [self.message]
        text = "Dialpad did not accept the change"
        if reasons:
            text += ": " + "; ".join(reason.rstrip(".") for reason in reasons)
        return text + ". Nothing was changed by this attempt."


class TooLarge(DialpadError, PhoneSystemRefused):
    """413: the request (a recording) is larger than Dialpad takes."""

    @property
    def user_message(self) -> str:
        return (
            "Dialpad refused the recording as too large. Use a shorter or smaller MP3 file. "
            "Nothing was changed."
        )


class RateLimited(DialpadError, PhoneSystemBusy):
    """429: too many requests for the company's budget (20 a second, per Dialpad)."""

    retryable = True

    def __init__(self, description: str = "", *, retry_after: float | None = None, **kwargs: Any):
        self.retry_after = retry_after
        super().__init__(description, **kwargs)

    @property
    def user_message(self) -> str:
        seconds = max(1, round(self.retry_after)) if self.retry_after else None
        wait = f"in {seconds} seconds" if seconds else "in a moment"
        return (
            "Dialpad is receiving too many requests from your company right now. Nothing was "
            f"changed by this attempt; try again {wait}."
        )


class Unavailable(DialpadError, PhoneSystemDown):
    """5xx, timeouts, connection errors, answers that are not Dialpad's JSON.

    may_have_applied is True when a write reached Dialpad but its answer was lost (a read
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
                "Dialpad did not confirm the change in time, so it may or may not have been "
                "made. Reload the page to see what Dialpad holds before trying again."
            )
        return (
            "Dialpad is not answering right now. Nothing was changed by this attempt; try "
            "again in a minute."
        )
