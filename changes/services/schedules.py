"""Scheduled IVR publishes that change back by themselves.

    change = schedule_publish(draft=draft, actor=actor, reason="Holiday closure",
                              run_at=dec_24_18h, change_back_at=dec_27_08h)

Scheduling freezes the draft (document, and the live IVR it started from) into the
ScheduledChange and closes the draft; a django.tasks task queued with `run_after` publishes
exactly that at `run_at` (changes.tasks), in a change set of the person who scheduled it. The
change back, at `change_back_at`, reverses only what the change did: a three-way merge with
the IVR as the change left it as the base, as it was before as one side, and as it is now as
the other, where now wins (ivr.engine.merge), so a part someone changed in between is kept and
listed as *needs attention*. Zendesk down at the time: tried again with backoff for
CHANGES_RETRY_WINDOW_SECONDS, then given up, visibly. A change runs once: its state moves from
scheduled to running with one conditional update, under the IVR's lock (core.worker.locks).
Protected IVRs (and CHANGES_APPROVAL_FOR_EVERY_CHANGE) cannot be scheduled yet: their changes
go through an approval, which publishes at once.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.tasks import task
from django.utils import timezone

import audit
from audit.actor import Actor
from changes.models import LineKind, ScheduledChange, ScheduleState
from changes.services.errors import CannotAsk, NotAllowed, NotWaiting
from changes.services.protection import approval_needed
from core.errors import PhoneSystemError
from core.roles import ADMIN, EDITOR, has_role
from core.worker.locks import exclusive
from ivr.engine.document import IvrDocument
from ivr.engine.merge import find_conflicts, merge_draft
from ivr.models import Draft
from ivr.services import (
    PublishOutcome,
    PublishResult,
    discard_draft,
    preview_publish,
    publish_draft,
)
from ivr.services.live import fetch_live_ivr, load_ivr_lookups

User = AbstractUser | AnonymousUser
CHANGE_BACK = "change_back_scheduled_change"
RETRY_FIRST_SECONDS = 2.0
RETRY_MAX_SECONDS = 60.0


def scheduled_changes() -> QuerySet[ScheduledChange]:
    return ScheduledChange.objects.select_related("scheduled_by", "cancelled_by")


def local_time(moment: datetime) -> str:
    """A moment as the pages show it: in settings.TIME_ZONE, with the zone named."""
    return timezone.localtime(moment).strftime("%-d %b %Y, %H:%M %Z")


def schedule_publish(
    *,
    draft: Draft,
    actor: Actor,
    reason: str,
    run_at: datetime,
    change_back_at: datetime | None = None,
) -> ScheduledChange:
    """Publish the draft, as it is now, at `run_at` (and put back what it changed at
    `change_back_at`, if given). Raises ValidationError on "reason", "run_at" (in the past) or
    "change_back_at" (not after run_at), CannotAsk when the draft cannot be published as it
    is or the IVR needs an approval, StaleDraft if the draft changed meanwhile."""
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = ["Say why: the audit log keeps it with the change."]
    now = timezone.now()
    if run_at <= now:
        errors["run_at"] = [
            f"This time has passed (it is now {local_time(now)}): choose a later one."
        ]
    if change_back_at is not None and change_back_at <= run_at:
        errors["change_back_at"] = ["Choose a time after the change is made."]
    if errors:
        raise ValidationError(errors)
    if approval_needed(ivr_id=draft.ivr_id):
        raise CannotAsk(
            "This IVR needs a second person's approval: ask for it instead (an approved change "
            "is published at once; scheduling a protected IVR is not possible yet)."
        )
    preview = preview_publish(draft=draft)
    if preview.blocked or preview.nothing_to_publish or preview.conflicts or preview.same_name:
        raise CannotAsk(
            "The draft cannot be published as it is (see the checks and Zendesk's changes on "
            "the publish page): nothing was scheduled."
        )
    name = preview.live.name
    sentences = [operation.sentence for operation in preview.operations]
    back = f", changing back {local_time(change_back_at)}" if change_back_at else ""
    audit.record_event(
        actor=actor,
        action=audit.Action.SCHEDULE_CHANGE,
        target_type=audit.TargetType.IVR,
        target_id=draft.ivr_id,
        target_name=name,
        reason=reason,
        summary=f"Scheduled IVR '{name}' to change {local_time(run_at)}{back}: "
        + " ".join(sentences),
        before=preview.live_json,
    )
    discard_draft(draft=draft, actor=actor)  # it lives on in the scheduled change
    change = ScheduledChange.objects.create(
        kind=LineKind.IVR,
        line_id=draft.ivr_id,
        line_name=name,
        scheduled_by_id=actor.user_id,
        reason=reason,
        run_at=run_at,
        change_back_at=change_back_at,
        document=draft.document,
        base=draft.base,
        plan=sentences,
    )
    _enqueue("run_scheduled_change", change.pk, run_at)
    return change


def cancel_scheduled_change(*, change_id: int, user: User, actor: Actor) -> ScheduledChange:
    """Cancel a change not made yet (its draft comes back), or the change back of one made.
    Editors cancel theirs, admins anyone's."""
    change = scheduled_changes().get(pk=change_id)
    if not may_cancel(change, user):
        raise NotAllowed("Only the person who scheduled it, or an admin, can cancel it.")
    was = change.state
    cancelled = ScheduledChange.objects.filter(
        pk=change.pk, state__in=(ScheduleState.SCHEDULED, ScheduleState.CHANGE_BACK_DUE)
    ).update(state=ScheduleState.CANCELLED, cancelled_by_id=actor.user_id)
    if not cancelled:
        raise NotWaiting("It is no longer waiting to run: see its state below.")
    what = "its change back" if was == ScheduleState.CHANGE_BACK_DUE else "the change"
    restored = ""
    if was == ScheduleState.SCHEDULED:
        restored = _restore_draft(change)
    audit.record_event(
        actor=actor,
        action=audit.Action.CANCEL_SCHEDULED_CHANGE,
        target_type=audit.TargetType.IVR,
        target_id=change.line_id,
        target_name=change.line_name,
        summary=f"Cancelled {what} of IVR '{change.line_name}' scheduled by "
        f"{change.scheduler_name}{restored}",
    )
    return scheduled_changes().get(pk=change.pk)


