"""Why a draft service refused to act, in plain words for the admin.

Every error here has `user_message`, like talk.errors.TalkError, so a page shows either kind the
same way. None of them means anything was sent to Zendesk.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateformat import format as format_date

from ivr.engine.lookups import PhoneNumber


def when(moment: datetime) -> str:
    """ "at 14:05" today, else "on 3 March at 14:05", in the site's time zone."""
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return f"at {format_date(local, 'H:i')}"
    return f"on {format_date(local, 'j F')} at {format_date(local, 'H:i')}"


class DraftError(Exception):
    """A draft service refused; nothing was sent to Zendesk."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @property
    def user_message(self) -> str:
        return self.message


class StaleDraft(DraftError):
    """The draft changed since the admin loaded it: acting now would overwrite that change.

    `changes` says what changed meanwhile, by whom and when (ivr.services.draft_edits), in
    sentences such as "Eddie Editor at 09:00: Press 5 in menu 'Main menu' now goes to …"."""

    def __init__(
        self,
        *,
        changed_by: str,
        changed_at: datetime,
        version: int,
        changes: tuple[str, ...] = (),
    ) -> None:
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.version = version
        self.changes = changes
        if changes:
            said = " ".join(changes)
            super().__init__(
                f"This draft changed after you loaded it. {said} Nothing was changed: "
                "reload the draft to see their changes, then try again."
            )
            return
        super().__init__(
            f"{changed_by} changed this draft {when(changed_at)}, after you loaded it. "
            "Nothing was changed: reload the draft to see their changes, then try again."
        )


class DraftGone(DraftError):
    """The draft was published or discarded meanwhile (by `closed_by`, when known)."""

    def __init__(
        self,
        *,
        closed_by: str = "",
        closed_at: datetime | None = None,
        published: bool | None = None,
    ) -> None:
        self.closed_by = closed_by
        if closed_by and closed_at is not None and published is not None:
            what = "published" if published else "discarded"
            super().__init__(
                f"This draft no longer exists: {closed_by} {what} it {when(closed_at)}. "
                "Reload the IVR to see what is live now."
            )
            return
        super().__init__(
            "This draft no longer exists: someone published or discarded it meanwhile. "
            "Reload the IVR to see what is live now."
        )


class DraftBusy(DraftError):
    """A publish of this draft is running; the draft cannot change until it ends."""

    def __init__(self, *, publisher: str, since: datetime | None) -> None:
        self.publisher = publisher
        self.since = since
        started = when(since) if since is not None else "just now"
        super().__init__(
            f"{publisher} started publishing this draft {started} and it is not finished "
            "yet. Nothing was changed: wait a moment, then reload the IVR."
        )


class DraftExists(DraftError):
    """Another draft with unpublished changes would be replaced."""

    def __init__(self, *, changed_by: str, changed_at: datetime) -> None:
        self.changed_by = changed_by
        self.changed_at = changed_at
        super().__init__(
            f"This IVR already has a draft with unpublished changes, last changed by "
            f"{changed_by} {when(changed_at)}. Publish or discard that draft first, "
            "or choose to replace it."
        )


class MenuNoLongerThere(DraftError):
    """The menu of the same name Zendesk had is gone, or no longer one of the draft's choices."""

    def __init__(self) -> None:
        super().__init__(
            "That menu is no longer in Zendesk as it was shown (someone may have renamed or "
            "deleted it). Nothing was changed: review the draft again below."
        )


class CannotRevert(DraftError):
    """The change set chosen does not say what the IVR looked like afterwards."""


class ImportRefused(DraftError):
    """The file cannot be read as an IVR."""


class NumbersTaken(ValidationError):
    """Some chosen numbers answer with another IVR now: moving them needs the admin's tick.

    `taken` lists each such number with the name of the IVR it answers with now.
    """

    def __init__(self, taken: list[tuple[PhoneNumber, str]]) -> None:
        super().__init__(
            {
                "move_taken": [
                    "These numbers answer with another IVR now. Tick the box to move them to "
                    "this one, or untick them in the list."
                ]
            }
        )
        self.taken = taken
