"""Who changed what in a shared draft: one DraftEdit row per change, in plain words.

Written under the draft's row lock by ivr.services.drafts, read by publishing (who made which
change; every author named in the change set) and by the editor (what changed since the
admin's page was loaded).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

from audit.actor import Actor
from core.errors import PhoneSystemError
from ivr.engine.diff import compare
from ivr.engine.document import IvrDocument
from ivr.engine.lookups import Lookups
from ivr.engine.plan import PlanError, plan_changes
from ivr.models import Draft, DraftEdit
from ivr.services.errors import StaleDraft, when
from ivr.services.live import load_ivr_lookups


def record_edit(
    *,
    draft: Draft,
    actor: Actor,
    before: IvrDocument,
    after: IvrDocument,
    words: str = "",
    lookups: Lookups | None = None,
) -> DraftEdit:
    """Note one change the draft just took (`draft.version` is the version it made)."""
    parts = sorted(list(part) for part in compare(before, after).touched())
    return DraftEdit.objects.create(
        draft=draft,
        user_id=actor.user_id,
        user_name=actor.display_name,
        version=draft.version,
        words=words or edit_words(before, after, lookups),
        parts=parts,
    )


def edit_words(before: IvrDocument, after: IvrDocument, lookups: Lookups | None = None) -> str:
    """A change to a draft in the planner's sentences ("Key 5 of the menu ... now goes to ...")."""
    if lookups is None:
        lookups = _lookups()
    try:
        sentences = plan_changes(live=before, desired=after, lookups=lookups).sentences
    except PlanError:
        sentences = ()
    if sentences:
        return " ".join(sentences)
    count = compare(before, after).count
    if count == 0:
        return "Changed nothing that callers hear."
    return f"Changed {count} part{'s' if count != 1 else ''} of the IVR."


def _lookups() -> Lookups:
    try:  # the Talk client's cached lists: most edits cost no request
        return load_ivr_lookups()
    except PhoneSystemError:  # the change is made anyway; its words then lack names
        return Lookups()


def edits_of(draft: Draft) -> list[DraftEdit]:
    return list(DraftEdit.objects.filter(draft_id=draft.pk).order_by("version", "pk"))


def edits_since(draft: Draft, *, version: int) -> list[DraftEdit]:
    """The changes made after the admin's page showed `version`, oldest first."""
    return list(
        DraftEdit.objects.filter(draft_id=draft.pk, version__gt=version).order_by("version", "pk")
    )


def authors_of(draft: Draft) -> list[AbstractBaseUser]:
    """See ivr.services.drafts.draft_authors."""
    user_ids: list[int] = []
    for edit in edits_of(draft):
        if edit.user_id is not None and edit.user_id not in user_ids:
            user_ids.append(edit.user_id)
    if not user_ids:  # a draft from before changes were noted one by one
        fallback = draft.updated_by_id or draft.created_by_id
        user_ids = [fallback] if fallback is not None and draft.has_changes else []
    users = get_user_model().objects.in_bulk(user_ids)
    return [users[user_id] for user_id in user_ids if user_id in users]


@dataclass(frozen=True)
class AuthorShare:
    """How many of a draft's changes one admin made."""

    user_id: int | None
    name: str
    changes: int


def shares_of(draft: Draft) -> list[AuthorShare]:
    """Each author's number of changes, first author first."""
    counts: dict[int | None, AuthorShare] = {}
    for edit in edits_of(draft):
        share = counts.get(edit.user_id)
        name = share.name if share else edit.user_name
        counts[edit.user_id] = AuthorShare(edit.user_id, name, (share.changes if share else 0) + 1)
    return list(counts.values())


def shares_sentence(shares: Sequence[AuthorShare], *, reader_id: int | None) -> str:
    """ "your 1 change and Eddie Editor's 2" (the reader first); "" when nobody is noted."""
    ordered = sorted(shares, key=lambda share: share.user_id != reader_id)
    words = []
    for index, share in enumerate(ordered):
        noun = "change" if share.changes == 1 else "changes"
        count = f"{share.changes} {noun}" if index == 0 else str(share.changes)
        owner = "your" if share.user_id == reader_id else f"{share.name}'s"
        words.append(f"{owner} {count}")
    if len(words) <= 1:
        return words[0] if words else ""
    return ", ".join(words[:-1]) + " and " + words[-1]


def what_changed(edits: Sequence[DraftEdit], *, reader_id: int | None) -> tuple[str, ...]:
    """Each change in words with who and when: "Eddie Editor at 09:00: Press 5 … ." ("You, in
    another window," when the reader made it); at most three, then how many more."""
    said = []
    for edit in edits[:3]:
        who = "You, in another window," if edit.user_id == reader_id else edit.user_name
        said.append(f"{who} {when(edit.made_at)}: {edit.words}")
    if len(edits) > 3:
        more = len(edits) - 3
        said.append(f"And {more} more change{'s' if more != 1 else ''}.")
    return tuple(said)


def stale_draft(row: Draft, *, expected_version: int, reader_id: int | None) -> StaleDraft:
    """The refusal for a change made on an out-of-date page, saying what changed since."""
    changes = what_changed(edits_since(row, version=expected_version), reader_id=reader_id)
    return StaleDraft(
        changed_by=row.last_changed_by,
        changed_at=row.updated_at,
        version=row.version,
        changes=changes,
    )
