"""Approval by a second person: ask, review, approve (which publishes), decline, withdraw.

    request = ask_for_approval(draft=draft, actor=actor, reason="Billing moves to Tier 2")
    review = review_request(request_id=request.pk)          # reads Zendesk; may void it
    outcome = approve_request(request_id=..., user=approver, actor=..., comment="")

A request freezes what will be sent (the draft's version and document, the live IVR it was
checked against, the plan's sentences). It is *voided* when the draft changed after it, or
when the IVR in Zendesk is no longer what it was made against: checked when it is opened and
again at approval, and then it cannot be approved. Nobody approves or declines what they
asked for or wrote (ivr.services.draft_authors), checked here on the server whatever the page
sent; viewers never do. Every step is a change set in the audit log, and the publish an
approval makes is the approver's, carrying who asked and who approved (ChangeSet.approval).
No database transaction is open during a Talk API call: a request being approved is claimed
with one conditional update (waiting → publishing) so it is approved once.
"""

import json
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

import audit
from audit.actor import Actor
from changes.models import ApprovalRequest, LineKind, RequestState
from changes.services.errors import CannotAsk, NotAllowed, NotWaiting, RequestVoided
from core.errors import PhoneSystemError
from core.roles import EDITOR, has_role
from ivr.models import Draft
from ivr.services import (
    PublishPreview,
    PublishResult,
    draft_authors,
    get_draft,
    preview_publish,
    publish_draft,
)
from ivr.services.errors import DraftError, when

User = AbstractUser | AnonymousUser
VOIDED_BY = "TalkAdmin change control"
WAITING_SHOWN = 100  # the navigation counts up to this many waiting requests


@dataclass(frozen=True)
class Review:
    """A request as its reviewer sees it: the publish preview read just now, while waiting."""

    request: ApprovalRequest
    preview: PublishPreview | None = None  # None once decided, or when Zendesk was unreachable
    error: PhoneSystemError | None = None  # Zendesk could not be read to check it


# --- Reading ------------------------------------------------------------------------------------


def approval_requests(*, state: str = "") -> QuerySet[ApprovalRequest]:
    """Requests, newest first (only those in `state`, when given)."""
    requests = ApprovalRequest.objects.select_related("requested_by", "decided_by")
    return requests.filter(state=state) if state else requests


def waiting_count() -> int:
    """Requests still waiting whose draft is as it was asked (the navigation's count)."""
    same_draft = Draft.objects.filter(ivr_id=OuterRef("line_id"), version=OuterRef("draft_version"))
    waiting = ApprovalRequest.objects.filter(Exists(same_draft), state=RequestState.WAITING)
    # A few rows read on every page (one IVR has one waiting request), never a COUNT.
    return len(waiting.values_list("pk", flat=True)[:WAITING_SHOWN])


def waiting_request_for(*, ivr_id: int) -> ApprovalRequest | None:
    return approval_requests(state=RequestState.WAITING).filter(line_id=ivr_id).first()


def may_decide(request: ApprovalRequest, user: User) -> str:
    """Why `user` may not approve or decline the request ("" when they may)."""
    if not has_role(user, EDITOR):
        return "Only an editor or an admin can approve or decline a change."
    if user.pk == request.requested_by_id:
        return "You asked for this change: another editor or admin must approve it."
    draft = get_draft(ivr_id=request.line_id)
    if draft is not None and any(author.pk == user.pk for author in draft_authors(draft)):
        return "You worked on this draft: another editor or admin must approve it."
    return ""


def review_request(*, request_id: int) -> Review:
    """The request, checked against the draft and Zendesk now if it is still waiting: voided
    (and so recorded) when either changed since it was asked."""
    request = _get(request_id)
    if not request.is_waiting:
        return Review(request=request)
    try:
        _, preview = _still_as_asked(request)
    except RequestVoided:
        return Review(request=_get(request_id))
    except PhoneSystemError as error:
        return Review(request=request, error=error)
    return Review(request=request, preview=preview)


# --- Asking -------------------------------------------------------------------------------------


