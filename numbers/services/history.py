"""A phone number's history: its change sets in the audit log, newest first.

Settings saves and releases name the number as their target. A provisioning change set names it
in its outcome (Zendesk gives the number its id only once it is created, after the intent row is
written), which audit.review's target filter follows; those recorded before outcomes could name
a target are found by the id in their "after" snapshot. IVR changes that decide which IVR
answers the number (an IVR assigned to it or taken off it, an IVR deleted) are recorded against
the IVR and name the number among their phone numbers; they are listed apart.

Each part is its own query on an index (target, or action), so a log of millions of change sets
costs a few index range scans, never a scan of the whole log; the parts are merged here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

import talk
from audit.constants import Action, Outcome, TargetType
from audit.models import ChangeSet
from audit.review import recent_history
from core.errors import PhoneSystemError, PhoneSystemGone
from numbers.services.releasing import number_label

LIMIT = 50
# IVR changes that can change which IVR answers a number; they name the numbers concerned.
IVR_ACTIONS_ON_NUMBERS = (Action.ASSIGN_IVR, Action.DELETE_IVR)


@dataclass(frozen=True)
class NumberHistory:
    number_id: int
    own: list[ChangeSet]  # changes made to the number itself
    through_ivrs: list[ChangeSet]  # IVR changes that named it

    @property
    def last_known_name(self) -> str:
        """The number's name as the newest change set recorded it (for a released number)."""
        for change_set in self.own:
            if change_set.target_name:
                return change_set.target_name
        return ""


def _newest(change_sets: QuerySet[ChangeSet], limit: int) -> list[ChangeSet]:
    return list(change_sets.select_related("outcome_row").order_by("-id")[:limit])


def number_history(number_id: int, *, limit: int = LIMIT) -> NumberHistory:
    """The newest `limit` change sets of the number, and of IVR changes that named it."""
    key = str(int(number_id))
    targeted = recent_history(target_type=TargetType.PHONE_NUMBER, target_id=key, limit=limit)
    provisioned_earlier = _newest(
        ChangeSet.objects.filter(
            action=Action.PROVISION_PHONE_NUMBER, outcome_row__after__id=int(number_id)
        ),
        limit,
    )
    own = sorted({c.pk: c for c in [*targeted, *provisioned_earlier]}.values(), key=lambda c: -c.pk)
    named = Q(names__phone_number__has_key=key) | Q(outcome_row__names__phone_number__has_key=key)
    through_ivrs = _newest(
        ChangeSet.objects.filter(action__in=IVR_ACTIONS_ON_NUMBERS).filter(named), limit
    )
    return NumberHistory(number_id=int(number_id), own=own[:limit], through_ivrs=through_ivrs)


@dataclass(frozen=True)
class NumberHistoryPage:
    """A number's history, and how to name it: as Zendesk has it now, else as last recorded."""

    history: NumberHistory
    name: str
    gone: bool  # Zendesk no longer has the number (released)
    read_error: PhoneSystemError | None  # Zendesk could not say (the history still shows)


def number_history_page(*, number_id: int) -> NumberHistoryPage:
    """The number's history from the audit log, named from Zendesk when it can answer.

    The audit log answers without Zendesk, so neither a released number nor Zendesk failing
    stops the page: `gone` and `read_error` say which happened.
    """
    history = number_history(number_id)
    name, gone, read_error = "", False, None
    try:
        name = number_label(talk.get_client().get_phone_number(number_id, include=()))
    except PhoneSystemGone:
        gone = True
    except PhoneSystemError as error:
        read_error = error
    return NumberHistoryPage(
        history=history, name=name or history.last_known_name, gone=gone, read_error=read_error
    )


def last_settings_change(number_id: int) -> ChangeSet | None:
    """The newest settings change of the number, when it applied (what "Undo" offers)."""
    newest = (
        ChangeSet.objects.select_related("outcome_row")
        .filter(target_type=TargetType.PHONE_NUMBER, target_id=str(int(number_id)))
        .order_by("-id")
        .first()
    )
    if newest is None or newest.action != Action.UPDATE_PHONE_NUMBER:
        return None
    return newest if newest.status == Outcome.APPLIED else None
