"""Why a greeting service refused, or could not finish, in plain words for the admin.

Every error here has `user_message`, like the phone systems' errors (core.errors), so a page
shows either kind the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from core.errors import PhoneSystemError

if TYPE_CHECKING:
    from greetings.services.uses import Use


class GreetingRefused(Exception):
    """A greeting service refused to act; nothing was sent to Zendesk."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @property
    def user_message(self) -> str:
        return self.message


class GreetingInUse(GreetingRefused):
    """The greeting is still played somewhere (or a draft plays it): deleting it would leave
    those callers hearing Zendesk's default instead, so nothing was sent."""

    def __init__(self, name: str, uses: Sequence[Use]) -> None:
        self.uses = tuple(uses)
        count = len(self.uses)
        super().__init__(
            f"'{name}' cannot be deleted while it is used: {count} "
            f"place{'s' if count != 1 else ''} play{'' if count != 1 else 's'} it (listed "
            "below). Choose another greeting there first, then delete it."
        )


class ZendeskDefault(GreetingRefused):
    """Zendesk's own default greetings cannot be renamed, re-recorded or deleted."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"'{name}' is one of Zendesk's default greetings: Zendesk does not let anyone "
            "rename, re-record or delete it. Upload a greeting of your own instead."
        )


class NothingToPlay(Exception):
    """The greeting has no recording to play: never uploaded (pending), or a silent default."""

    def __init__(self, *, pending: bool) -> None:
        self.pending = pending
        super().__init__("pending" if pending else "silent")

    @property
    def user_message(self) -> str:
        if self.pending:
            return (
                "This greeting has no recording yet: its upload never finished, so callers "
                "hear nothing from it. An editor can try the upload again on the Greetings page."
            )
        return "This greeting is silence: callers hear nothing from it."


class UploadIncomplete(Exception):
    """Zendesk created the greeting but did not take its recording: it exists, incomplete
    (pending), and shows so on the Greetings page with "Try the upload again"."""

    def __init__(self, *, greeting_id: int | str, name: str, cause: PhoneSystemError) -> None:
        self.greeting_id = greeting_id
        self.name = name
        self.cause = cause
        super().__init__(f"greeting {greeting_id} created, its upload failed: {cause}")

    @property
    def user_message(self) -> str:
        return (
            f"Zendesk created the greeting '{self.name}' but did not take its recording "
            f"({self.cause.user_message}) It is listed as incomplete on the Greetings page: "
            "choose “Try the upload again” there."
        )
