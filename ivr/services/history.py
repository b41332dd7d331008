"""An IVR's history page: its change sets from the audit log, and which of them can be gone back to.

Read-only. The IVR's name comes from Zendesk when it answers, else from the newest change set,
so the history of a deleted IVR (or one Zendesk cannot read right now) still shows.
"""

from dataclasses import dataclass

from django.db.models import Q

import talk
from audit.constants import Action, Outcome, TargetType
from audit.models import ChangeSet
from audit.review import LogFilter, LogPage, log_page
from core.errors import PhoneSystemError, PhoneSystemGone

# Changes to the IVR's menus and keys (not which numbers use it): what an undo can take back.
_UNDOABLE = (Action.PUBLISH_IVR, Action.REVERT_IVR, Action.IMPORT_IVR)


@dataclass(frozen=True)
class HistoryEntry:
    change_set: ChangeSet
    can_revert: bool  # it kept how the IVR looked afterwards, and the IVR still exists
    can_undo: bool = False  # it kept how the IVR looked before it, and the IVR still exists


@dataclass(frozen=True)
class IvrHistory:
    ivr_name: str
    ivr_gone: bool  # Zendesk has no IVR with this id (any more)
    read_error: PhoneSystemError | None  # Zendesk could not be asked; the log still shows
    page: LogPage
    entries: list[HistoryEntry]


def ivr_history(
    *, ivr_id: int, before: int | None, after: int | None, size: int, may_revert: bool
) -> IvrHistory | None:
    """One page of the IVR's change sets, newest first; None when neither Zendesk nor the
    audit log knows the IVR. `may_revert`: whether the reader may go back to a version."""
    page = log_page(
        LogFilter(target_type=TargetType.IVR, target_id=str(ivr_id)),
        before=before,
        after=after,
        size=size,
    )
    name, gone, read_error = "", False, None
    try:
        name = talk.get_client().get_ivr(ivr_id).name or ""
    except PhoneSystemGone:
        gone = True
    except PhoneSystemError as error:
        read_error = error
    if gone and not page.change_sets and page.is_first:
        return None
    if not name and page.change_sets:
        name = page.change_sets[0].target_name
    revertible = _revertible(page.change_sets) if may_revert and not gone else set()
    undoable = _undoable(page.change_sets) if may_revert and not gone else set()
    entries = [
        HistoryEntry(change_set=cs, can_revert=cs.pk in revertible, can_undo=cs.pk in undoable)
        for cs in page.change_sets
    ]
    return IvrHistory(
        ivr_name=name, ivr_gone=gone, read_error=read_error, page=page, entries=entries
    )


def change_set_by_id(change_set_id: int) -> ChangeSet | None:
    return ChangeSet.objects.filter(pk=change_set_id).first()


def _revertible(change_sets: list[ChangeSet]) -> set[int]:
    """The change sets that kept the IVR as it was afterwards (with its menus): one query."""
    ids = [cs.pk for cs in change_sets]
    return set(
        ChangeSet.objects.filter(pk__in=ids, outcome_row__after__has_key="menus")
        .filter(~Q(outcome_row__outcome=Outcome.FAILED))
        .values_list("pk", flat=True)
    )


def _undoable(change_sets: list[ChangeSet]) -> set[int]:
    """The change sets that changed the IVR and kept how it was before them: one query."""
    ids = [cs.pk for cs in change_sets]
    return set(
        ChangeSet.objects.filter(pk__in=ids, before__has_key="menus", action__in=_UNDOABLE)
        .filter(~Q(outcome_row__outcome=Outcome.FAILED))
        .values_list("pk", flat=True)
    )
