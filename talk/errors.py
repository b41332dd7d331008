"""What can go wrong when TalkAdmin talks to Zendesk, as typed errors with plain-language messages.

Views and templates only ever see these: they show `user_message` to the admin (and, for
`Invalid`, each message of `details` next to its field); `str(error)` is the technical summary
for logs. No error carries a credential: messages are built from the method, path, status and
Zendesk's own error body, never from request headers.
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

# Zendesk field names (422 details keys) in the words an admin sees next to a field.
FIELD_LABELS = {
    "base": "",
    "name": "Name",
    "keypress": "Keypress",
    "action": "Action",
    "options": "Where the call goes",
    "greeting_id": "Greeting",
    "menu_id": "Menu",
    "group_ids": "Groups",
    "phone_number": "Phone number",
    "phone_number_ids": "Phone numbers",
    "nickname": "Nickname",
    "token": "Number to get",
    "address_sid": "Address",
    "ivr_id": "IVR",
    "schedule_id": "Schedule",
    "category_id": "Category",
    "upload": "Audio file",
    "audio": "Audio file",
}


def field_label(field: str) -> str:
    """A field's label for an admin: known names from FIELD_LABELS, else the key in words."""
    if field in FIELD_LABELS:
        return FIELD_LABELS[field]
    return field.rsplit(".", 1)[-1].replace("_", " ").capitalize()


class TalkError(PhoneSystemError):
    """A Talk API call that did not succeed.

    status: the HTTP status, or None when no answer came (timeout, connection error).
    code: Zendesk's error code ("RecordInvalid", "RecordNotFound", ...), "" when absent.
    description: Zendesk's description of the error, "" when absent.
    details: field name -> list of messages (422 answers), e.g. {"keypress": ["is already used"]}.
    request_id: the X-Zendesk-Request-Id of the answer, "" when absent (quote it to Zendesk).
    retryable: whether trying the same call again later can help.
    method, path: the request, without host or credentials (for logs).
    """

    retryable = False
    system_name = "Zendesk"  # how pages name the system that failed

    def __init__(
        self,
        description: str = "",
        *,
        status: int | None = None,
        code: str = "",
        details: dict[str, list[str]] | None = None,
        request_id: str = "",
        method: str = "",
        path: str = "",
        retryable: bool | None = None,
    ):
        self.status = status
        self.code = code
        self.description = description
        self.details = details or {}
        self.request_id = request_id
        self.method = method
        self.path = path
        if retryable is not None:
            self.retryable = retryable
        super().__init__(self._summary())

    def _summary(self) -> str:
        parts = [f"{self.method} {self.path}".strip() or "Talk API call"]
        parts.append(f"answered {self.status}" if self.status else "got no answer")
        if self.code:
            parts.append(self.code)
        if self.description:
            parts.append(f"- {self.description}")
        if self.details:
            parts.append(f"{self.details}")
        if self.request_id:
            parts.append(f"(Zendesk request id {self.request_id})")
        return " ".join(parts)

    @property
    def is_write(self) -> bool:
        return self.method in {"POST", "PUT", "PATCH", "DELETE"}

    @property
    def user_message(self) -> str:
        """What happened, in plain words for a non-technical admin."""
        reason = f" ({self.description.rstrip('.')})" if self.description else ""
        reference = f" and quote Zendesk's reference {self.request_id}" if self.request_id else ""
        return (
            f"Zendesk refused this request{reason}. Nothing was changed. If it happens again, "
            f"tell whoever runs TalkAdmin{reference}."
        )

    def field_messages(self) -> list[tuple[str, str]]:
        """(label, message) pairs of a 422's details, for showing next to fields or in a list."""
        return [
            (field_label(field), message)
            for field, messages in self.details.items()
            for message in messages
        ]


class NotConfigured(TalkError):
    """TalkAdmin has no usable Talk API settings (nothing was sent)."""

    @property
    def user_message(self) -> str:
        return (
            "TalkAdmin is not connected to Zendesk yet. Whoever runs TalkAdmin must set "
            f"{self.description}"
        )

    def _summary(self) -> str:
        return f"Talk API not configured: {self.description}"


