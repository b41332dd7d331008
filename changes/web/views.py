"""Change control's pages: Waiting for approval, one request, asking, protecting an IVR.

Every role sees the requests; editors and admins decide them (never their own, nor a draft
they worked on: changes.services checks that, whatever the page posted); the person who asked
withdraws theirs; admins protect IVRs. A request's page shows the same publish preview as the
IVR's publish page (sentences, checks, before/after trees), read from Zendesk as it opens.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.actor import Actor
from changes import services
from changes.models import ApprovalRequest, RequestState
from changes.services import ChangeControlRefusal, NotAllowed, Review
from changes.web.forms import (
    ApproveForm,
    AskForApprovalForm,
    DeclineForm,
    ProtectionForm,
    WithdrawForm,
)
from core.access import require_role
from core.errors import PhoneSystemError, PhoneSystemGone
from core.http import HtmxHttpRequest, add_service_errors, see_other
from core.roles import ADMIN, EDITOR, VIEWER
from ivr import services as ivrs
from ivr.engine.document import DocumentError
from ivr.engine.lint.findings import Severity
from ivr.services import PublishPreview
from ivr.services.errors import DraftError
from ivr.web.presenters.publish_trees import before_and_after


@require_GET
@require_role(VIEWER)
def approval_list(request: HtmxHttpRequest) -> HttpResponse:
    requests = list(services.approval_requests()[:200])
    waiting = [r for r in requests if r.state == RequestState.WAITING]
    decided = [r for r in requests if r.state != RequestState.WAITING]
    return render(request, "changes/approval_list.html", {"waiting": waiting, "decided": decided})


@require_GET
@require_role(VIEWER)
def approval_detail(request: HtmxHttpRequest, request_id: int) -> HttpResponse:
    return _detail_page(request, _review(request_id))


@require_POST
@require_role(EDITOR)
def approve(request: HtmxHttpRequest, request_id: int) -> HttpResponse:
    form = ApproveForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, _review(request_id), approve_form=form, status=422)
    try:
        approved = services.approve_request(
            request_id=_existing(request_id),
            user=request.user,
            actor=Actor.from_request(request),
            comment=form.cleaned_data["comment"],
        )
    except ChangeControlRefusal as refusal:
        return _refused(request, request_id, refusal)
    except PhoneSystemError as error:
        review = Review(request=_get(request_id), error=error)
        return _detail_page(request, review, approve_form=form, status=503)
    if approved.request.state == RequestState.PUBLISHED:
        messages.success(request, f"Approved and published. {approved.request.outcome_message}")
    else:
        messages.error(request, approved.request.outcome_message)
    return see_other("changes:approval", request_id)


@require_POST
@require_role(EDITOR)
def decline(request: HtmxHttpRequest, request_id: int) -> HttpResponse:
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, _review(request_id), decline_form=form, status=422)
    try:
        services.decline_request(
            request_id=_existing(request_id),
            user=request.user,
            actor=Actor.from_request(request),
            comment=form.cleaned_data["comment"],
        )
    except ChangeControlRefusal as refusal:
        return _refused(request, request_id, refusal)
    messages.success(request, "Declined: nothing was sent to Zendesk. The draft is kept.")
    return see_other("changes:approval", request_id)


@require_POST
@require_role(EDITOR)
def withdraw(request: HtmxHttpRequest, request_id: int) -> HttpResponse:
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, _review(request_id), withdraw_form=form, status=422)
    try:
        services.withdraw_request(
            request_id=_existing(request_id),
            user=request.user,
            actor=Actor.from_request(request),
            reason=form.cleaned_data["reason"],
        )
    except ChangeControlRefusal as refusal:
        return _refused(request, request_id, refusal)
    messages.success(request, "Withdrawn. The draft is kept as it is.")
    return see_other("changes:approval", request_id)


@require_http_methods(["GET", "POST"])
@require_role(EDITOR)
def ask_for_approval(request: HtmxHttpRequest, ivr_id: int) -> HttpResponse:
    """Ask a second person to approve publishing the IVR's draft (a protected IVR's publish)."""
    draft = ivrs.get_draft(ivr_id=ivr_id)
    if draft is None:
        raise Http404("This IVR has no draft to publish.")
    form = AskForApprovalForm(request.POST or None, initial={"version": draft.version})
    context: dict[str, Any] = {"ivr_id": ivr_id, "draft": draft, "form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            asked = services.ask_for_approval(
                draft=draft,
                actor=Actor.from_request(request),
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as refusal:
            add_service_errors(form, refusal, default_field="reason")
        except (ChangeControlRefusal, DraftError) as refusal:
            context["refusal"], status = refusal.user_message, 409
        except PhoneSystemError as error:
            context["talk_error"], status = error, 503
        else:
            messages.success(
                request,
                "Approval asked: another editor or admin can now approve it on the Waiting for "
                "approval page. Nothing is published until then.",
            )
            return see_other("changes:approval", asked.pk)
    if request.method == "POST" and form.errors:
        status = 422
    context["approval_needed"] = services.approval_needed(ivr_id=ivr_id)
    if "talk_error" not in context:
        try:
            context.update(preview_context(ivrs.preview_publish(draft=draft)))
        except (PhoneSystemError, DocumentError) as error:
            context["talk_error"] = error
            status = 404 if isinstance(error, PhoneSystemGone) else 503
    return render(request, "changes/ask.html", context, status=status)


@require_http_methods(["GET", "POST"])
@require_role(ADMIN)
def ivr_protection(request: HtmxHttpRequest, ivr_id: int) -> HttpResponse:
    """Protect the IVR (its publishes need a second person's approval), or remove that."""
    name = ivrs.get_live_ivr(ivr_id=ivr_id).name
    protection = services.protection_of(ivr_id=ivr_id)
    form = ProtectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        change = services.unprotect_ivr if protection is not None else services.protect_ivr
        try:
            change(
                ivr_id=ivr_id,
                ivr_name=name,
                reason=form.cleaned_data["reason"],
                actor=Actor.from_request(request),
            )
        except ValidationError as refusal:
            add_service_errors(form, refusal, default_field="reason")
        else:
            messages.success(
                request,
                f"'{name}' is no longer protected: editors publish it without approval."
                if protection is not None
                else f"'{name}' is protected: publishing it now needs a second person's approval.",
            )
            return see_other("ivr:detail", ivr_id)
    context = {"ivr_id": ivr_id, "ivr_name": name, "protection": protection, "form": form}
    return render(request, "changes/protection.html", context, status=422 if form.errors else 200)


def preview_context(preview: PublishPreview) -> dict[str, Any]:
    """What changes/_preview.html shows: the publish preview's sentences, checks and trees."""
    return {
        "preview": preview,
        "errors": [f for f in preview.findings if f.severity is Severity.ERROR],
        "warnings": [f for f in preview.findings if f.severity is not Severity.ERROR],
        "trees": before_and_after(
            live=preview.live, desired=preview.desired, lookups=preview.lookups
        ),
    }


# --- Helpers ------------------------------------------------------------------------------------


def _get(request_id: int) -> ApprovalRequest:
    found = services.approval_requests().filter(pk=request_id).first()
    if found is None:
        raise Http404("No such request for approval.")
    return found


def _existing(request_id: int) -> int:
    return _get(request_id).pk


def _review(request_id: int) -> Review:
    _get(request_id)
    return services.review_request(request_id=request_id)


def _refused(
    request: HtmxHttpRequest, request_id: int, refusal: ChangeControlRefusal
) -> HttpResponse:
    status = 403 if isinstance(refusal, NotAllowed) else 409
    review = Review(request=_get(request_id))
    if review.request.is_waiting:
        review = services.review_request(request_id=request_id)
    return _detail_page(request, review, refusal=refusal.user_message, status=status)


def _detail_page(
    request: HtmxHttpRequest,
    review: Review,
    *,
    status: int = 200,
    refusal: str = "",
    approve_form: ApproveForm | None = None,
    decline_form: DeclineForm | None = None,
    withdraw_form: WithdrawForm | None = None,
) -> HttpResponse:
    approval = review.request
    cannot_decide = services.may_decide(approval, request.user)
    context: dict[str, Any] = {
        "approval": approval,
        "ivr_id": approval.line_id,
        "talk_error": review.error,
        "refusal": refusal,
        "cannot_decide": cannot_decide,
        "can_decide": approval.is_waiting and not cannot_decide and review.preview is not None,
        "can_withdraw": approval.is_waiting and request.user.pk == approval.requested_by_id,
        "approve_form": approve_form or ApproveForm(),
        "decline_form": decline_form or DeclineForm(),
        "withdraw_form": withdraw_form or WithdrawForm(),
    }
    if review.preview is not None:
        context.update(preview_context(review.preview))
    return render(request, "changes/approval_detail.html", context, status=status)
