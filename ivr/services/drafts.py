"""The shared draft of an IVR: open it, edit it, bring it up to date, revert, discard.

Every change to a draft happens under a row lock (select_for_update) and checks the version the
admin's page loaded: if someone else changed the draft since, the change is refused with
StaleDraft, naming who and when, instead of silently overwriting their work. While a publish
runs, the draft is claimed (`publishing_since`) and every other change is refused with
DraftBusy. Talk API reads happen before the lock is taken, never inside a transaction.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from audit.actor import Actor
from audit.constants import TargetType
from audit.models import ChangeSet
from greetings.services import Use, UseKind
from ivr.engine.adoption import SentCreate
from ivr.engine.document import DocumentError, IvrDocument, menu_key_for_id, new_menu_key
from ivr.engine.edit import rekey_menu
from ivr.engine.lookups import Lookups
from ivr.engine.merge import merge_draft
from ivr.models import Draft, DraftSource
from ivr.services.draft_edits import authors_of, edit_words, record_edit, stale_draft
from ivr.services.errors import CannotRevert, DraftBusy, DraftExists
from ivr.services.live import fetch_live_ivr
from ivr.services.presence import draft_gone, note_closed

Edit = Callable[[IvrDocument], IvrDocument]


def get_draft(*, ivr_id: int) -> Draft | None:
    """The IVR's shared draft, if it has one."""
    return _drafts().filter(ivr_id=ivr_id).first()


def pending_drafts(*, ivr_ids: list[int] | None = None) -> dict[int, Draft]:
    """The drafts of these IVRs (default: all), by IVR id, for lists ("draft by Bob")."""
    drafts = _drafts()
    if ivr_ids is not None:
        drafts = drafts.filter(ivr_id__in=ivr_ids)
    return {draft.ivr_id: draft for draft in drafts}


def draft_authors(draft: Draft) -> list[AbstractBaseUser]:
    """The draft's authors: everyone who changed it (whoever started a revert, an undo or an
    import included), first change first. A draft that changes the IVR but has no record of
    who did it (started before the per-edit log) counts its starter and last editor. The one
    answer to "who wrote this draft": change control's segregation of duties reads it."""
    authors = list(authors_of(draft))
    if authors or not draft.has_changes:
        return authors
    for user in (draft.created_by, draft.updated_by):
        if user is not None and all(user.pk != known.pk for known in authors):
            authors.append(user)
    return authors


def open_draft(*, ivr_id: int, actor: Actor) -> Draft:
    """The IVR's shared draft: the existing one, or a new one copied from the live IVR."""
    existing = get_draft(ivr_id=ivr_id)
    if existing is not None:
        return existing
    live = fetch_live_ivr(ivr_id)
    try:
        draft, _ = Draft.objects.get_or_create(
            ivr_id=ivr_id,
            defaults={
                "document": live.document.to_json(),
                "base": live.json,
                "created_by_id": actor.user_id,
                "updated_by_id": actor.user_id,
            },
        )
    except IntegrityError:  # another admin opened it at the same moment
        draft = Draft.objects.get(ivr_id=ivr_id)
    return get_draft(ivr_id=draft.ivr_id) or draft


def edit_draft(
    *,
    draft: Draft,
    edit: Edit,
    actor: Actor,
    expected_version: int,
    words: str = "",
    lookups: Lookups | None = None,
) -> Draft:
    """Apply one edit (e.g. functools.partial(ivr.engine.edit.add_route, ...)) to the draft.

    Raises StaleDraft if the draft moved past `expected_version` (the version the admin's page
    showed), DraftBusy while it is being published, DraftGone if it was published or
    discarded; ivr.engine.edit.EditError from the edit itself passes through, and nothing is saved.
    The change is noted with its author (ivr.services.draft_edits), in `words` or, by default,
    the planner's sentences (names from `lookups`, default the account's cached ones).
    """
    with _locked(draft, expected_version=expected_version, actor=actor) as row:
        before = row.ivr_document()
        after = edit(before)
        row.document = after.to_json()
        _save_change(row, actor)
        record_edit(
            draft=row, actor=actor, before=before, after=after, words=words, lookups=lookups
        )
    return row