def may_cancel(change: ScheduledChange, user: User) -> bool:
    if not change.is_upcoming or not has_role(user, EDITOR):
        return False
    return has_role(user, ADMIN) or user.pk == change.scheduled_by_id


# --- What the worker runs ------------------------------------------------------


@task()
def run_scheduled_change(*, change_id: int) -> None:
    """The worker's task at `run_at`: publish what was frozen, once, under the IVR's lock."""
    with exclusive(f"ivr:{_line_of(change_id)}", wait_seconds=30):
        _run_change(change_id)


@task()
def change_back_scheduled_change(*, change_id: int) -> None:
    """The worker's task at `change_back_at`: put back what the change did."""
    with exclusive(f"ivr:{_line_of(change_id)}", wait_seconds=30):
        _change_back(change_id)


def _line_of(change_id: int) -> int:
    return int(ScheduledChange.objects.values_list("line_id", flat=True).get(pk=change_id))


def _run_change(change_id: int) -> None:
    """At `run_at`: publish what was frozen, once."""
    change = _claim(change_id, ScheduleState.SCHEDULED)
    if change is None:
        return  # cancelled, or another worker has it (it never runs twice)
    if Draft.objects.filter(ivr_id=change.line_id).exists():
        _finish(change, ScheduleState.NOT_RUN, _open_draft_message(change))
        return
    try:
        before = fetch_live_ivr(change.line_id).json
        draft = Draft.objects.create(
            ivr_id=change.line_id,
            document=change.document,
            base=change.base,
            created_by_id=change.scheduled_by_id,
            updated_by_id=change.scheduled_by_id,
        )
        result = publish_draft(
            draft=draft,
            actor=_actor(change),
            reason=f"{change.reason} (scheduled by {change.scheduler_name} for "
            f"{local_time(change.run_at)})",
        )
    except PhoneSystemError as error:
        # Nothing was sent (Zendesk could not be read): the frozen change waits for the retry.
        Draft.objects.filter(ivr_id=change.line_id, publishing_since=None).delete()
        _try_again(change, "run_scheduled_change", change.run_at, error.user_message)
        return
    if not result.succeeded:
        _after_failed_publish(change, result, "run_scheduled_change", change.run_at)
        return
    change.before = before
    change.after = fetch_live_ivr(change.line_id).json if change.change_back_at else None
    change.publish_change_set_id = result.change_set.pk if result.change_set else None
    change.attempts = 0
    if change.change_back_at is None:
        change.state, change.message = ScheduleState.DONE, result.message
        change.save()
        return
    change.state = ScheduleState.CHANGE_BACK_DUE
    change.message = f"{result.message} It changes back {local_time(change.change_back_at)}."
    change.save()
    _enqueue("change_back_scheduled_change", change.pk, change.change_back_at)