class AuthError(TalkError):
    """401 or 403: Zendesk refused the credentials, or the account they belong to lacks rights."""

    @property
    def user_message(self) -> str:
        if self.status == 403:
            return (
                "Zendesk refused: the Zendesk user whose API token TalkAdmin uses is not allowed "
                "to do this (it needs to be a Talk admin). Whoever runs TalkAdmin should check "
                "which user TALK_EMAIL names, or use a token of an admin. Nothing was changed."
            )
        return (
            "Zendesk did not accept TalkAdmin's credentials. Whoever runs TalkAdmin should check "
            "TALK_EMAIL and TALK_API_TOKEN (or TALK_OAUTH_TOKEN) and TALK_SUBDOMAIN. "
            "Nothing was changed."
        )


class NotFound(TalkError, PhoneSystemGone):
    """404: the IVR, menu, route or number does not exist (any more) in Zendesk."""

    @property
    def user_message(self) -> str:
        return (
            "Zendesk no longer has this: someone may have deleted it, for example in Zendesk's "
            "Admin Center. Reload the page to see what Zendesk holds now."
        )


class Invalid(TalkError, PhoneSystemRefused):
    """422 (or 400): Zendesk refused the change as invalid; `details` says which field and why."""

    @property
    def user_message(self) -> str:
        reasons = [
            f"{label}: {message}" if label else message for label, message in self.field_messages()
        ]
        if not reasons and self.description:
            reasons = [self.description.rstrip(".")]
        text = "Zendesk did not accept the change"
        if reasons:
            text += ": " + "; ".join(reason.rstrip(".") for reason in reasons)
        return text + ". Nothing was changed by this attempt."


class RateLimited(TalkError, PhoneSystemBusy):
    """429: too many requests for the account's API budget; `retry_after` says how long to wait."""

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
            "Your Zendesk account is receiving too many requests right now (Zendesk's own pages "
            f"count too). Nothing was changed by this attempt; try again {wait}."
        )


class Unavailable(TalkError, PhoneSystemDown):
    """5xx, timeouts and connection errors: Zendesk did not answer properly.

    may_have_applied is True when a write reached Zendesk but its answer was lost (a read
    timeout, or a 500/502/504): the change may or may not have been made.
    """

    retryable = True

    def __init__(self, description: str = "", *, may_have_applied: bool = False, **kwargs: Any):
        self.may_have_applied = may_have_applied
        super().__init__(description, **kwargs)

    @property
    def user_message(self) -> str:
        if self.may_have_applied:
            return (
                "Zendesk did not confirm the change in time, so it may or may not have been "
                "made. Reload the page to see what Zendesk holds before trying again."
            )
        return (
            "Zendesk is not answering right now. Nothing was changed by this attempt; "
            "try again in a minute."
        )


class NotRecorded(TalkError):
    """The audit log could not keep a write on record before it was sent, so it was not sent."""

    retryable = True

    @property
    def user_message(self) -> str:
        return (
            "TalkAdmin could not write this change into its audit log first, so it did not send "
            "it to Zendesk: nothing was changed by this attempt. Try again in a minute; if it "
            "happens again, tell whoever runs TalkAdmin."
        )


class NoAudio(TalkError):
    """The greeting has nothing to play: its audio was never uploaded (description "pending"),
    or it is one of Zendesk's silent "None" defaults (description "silent"). Nothing was sent."""

    @property
    def user_message(self) -> str:
        if self.description == "pending":
            return (
                "This greeting has no recording in Zendesk yet: its audio was never uploaded, "
                "so callers hear nothing from it."
            )
        return "This greeting is silence: callers hear nothing from it."


class UnusableAudio(TalkError):
    """A file that cannot be a greeting's audio (empty, over 10 MB, not MP3 or WAV by its
    bytes), refused before anything was sent; `details` says why under "audio"."""

    def __init__(self, reason: str):
        super().__init__(reason, details={"audio": [reason]})

    @property
    def user_message(self) -> str:
        return f"{self.description} Nothing was sent to Zendesk."


class BudgetUnavailable(TalkError):
    """The shared rate budget could not be counted (its database or cache did not answer), so
    the request was not sent: TalkAdmin never calls Zendesk without counting the call first."""

    retryable = True

    @property
    def user_message(self) -> str:
        return (
            "TalkAdmin's own storage did not answer while it counted this request against your "
            "Zendesk API limit, so nothing was sent to Zendesk. Try again in a minute; if it "
            "keeps happening, tell whoever runs TalkAdmin."
        )