def edit_in_place(
    *, draft: Draft, change: Callable[[Draft], None], actor: Actor, expected_version: int
) -> Draft:
    """Change the draft's row itself (its document and its base) as one edit, under its lock,
    with the same refusals as `edit_draft`."""
    with _locked(draft, expected_version=expected_version, actor=actor) as row:
        before = row.ivr_document()
        change(row)
        _save_change(row, actor)
        record_edit(draft=row, actor=actor, before=before, after=row.ivr_document())
    return row


def discard_draft(*, draft: Draft, actor: Actor, expected_version: int | None = None) -> None:
    """Throw the draft away; the live IVR is untouched.

    `expected_version` (default: the version of `draft` as loaded) guards against discarding
    changes someone made after the admin's page was loaded.
    """
    version = draft.version if expected_version is None else expected_version
    with _locked(draft, expected_version=version, actor=actor) as row:
        row.delete()
        note_closed(ivr_id=row.ivr_id, actor=actor, published=False)


def rebase_draft(*, draft: Draft, actor: Actor, expected_version: int | None = None) -> Draft:
    """Take what changed in Zendesk since the draft began into it; the admin's changes stay.

    The conflict choice "keep my changes on top of Zendesk's": afterwards the draft's base is
    the live IVR, and its document is live with the draft's own changes on top (where both
    changed the same part, the draft's version is kept, for the admin to review).
    """
    live = fetch_live_ivr(draft.ivr_id)
    version = draft.version if expected_version is None else expected_version
    with _locked(draft, expected_version=version, actor=actor) as row:
        merged = merge_draft(base=row.base_document(), live=live.document, draft=row.ivr_document())
        row.document = merged.to_json()
        row.base = live.json
        _save_change(row, actor)
    return row


def revert_draft(
    *, ivr_id: int, change_set_id: int, actor: Actor, replace_draft: bool = False
) -> Draft:
    """A draft that makes the IVR look as it did after an earlier change set.

    The draft goes through the same checks, preview, conflict check and audited publish as
    any other; publishing it is recorded as a revert (Action.REVERT_IVR). Which phone numbers
    use the IVR is not part of it (see assign_ivr). Raises CannotRevert when that change set
    is not one of this IVR's or kept no "after" snapshot, and DraftExists when the IVR has a
    draft with unpublished changes (unless `replace_draft`).
    """
    snapshot = version_snapshot(ivr_id=ivr_id, change_set_id=change_set_id, when="after")
    live = fetch_live_ivr(ivr_id)
    document = restored_document(snapshot, live=live.document)
    return replace_with_new_draft(
        ivr_id=ivr_id,
        document=document,
        base=live.json,
        actor=actor,
        source=DraftSource.REVERT,
        source_change_set_id=change_set_id,
        replace_draft=replace_draft,
    )


def undo_draft(
    *, ivr_id: int, change_set_id: int, actor: Actor, replace_draft: bool = False
) -> Draft:
    """A draft that undoes an earlier change set: the IVR as it was just before it.

    Reviewed and published like any draft; publishing it is recorded as an undo of that change
    set when what goes live equals that earlier version. Raises CannotRevert when the change
    set is not one of this IVR's or kept no "before" snapshot, DraftExists as revert_draft.
    """
    snapshot = version_snapshot(ivr_id=ivr_id, change_set_id=change_set_id, when="before")
    live = fetch_live_ivr(ivr_id)
    document = restored_document(snapshot, live=live.document)
    return replace_with_new_draft(
        ivr_id=ivr_id,
        document=document,
        base=live.json,
        actor=actor,
        source=DraftSource.UNDO,
        source_change_set_id=change_set_id,
        replace_draft=replace_draft,
    )


def restored_version(draft: Draft) -> IvrDocument | None:
    """The earlier version a revert or undo draft restores (None for other drafts, or when the
    audit log no longer tells it)."""
    if draft.source_change_set_id is None or not (draft.is_revert or draft.is_undo):
        return None
    when = "before" if draft.is_undo else "after"
    try:
        snapshot = version_snapshot(
            ivr_id=draft.ivr_id, change_set_id=draft.source_change_set_id, when=when
        )
        return IvrDocument.from_zendesk(snapshot)
    except (CannotRevert, DocumentError):
        return None