def _change_back(change_id: int) -> None:
    """At `change_back_at`: put back what the change did, except parts changed since."""
    change = _claim(change_id, ScheduleState.CHANGE_BACK_DUE)
    if change is None:
        return
    assert change.change_back_at is not None and change.before and change.after
    if Draft.objects.filter(ivr_id=change.line_id).exists():
        _finish(change, ScheduleState.NEEDS_ATTENTION, _open_draft_message(change))
        return
    try:
        now = fetch_live_ivr(change.line_id)
        lookups = load_ivr_lookups()
    except PhoneSystemError as error:
        _try_again(change, CHANGE_BACK, change.change_back_at, error.user_message)
        return
    after, before = IvrDocument.from_zendesk(change.after), IvrDocument.from_zendesk(change.before)
    # Base: the IVR as the change left it. One side undoes the change (before), the other is
    # what happened since (now), which wins where both touch the same part.
    put_back = merge_draft(base=after, live=before, draft=now.document)
    kept = find_conflicts(base=after, live=before, draft=now.document, lookups=lookups)
    attention = [
        f"{conflict.subject}: changed since the scheduled change ({conflict.in_draft}), so it "
        f"was not put back to {conflict.in_zendesk}. Decide whether it should be."
        for conflict in kept
    ]
    try:
        draft = Draft.objects.create(
            ivr_id=change.line_id,
            document=put_back.to_json(),
            base=now.json,
            created_by_id=change.scheduled_by_id,
            updated_by_id=change.scheduled_by_id,
        )
        result = publish_draft(
            draft=draft,
            actor=_actor(change),
            reason=f"Change back of '{change.reason}' (scheduled by {change.scheduler_name} "
            f"for {local_time(change.change_back_at)})",
        )
    except PhoneSystemError as error:
        Draft.objects.filter(ivr_id=change.line_id).delete()
        _try_again(change, CHANGE_BACK, change.change_back_at, error.user_message)
        return
    if not result.succeeded:
        _after_failed_publish(change, result, CHANGE_BACK, change.change_back_at)
        return
    change.change_back_change_set_id = result.change_set.pk if result.change_set else None
    change.needs_attention = attention
    if attention:
        change.state = ScheduleState.NEEDS_ATTENTION
        change.message = (
            f"Changed back what was safe; {_parts(len(attention))} changed in between "
            "kept as they are."
        )
        audit.record_event(
            actor=_actor(change),
            action=audit.Action.CHANGE_BACK_NEEDS_ATTENTION,
            target_type=audit.TargetType.IVR,
            target_id=change.line_id,
            target_name=change.line_name,
            summary=f"The change back of IVR '{change.line_name}' left parts changed in "
            "between as they are: " + " ".join(attention),
        )
    else:
        change.state, change.message = ScheduleState.CHANGED_BACK, result.message
    change.save()


