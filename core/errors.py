"""What pages know about a phone system's failures, whichever system it is.

Each service-layer package (talk/ for Zendesk Talk, and the packages of other phone systems)
raises its own typed errors; they all derive from these, so views, forms and the failure page
handle them without importing a phone system's package. Every error carries `user_message`, a
plain sentence for a non-technical admin; `str(error)` is the technical summary for logs.
"""

from __future__ import annotations


class PhoneSystemError(Exception):
    """A call to a phone system that did not succeed (nothing known beyond that)."""

    # Whether trying the same call again later can help.
    retryable: bool = False
    # A write reached the system but its answer was lost: it may or may not have been applied.
    may_have_applied: bool = False
    # The system's own reference for its answer, to quote to its support ("" when none).
    request_id: str = ""
    # How pages name the system that failed ("Zendesk").
    system_name: str = "the phone system"

    @property
    def user_message(self) -> str:
        return "The phone system refused this request. Nothing was changed."

    def field_messages(self) -> list[tuple[str, str]]:
        """(label, message) pairs of a refusal that names fields; empty for other failures."""
        return []


class PhoneSystemGone(PhoneSystemError):
    """The thing asked for does not exist (any more) in the phone system: a 404."""


class PhoneSystemBusy(PhoneSystemError):
    """Too many requests for the account's budget; `retry_after` says how long to wait."""

    retryable = True
    retry_after: float | None = None


class PhoneSystemRefused(PhoneSystemError):
    """The system refused the change as invalid; `field_messages()` says which field and why."""


class PhoneSystemDown(PhoneSystemError):
    """The system did not answer properly (timeouts, 5xx, connection errors)."""

    retryable = True