def restored_document(snapshot: dict[str, Any], *, live: IvrDocument) -> IvrDocument:
    """An earlier snapshot of the IVR, made ready to publish over what is live now.

    Menus deleted since get new keys, to be created again; the IVR keeps its id and numbers.
    """
    try:
        document = IvrDocument.from_zendesk(snapshot)
    except DocumentError as error:
        raise CannotRevert(
            "That change set's record of the IVR cannot be read, so it cannot be restored."
        ) from error
    for menu in document.menus:
        if live.find_menu(menu.key) is None:
            new_key = new_menu_key()
            document = rekey_menu(document, old_key=menu.key, new_key=new_key)
            document = replace(
                document,
                menus=tuple(
                    replace(each, id=None) if each.key == new_key else each
                    for each in document.menus
                ),
            )
    return replace(
        document,
        id=live.id,
        phone_number_ids=live.phone_number_ids,
        phone_number_names=live.phone_number_names,
    )


def replace_with_new_draft(
    *,
    ivr_id: int,
    document: IvrDocument,
    base: dict[str, Any],
    actor: Actor,
    source: DraftSource,
    source_change_set_id: int | None = None,
    source_name: str = "",
    replace_draft: bool = False,
) -> Draft:
    """Make `document` the IVR's draft, replacing a draft only when it holds no changes.

    Starting it counts as its first change, by `actor` (see draft_authors)."""
    started = _started_words(source, source_change_set_id, source_name)
    words = f"{started} {edit_words(IvrDocument.from_zendesk(base), document)}".strip()
    try:
        _replace_draft(
            ivr_id=ivr_id,
            document=document,
            base=base,
            actor=actor,
            source=source,
            source_change_set_id=source_change_set_id,
            source_name=source_name,
            replace_draft=replace_draft,
            words=words,
        )
    except IntegrityError:  # another admin started a draft of this IVR at the same moment
        existing = get_draft(ivr_id=ivr_id)
        if existing is None:
            raise
        raise DraftExists(
            changed_by=existing.last_changed_by, changed_at=existing.updated_at
        ) from None
    created = get_draft(ivr_id=ivr_id)
    assert created is not None  # made just above, and only a publish or discard removes it
    return created


def _replace_draft(
    *,
    ivr_id: int,
    document: IvrDocument,
    base: dict[str, Any],
    actor: Actor,
    source: DraftSource,
    source_change_set_id: int | None,
    source_name: str,
    replace_draft: bool,
    words: str,
) -> None:
    with transaction.atomic():
        existing = Draft.objects.select_for_update().filter(ivr_id=ivr_id).first()
        if existing is not None:
            if existing.is_being_published():
                raise DraftBusy(publisher=existing.publisher, since=existing.publishing_since)
            if existing.has_changes and not replace_draft:
                raise DraftExists(
                    changed_by=existing.last_changed_by, changed_at=existing.updated_at
                )
            existing.delete()
        created = Draft.objects.create(
            ivr_id=ivr_id,
            document=document.to_json(),
            base=base,
            created_by_id=actor.user_id,
            updated_by_id=actor.user_id,
            source=source,
            source_change_set_id=source_change_set_id,
            source_name=source_name[:300],
        )
        record_edit(
            draft=created,
            actor=actor,
            before=IvrDocument.from_zendesk(base),
            after=document,
            words=words,
        )


def _started_words(source: DraftSource, change_set_id: int | None, source_name: str) -> str:
    if source == DraftSource.REVERT:
        return f"Started from how the IVR was after change #{change_set_id}."
    if source == DraftSource.UNDO:
        return f"Started from how the IVR was before change #{change_set_id} (an undo)."
    if source == DraftSource.IMPORT:
        return f"Imported from a file ({source_name})." if source_name else "Imported from a file."
    return ""


def record_created_menu(
    *, draft: Draft, menu_key: str, menu_id: int, answered: SentCreate | None = None
) -> None:
    """Zendesk created a draft's new menu: give it its id in the stored draft at once, so a
    publish that dies right now is not followed by one that creates the menu again. `answered`:
    the noted create this settles (forgotten in the same transaction)."""
    with transaction.atomic():
        row = Draft.objects.select_for_update().filter(pk=draft.pk).first()
        if row is None:
            return
        if answered is not None:
            row.unconfirmed_creates = _without(row, answered)
        document = row.ivr_document()
        if document.find_menu(menu_key) is not None:  # else rekeyed already, or removed
            row.document = rekey_menu(
                document, old_key=menu_key, new_key=menu_key_for_id(menu_id), menu_id=menu_id
            ).to_json()
            row.version += 1
        row.save(update_fields=["document", "version", "unconfirmed_creates"])


