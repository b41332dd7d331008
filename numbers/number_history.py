"""A phone number's history: its change sets in the audit log, newest first.

Settings saves and releases name the number as their target. A provisioning change set cannot:
Zendesk gives the number its id only when it is created, after the intent row is written, so it
is found by the id in its "after" snapshot. IVR changes that touched the number (an IVR assigned
to it or taken off it, an IVR deleted) are recorded against the IVR and name the number among
their phone numbers; they are listed apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from audit.constants import Action, TargetType
from audit.models import ChangeSet

LIMIT = 50


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


def number_history(number_id: int, *, limit: int = LIMIT) -> NumberHistory:
    """The newest `limit` change sets of the number, and of IVR changes that named it."""
    key = str(int(number_id))
    own = (
        ChangeSet.objects.select_related("outcome_row")
        .filter(target_type=TargetType.PHONE_NUMBER)
        .filter(
            Q(target_id=key)
            | Q(action=Action.PROVISION_PHONE_NUMBER, outcome_row__after__id=int(number_id))
        )
        .order_by("-id")[:limit]
    )
    through_ivrs = (
        ChangeSet.objects.select_related("outcome_row")
        .filter(target_type=TargetType.IVR)
        .filter(
            Q(names__phone_number__has_key=key) | Q(outcome_row__names__phone_number__has_key=key)
        )
        .order_by("-id")[:limit]
    )
    return NumberHistory(number_id=int(number_id), own=list(own), through_ivrs=list(through_ivrs))