def ask_for_approval(
    *, draft: Draft, actor: Actor, reason: str, expected_version: int
) -> ApprovalRequest:
    """Ask a second person to approve publishing the draft as it is now (what will be sent is
    frozen with the request). Raises ValidationError on "reason" when it is blank, CannotAsk
    when the draft cannot be published as it is (errors, conflicts, nothing to publish) or a
    request for it is already waiting, ivr.services.errors.StaleDraft if it changed after
    `expected_version`, and PhoneSystemError when Zendesk cannot be read."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": ["Say why this change is needed: the approver reads it first."]}
        )
    if draft.version != expected_version:
        raise CannotAsk(
            f"{draft.last_changed_by} changed this draft {when(draft.updated_at)}, after you "
            "loaded it. Nothing was asked: review the draft again, then ask."
        )
    waiting = waiting_request_for(ivr_id=draft.ivr_id)
    if waiting is not None:
        review = review_request(request_id=waiting.pk)  # voided if the draft moved on
        if review.request.is_waiting:
            raise CannotAsk(
                f"{waiting.requester_name} already asked for approval of this draft "
                f"{when(waiting.requested_at)}: it is on the Waiting for approval page."
            )
    preview = preview_publish(draft=draft)
    _check_can_ask(preview)
    name = preview.live.name
    sentences = [operation.sentence for operation in preview.operations]
    changes = f"{len(sentences)} change{'' if len(sentences) == 1 else 's'}"
    asked = audit.record_event(
        actor=actor,
        action=audit.Action.ASK_APPROVAL,
        target_type=audit.TargetType.IVR,
        target_id=draft.ivr_id,
        target_name=name,
        reason=reason,
        summary=f"Asked for approval to publish {changes} to IVR '{name}': " + " ".join(sentences),
        before=preview.live_json,
    )
    return ApprovalRequest.objects.create(
        kind=LineKind.IVR,
        line_id=draft.ivr_id,
        line_name=name,
        requested_by_id=actor.user_id,
        reason=reason,
        draft_version=draft.version,
        document=draft.document,
        live=_as_stored(preview.live.to_json()),
        plan=sentences,
        request_change_set_id=asked.pk,
    )


def _check_can_ask(preview: PublishPreview) -> None:
    if preview.blocked:
        raise CannotAsk("The draft has errors (listed below): fix them before asking.")
    if preview.nothing_to_publish:
        raise CannotAsk("Zendesk already holds everything in this draft: there is nothing to ask.")
    if preview.conflicts or preview.same_name:
        raise CannotAsk(
            "Zendesk changed parts your draft changes too: choose below what to do with them "
            "(keep your changes on top of Zendesk's, or use its menu), then ask for approval."
        )


# --- Deciding -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Approved:
    request: ApprovalRequest
    result: PublishResult | None  # None when the publish could not start (its message says why)


def approve_request(*, request_id: int, user: User, actor: Actor, comment: str = "") -> Approved:
    """Approve the request, which publishes exactly what it froze as `actor`'s change, with
    who asked and who approved in its change set. Raises NotAllowed (a viewer, the requester,
    an author of the draft), NotWaiting, RequestVoided (the draft or Zendesk changed: it is
    voided, and recorded so), PhoneSystemError when Zendesk cannot be read to check it."""
    request = _decidable(request_id, user)
    draft, _ = _still_as_asked(request)
    claimed = ApprovalRequest.objects.filter(pk=request.pk, state=RequestState.WAITING).update(
        state=RequestState.PUBLISHING, decided_by_id=actor.user_id, decided_at=timezone.now()
    )
    if not claimed:
        raise NotWaiting("Someone else decided this request a moment ago: see it below.")
    decision = audit.record_event(
        actor=actor,
        action=audit.Action.APPROVE_CHANGE,
        target_type=audit.TargetType.IVR,
        target_id=request.line_id,
        target_name=request.line_name,
        reason=comment,
        summary=f"Approved request #{request.pk} by {request.requester_name} to publish "
        f"IVR '{request.line_name}'; publishing it now",
    )
    approval = {
        "request": request.pk,
        "requested_by": request.requester_name,
        "approved_by": actor.display_name,
        "decision": decision.pk,
    }
    result: PublishResult | None = None
    try:
        result = publish_draft(
            draft=draft,
            actor=actor,
            reason=request.reason,
            expected_version=request.draft_version,
            approval=approval,
        )
    except (DraftError, PhoneSystemError) as error:
        message = f"Approved, but nothing was published: {error.user_message}"
    else:
        message = result.message
    published = result is not None and result.succeeded
    ApprovalRequest.objects.filter(pk=request.pk).update(
        state=RequestState.PUBLISHED if published else RequestState.NOT_PUBLISHED,
        comment=comment.strip(),
        decision_change_set_id=decision.pk,
        publish_change_set_id=result.change_set.pk if result and result.change_set else None,
        outcome_message=message,
    )
    return Approved(request=_get(request.pk), result=result)


def decline_request(*, request_id: int, user: User, actor: Actor, comment: str) -> ApprovalRequest:
    """Decline the request with a comment for the requester; nothing is sent to Zendesk."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": ["Say why you decline it: the requester reads it."]})
    request = _decidable(request_id, user)
    return _close(
        request,
        RequestState.DECLINED,
        actor=actor,
        action=audit.Action.DECLINE_CHANGE,
        reason=comment,
        summary=f"Declined request #{request.pk} by {request.requester_name} to publish IVR "
        f"'{request.line_name}': nothing was sent",
        comment=comment,
    )