def note_sent_create(*, draft: Draft, create: SentCreate) -> None:
    """A create is about to be sent: note it with the draft first, so that if its answer never
    comes (or the process dies waiting), the next publish looks for what it made."""
    with transaction.atomic():
        row = Draft.objects.select_for_update().filter(pk=draft.pk).first()
        if row is not None:
            row.unconfirmed_creates = [*_without(row, create), create.to_json()]
            row.save(update_fields=["unconfirmed_creates"])


def forget_sent_create(*, draft: Draft, create: SentCreate) -> None:
    """Zendesk answered a noted create (made, or clearly refused): nothing is left to look for."""
    with transaction.atomic():
        row = Draft.objects.select_for_update().filter(pk=draft.pk).first()
        if row is not None:
            row.unconfirmed_creates = _without(row, create)
            row.save(update_fields=["unconfirmed_creates"])


def _without(row: Draft, create: SentCreate) -> list[dict[str, Any]]:
    return [noted.to_json() for noted in row.sent_creates() if not noted.same(create)]


# --- Locking ------------------------------------------------------------------------------------


def _drafts() -> QuerySet[Draft]:
    return Draft.objects.select_related("created_by", "updated_by", "publishing_by")


@contextmanager
def _locked(draft: Draft, *, expected_version: int, actor: Actor | None = None) -> Iterator[Draft]:
    """The draft's row, locked until the block ends, if nobody changed it meanwhile."""
    reader = actor.user_id if actor is not None else None
    with transaction.atomic():
        row = _drafts().select_for_update(of=("self",)).filter(pk=draft.pk).first()
        if row is None:
            raise draft_gone(draft.ivr_id, reader_id=reader)
        if row.is_being_published():
            raise DraftBusy(publisher=row.publisher, since=row.publishing_since)
        if row.version != expected_version:
            raise stale_draft(row, expected_version=expected_version, reader_id=reader)
        yield row


def _save_change(row: Draft, actor: Actor) -> None:
    row.version += 1
    row.updated_by_id = actor.user_id  # also forgets the previous editor's cached user
    row.updated_at = timezone.now()
    row.save()


def version_snapshot(*, ivr_id: int, change_set_id: int, when: str) -> dict[str, Any]:
    """The IVR as change set #N recorded it `when` ("before" or "after") it."""
    change_set = (
        ChangeSet.objects.select_related("outcome_row")
        .filter(pk=change_set_id, target_type=TargetType.IVR)
        .filter(Q(target_id=str(ivr_id)) | Q(target_id="", outcome_row__target_id=str(ivr_id)))
        .first()
    )
    if change_set is None:
        raise CannotRevert(
            f"Change #{change_set_id} is not a change of this IVR, so it cannot be restored here."
        )
    snapshot = change_set.after if when == "after" else change_set.before
    if not isinstance(snapshot, dict) or not snapshot.get("menus"):
        if when == "after":
            raise CannotRevert(
                f"Change #{change_set_id} did not record how the IVR looked afterwards, "
                "so there is nothing to restore from it."
            )
        raise CannotRevert(
            f"Change #{change_set_id} did not record how the IVR looked before it "
            "(it may have created the IVR), so it cannot be undone here."
        )
    return snapshot


def draft_greeting_uses() -> dict[int | str, list[Use]]:
    """The greetings unpublished drafts would play, by greeting id (greetings.services asks,
    so a greeting a draft plays is never deleted from under it)."""
    found: dict[int | str, list[Use]] = {}
    for draft in _drafts().order_by("ivr_id"):
        document = draft.ivr_document()
        for menu in document.menus:
            if menu.greeting_id is None:
                continue
            words = f"Menu '{menu.name}' in the unpublished draft of the IVR '{document.name}'"
            use = Use(UseKind.DRAFT, words, ivr_id=draft.ivr_id)
            found.setdefault(menu.greeting_id, []).append(use)
    return found
