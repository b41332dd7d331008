"""Protected lines: which live changes need a second person's approval, in one place.

needs = approval_needed(ivr_id=42)      # None, or why (the IVR's protection, or the
                                        # account-wide CHANGES_APPROVAL_FOR_EVERY_CHANGE)
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

import audit
from audit.actor import Actor
from changes.models import LineKind, Protection


def protection_of(*, ivr_id: int) -> Protection | None:
    """The IVR's protection, if admins protected it."""
    return (
        Protection.objects.select_related("protected_by")
        .filter(kind=LineKind.IVR, line_id=ivr_id)
        .first()
    )


def protected_ivr_ids() -> set[int]:
    return set(Protection.objects.filter(kind=LineKind.IVR).values_list("line_id", flat=True))


def approval_needed(*, ivr_id: int) -> str:
    """Why publishing to this IVR needs a second person's approval ("" when it does not).

    The one rule: the IVR is protected, or the account says every live change needs one
    (settings.CHANGES_APPROVAL_FOR_EVERY_CHANGE).
    """
    protection = protection_of(ivr_id=ivr_id)
    if protection is not None:
        return f"This IVR is protected: {protection.reason}"
    if settings.CHANGES_APPROVAL_FOR_EVERY_CHANGE:
        return "Every live change on this account needs a second person's approval."
    return ""


def protect_ivr(*, ivr_id: int, ivr_name: str, reason: str, actor: Actor) -> Protection:
    """Mark the IVR as protected (admins), with a reason kept in the audit log."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": ["Say why this IVR is protected: the audit log keeps it."]}
        )
    existing = protection_of(ivr_id=ivr_id)
    if existing is not None:
        return existing
    audit.record_event(
        actor=actor,
        action=audit.Action.PROTECT_LINE,
        target_type=audit.TargetType.IVR,
        target_id=ivr_id,
        target_name=ivr_name,
        reason=reason,
        summary=f"Protected IVR '{ivr_name}': publishing it now needs a second person's approval",
    )
    try:
        with transaction.atomic():
            return Protection.objects.create(
                kind=LineKind.IVR,
                line_id=ivr_id,
                line_name=ivr_name,
                reason=reason,
                protected_by_id=actor.user_id,
            )
    except IntegrityError:  # protected at the same moment by someone else
        return Protection.objects.get(kind=LineKind.IVR, line_id=ivr_id)


def unprotect_ivr(*, ivr_id: int, ivr_name: str, reason: str, actor: Actor) -> None:
    """Remove the IVR's protection (admins), with a reason kept in the audit log."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": ["Say why this IVR no longer needs protection: the audit log keeps it."]}
        )
    if protection_of(ivr_id=ivr_id) is None:
        return
    audit.record_event(
        actor=actor,
        action=audit.Action.UNPROTECT_LINE,
        target_type=audit.TargetType.IVR,
        target_id=ivr_id,
        target_name=ivr_name,
        reason=reason,
        summary=f"Removed the protection of IVR '{ivr_name}': editors publish it without approval",
    )
    Protection.objects.filter(kind=LineKind.IVR, line_id=ivr_id).delete()