# --- The steps ----------------------------------------------------------------------------------


def _enqueue(task_name: str, change_id: int, when: datetime) -> None:
    chosen = (
        run_scheduled_change
        if task_name == "run_scheduled_change"
        else (change_back_scheduled_change)
    )
    chosen.using(run_after=when).enqueue(change_id=change_id)


def _claim(change_id: int, state: ScheduleState) -> ScheduledChange | None:
    claimed = ScheduledChange.objects.filter(pk=change_id, state=state).update(
        state=ScheduleState.RUNNING, attempts=F("attempts") + 1
    )
    return scheduled_changes().get(pk=change_id) if claimed else None


def _actor(change: ScheduledChange) -> Actor:
    if change.scheduled_by is not None:
        return Actor.for_user(change.scheduled_by)
    return Actor.system(f"Scheduled change #{change.pk}")


def _finish(change: ScheduledChange, state: ScheduleState, message: str) -> None:
    change.state, change.message = state, message
    change.save()


def _open_draft_message(change: ScheduledChange) -> str:
    return (
        f"Nothing was sent: someone has a draft of IVR '{change.line_name}' open. Publish or "
        "discard it, then schedule the change again."
    )


def _try_again(change: ScheduledChange, task_name: str, due: datetime, why: str) -> None:
    """Zendesk could not be reached: again after a backoff, until the window is over."""
    window = timedelta(seconds=settings.CHANGES_RETRY_WINDOW_SECONDS)
    now = timezone.now()
    if now - due > window:
        _finish(
            change,
            ScheduleState.FAILED,
            f"Gave up after {change.attempts} tries over {_minutes(window)}: Zendesk could not "
            f"be reached ({why}). Nothing more was sent; look at the IVR and decide.",
        )
        return
    wait = min(RETRY_MAX_SECONDS, RETRY_FIRST_SECONDS * 2 ** max(0, change.attempts - 1))
    again = (
        ScheduleState.SCHEDULED
        if task_name == "run_scheduled_change"
        else (ScheduleState.CHANGE_BACK_DUE)
    )
    change.state = again
    change.message = f"Zendesk could not be reached ({why}); trying again in {wait:.0f} s."
    change.save()
    _enqueue(task_name, change.pk, now + timedelta(seconds=wait))


def _after_failed_publish(
    change: ScheduledChange, result: PublishResult, task_name: str, due: datetime
) -> None:
    if result.outcome == PublishOutcome.OVER_BUDGET and result.draft is not None:
        # Nothing was sent: the rate budget is taken by other work; wait and try again.
        Draft.objects.filter(pk=result.draft.pk).delete()
        _try_again(change, task_name, due, result.message)
        return
    if result.error is not None and result.draft is not None:
        # Zendesk failed part-way: try again, sending only what is missing. A change's rest is
        # the draft kept; a change back is worked out again from what Zendesk holds then.
        if task_name == "run_scheduled_change":
            change.document, change.base = result.draft.document, result.draft.base
        Draft.objects.filter(pk=result.draft.pk).delete()
        _try_again(change, task_name, due, result.message)
        return
    # Refused before sending (checks, conflicts, budget): the draft stays for an admin to see.
    _finish(change, ScheduleState.FAILED, f"Not made: {result.message} The draft is kept.")


def _restore_draft(change: ScheduledChange) -> str:
    if Draft.objects.filter(ivr_id=change.line_id).exists():
        return "; its changes are in this record only (someone has another draft open)"
    Draft.objects.create(
        ivr_id=change.line_id,
        document=change.document,
        base=change.base,
        created_by_id=change.scheduled_by_id,
        updated_by_id=change.scheduled_by_id,
    )
    return "; its changes are back in the IVR's draft"


def _parts(count: int) -> str:
    return f"{count} part{'' if count == 1 else 's'}"


def _minutes(window: timedelta) -> str:
    minutes = max(1, round(window.total_seconds() / 60))
    return f"{minutes} minute{'' if minutes == 1 else 's'}"
