"""The publish page: what publishing the draft would change, and publishing it with a reason.

GET shows the preview (every change in plain sentences, the before/after trees, the checks that
block publishing, conflicts with what changed in Zendesk meanwhile, menus of the same name added
there meanwhile: use that menu, or keep both). POST publishes; the page
then shows the outcome: done (with its change set in the audit log), stopped part-way (what
was applied, what is still to do, "Publish again"), a conflict (both sides, and the choices:
publish over Zendesk's version, or take Zendesk's changes into the draft), or blocked. With
htmx the form swaps the page's body (#publish-body) and shows progress while it runs.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST

from audit.actor import Actor
from changes import services as change_control
from core.access import require_role
from core.errors import PhoneSystemError, PhoneSystemGone
from core.http import HtmxHttpRequest, see_other
from core.roles import EDITOR
from ivr import services
from ivr.engine.document import DocumentError
from ivr.engine.lint.findings import Finding, Severity
from ivr.models import Draft
from ivr.services import PublishOutcome, PublishPreview, PublishResult
from ivr.services.errors import DraftError, DraftGone
from ivr.web.forms.admin import ReleasePublishForm
from ivr.web.forms.editor import PublishForm
from ivr.web.presenters.call_flow import menu_anchor, route_anchor
from ivr.web.presenters.publish_trees import before_and_after

TEMPLATE = "ivr/publish.html"


@require_http_methods(["GET", "POST"])
@require_role(EDITOR)
def publish(request: HtmxHttpRequest, ivr_id: int) -> HttpResponse:
    draft = services.get_draft(ivr_id=ivr_id)
    if draft is None:
        return _page(request, {"ivr_id": ivr_id, "no_draft": True}, status=404)
    if request.method == "GET":
        form = PublishForm(initial={"version": draft.version})
        return _preview_page(request, draft, form)
    form = PublishForm(request.POST)
    if change_control.approval_needed(ivr_id=ivr_id):
        # A protected IVR goes live only through an approval (changes/), whatever was posted.
        return _preview_page(request, draft, form, status=403)
    if not form.is_valid():
        return _preview_page(request, draft, form, status=422)
    try:
        result = services.publish_draft(
            draft=draft,
            actor=Actor.from_request(request),
            reason=form.cleaned_data["reason"],
            overwrite=form.cleaned_data["overwrite"],
            conflicts_seen=form.cleaned_data["conflicts_seen"],
            keep_both=form.cleaned_data["keep_both"],
            expected_version=form.cleaned_data["version"],
        )
    except ValidationError as refusal:  # the reason (audit.ReasonRequired)
        form.add_error("reason", " ".join(refusal.messages))
        return _preview_page(request, draft, form, status=422)
    except DraftError as refusal:
        return _refused_page(request, ivr_id, refusal)
    except PhoneSystemError as error:
        # Zendesk could not be read before anything was sent: the draft is as it was.
        status = 404 if isinstance(error, PhoneSystemGone) else 503
        return _preview_page(request, draft, form, status=status, talk_error=error)
    return _result_page(request, ivr_id, result, form)


@require_POST
@require_role(EDITOR)
def publish_rebase(request: HtmxHttpRequest, ivr_id: int) -> HttpResponse:
    """The conflict choice "keep my changes on top of Zendesk's": the draft takes in what
    changed in Zendesk, keeps the admin's changes, and comes back to the preview."""
    draft = services.get_draft(ivr_id=ivr_id)
    version = request.POST.get("version", "")
    try:
        if draft is None:
            raise DraftGone()
        services.rebase_draft(
            draft=draft,
            actor=Actor.from_request(request),
            expected_version=int(version) if version.isdigit() else -1,
        )
    except DraftError as refusal:
        messages.error(request, refusal.user_message)
    except (PhoneSystemError, DocumentError) as error:
        messages.error(request, getattr(error, "user_message", str(error)))
    else:
        messages.success(
            request,
            "Your draft now has Zendesk's latest changes, with yours on top where both changed "
            "the same part. Review it below, then publish.",
        )
    return see_other("ivr:publish", ivr_id)


@require_POST
@require_role(EDITOR)
def publish_use_menu(request: HtmxHttpRequest, ivr_id: int) -> HttpResponse:
    """The same-name choice "use the menu already in Zendesk": the draft's new menu becomes the
    one of that name added in Zendesk meanwhile; back to the preview to review it."""
    draft = services.get_draft(ivr_id=ivr_id)
    version, menu_id = request.POST.get("version", ""), request.POST.get("zendesk_menu_id", "")
    menu_key = request.POST.get("menu_key", "")
    try:
        if draft is None:
            raise DraftGone()
        menu = draft.ivr_document().find_menu(menu_key)
        services.use_zendesk_menu(
            draft=draft,
            menu_key=menu_key,
            zendesk_menu_id=int(menu_id) if menu_id.isdigit() else -1,
            actor=Actor.from_request(request),
            expected_version=int(version) if version.isdigit() else -1,
        )
    except DraftError as refusal:
        messages.error(request, refusal.user_message)
    except (PhoneSystemError, DocumentError) as error:
        messages.error(request, getattr(error, "user_message", str(error)))
    else:
        name = f" '{menu.name}'" if menu is not None else ""
        messages.success(
            request,
            f"Your draft's menu{name} is now the one already in Zendesk: your keys go into it, "
            "and the keys it has that your draft does not set stay. Review it below, then publish.",
        )
    return see_other("ivr:publish", ivr_id)