def withdraw_request(
    *, request_id: int, user: User, actor: Actor, reason: str = ""
) -> ApprovalRequest:
    """The requester takes their request back; the draft stays as it is."""
    request = _get(request_id)
    if user.pk != request.requested_by_id:
        raise NotAllowed("Only the person who asked can withdraw a request.")
    if not request.is_waiting:
        raise NotWaiting(f"This request is no longer waiting: {request.get_state_display()}.")
    return _close(
        request,
        RequestState.WITHDRAWN,
        actor=actor,
        action=audit.Action.WITHDRAW_APPROVAL,
        reason=reason,
        summary=f"Withdrew request #{request.pk} to publish IVR '{request.line_name}'",
    )


# --- The steps ----------------------------------------------------------------------------------


def _get(request_id: int) -> ApprovalRequest:
    return approval_requests().get(pk=request_id)


def _decidable(request_id: int, user: Any) -> ApprovalRequest:
    request = _get(request_id)
    why_not = may_decide(request, user)
    if why_not:
        raise NotAllowed(why_not)
    if not request.is_waiting:
        raise NotWaiting(f"This request is no longer waiting: {request.get_state_display()}.")
    return request


def _still_as_asked(request: ApprovalRequest) -> tuple[Draft, PublishPreview]:
    """The draft and the preview, if both are what the request froze; else void it."""
    draft = get_draft(ivr_id=request.line_id)
    if draft is None:
        _void(request, "The draft was published or discarded after approval was asked.")
    assert draft is not None
    if draft.version != request.draft_version:
        _void(
            request,
            f"{draft.last_changed_by} changed the draft {when(draft.updated_at)}, after approval "
            "was asked: what would be sent is no longer what was asked for. Ask again.",
        )
    preview = preview_publish(draft=draft)
    sentences = [operation.sentence for operation in preview.operations]
    if _as_stored(preview.live.to_json()) != request.live or sentences != request.plan:
        _void(
            request,
            "The IVR was changed in Zendesk after approval was asked: publishing now would not "
            "send what was asked for. Review the draft's publish page, then ask again.",
        )
    return draft, preview


def _as_stored(value: Any) -> Any:
    """As a JSON column gives it back (tuples become lists), to compare with what was frozen."""
    return json.loads(json.dumps(value))


def _void(request: ApprovalRequest, why: str) -> None:
    voided = ApprovalRequest.objects.filter(pk=request.pk, state=RequestState.WAITING).update(
        state=RequestState.VOIDED, void_reason=why, decided_at=timezone.now()
    )
    if voided:
        event = audit.record_event(
            actor=Actor.system(VOIDED_BY),
            action=audit.Action.VOID_APPROVAL,
            target_type=audit.TargetType.IVR,
            target_id=request.line_id,
            target_name=request.line_name,
            summary=f"Request #{request.pk} by {request.requester_name} to publish IVR "
            f"'{request.line_name}' was voided: {why}",
        )
        ApprovalRequest.objects.filter(pk=request.pk).update(decision_change_set_id=event.pk)
    raise RequestVoided(why)


def _close(
    request: ApprovalRequest,
    state: RequestState,
    *,
    actor: Actor,
    action: audit.Action,
    reason: str,
    summary: str,
    comment: str = "",
) -> ApprovalRequest:
    closed = ApprovalRequest.objects.filter(pk=request.pk, state=RequestState.WAITING).update(
        state=state, decided_by_id=actor.user_id, decided_at=timezone.now(), comment=comment
    )
    if not closed:
        raise NotWaiting("Someone else decided this request a moment ago: see it below.")
    event = audit.record_event(
        actor=actor,
        action=action,
        target_type=audit.TargetType.IVR,
        target_id=request.line_id,
        target_name=request.line_name,
        reason=reason,
        summary=summary,
    )
    ApprovalRequest.objects.filter(pk=request.pk).update(decision_change_set_id=event.pk)
    return _get(request.pk)