@require_http_methods(["GET", "POST"])
@require_role(EDITOR)
def publish_release(request: HtmxHttpRequest, ivr_id: int) -> HttpResponse:
    """Release a publish that did not finish (its worker died): a plain warning and what Zendesk
    holds now (read again), then, with a reason, the draft is free to publish again."""
    claim = services.publish_claim(ivr_id=ivr_id)
    context: dict[str, Any] = {"ivr_id": ivr_id, "claim": claim}
    initial = {"since": claim.since.isoformat()} if claim is not None else {}
    form = ReleasePublishForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.release_publish_claim(
                ivr_id=ivr_id,
                since=form.cleaned_data["since"],
                actor=Actor.from_request(request),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as refusal:
            form.add_error("reason", " ".join(refusal.messages))
        except DraftError as refusal:
            context["refusal"], status = refusal, 409
        except PhoneSystemError as error:
            context["talk_error"], status = error, 503
        else:
            messages.success(
                request,
                "The publish is released: the draft can be published again. Check below what "
                "Zendesk holds now before publishing.",
            )
            return see_other("ivr:publish", ivr_id)
    if request.method == "POST" and form.errors:
        status = 422
    draft = services.get_draft(ivr_id=ivr_id)
    context.update(form=form, draft=draft)
    if claim is not None and draft is not None and "talk_error" not in context:
        try:  # what Zendesk holds now: the rest of the draft, still to publish
            context["preview"] = services.preview_publish(draft=draft)
        except (PhoneSystemError, DocumentError) as error:
            context["talk_error"] = error
    return render(request, "ivr/publish_release.html", context, status=status)


def _preview_page(
    request: HtmxHttpRequest,
    draft: Draft,
    form: PublishForm,
    *,
    status: int = 200,
    talk_error: PhoneSystemError | DocumentError | None = None,
) -> HttpResponse:
    context: dict[str, Any] = {
        "ivr_id": draft.ivr_id,
        "draft": draft,
        "form": form,
        "talk_error": talk_error,
        "claim": services.publish_claim(ivr_id=draft.ivr_id),
    }
    if talk_error is None:
        try:
            preview = services.preview_publish(draft=draft)
        except (PhoneSystemError, DocumentError) as error:
            talk_error, status = error, 404 if isinstance(error, PhoneSystemGone) else 503
        else:
            context.update(_preview_context(preview))
    context["talk_error"] = talk_error
    return _page(request, context, status=status)


def _preview_context(preview: PublishPreview) -> dict:
    errors = [f for f in preview.findings if f.severity is Severity.ERROR]
    warnings = [
        {"finding": finding, "anchor": _finding_anchor(finding)}
        for finding in preview.findings
        if finding.severity is Severity.WARNING
    ]
    return {
        "preview": preview,
        "errors": errors,
        "warnings": warnings,
        "trees": before_and_after(
            live=preview.live, desired=preview.desired, lookups=preview.lookups
        ),
    }


def _finding_anchor(finding: Finding) -> str:
    """Where on the IVR's page the finding's menu or key is (the checks, when neither)."""
    if finding.menu_key and finding.keypress:
        return route_anchor(finding.menu_key, finding.keypress)
    if finding.menu_key:
        return menu_anchor(finding.menu_key)
    return "checks"


def _result_page(
    request: HtmxHttpRequest, ivr_id: int, result: PublishResult, form: PublishForm
) -> HttpResponse:
    context = {"ivr_id": ivr_id, "result": result, "draft": result.draft}
    if result.draft is not None:
        # What is left to publish: the same reason, the draft's new version, ready to send.
        again = PublishForm(
            initial={"version": result.draft.version, "reason": form.cleaned_data["reason"]}
        )
        context["form"] = again
    meanwhile = (PublishOutcome.CONFLICT, PublishOutcome.SAME_NAME_MENU)  # changed in Zendesk
    status = 200 if result.succeeded else 409 if result.outcome in meanwhile else 422
    if result.error is not None:
        status = 502
    # htmx swaps only 2xx and 422 answers (see base.html): the outcome must show whatever it is.
    return _page(request, context, status=status if not request.htmx else 200)


def _refused_page(request: HtmxHttpRequest, ivr_id: int, refusal: DraftError) -> HttpResponse:
    draft = services.get_draft(ivr_id=ivr_id)
    context: dict[str, Any] = {"ivr_id": ivr_id, "draft": draft, "refusal": refusal}
    context["claim"] = services.publish_claim(ivr_id=ivr_id)
    if draft is not None:
        context["form"] = PublishForm(
            initial={"version": draft.version, "reason": request.POST.get("reason", "")}
        )
        try:
            context.update(_preview_context(services.preview_publish(draft=draft)))
        except (PhoneSystemError, DocumentError) as error:
            context["talk_error"] = error
    return _page(request, context, status=409 if not request.htmx else 200)


def _page(request: HtmxHttpRequest, context: dict, *, status: int = 200) -> HttpResponse:
    context["approval_needed"] = change_control.approval_needed(ivr_id=context["ivr_id"])
    template = f"{TEMPLATE}#publish-body" if request.htmx else TEMPLATE
    if request.htmx and status >= 400 and status != 422:
        status = 200  # shown in place: htmx leaves other error answers unswapped
    return render(request, template, context, status=status)
