"""Scheduled changes' pages: *Publish at* (with an optional *Change back at*) for an IVR's draft,
and *Upcoming changes* (every role sees it; editors cancel theirs, admins anyone's)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.actor import Actor
from changes.models import ScheduledChange
from changes.services import ChangeControlRefusal, NotAllowed, schedules
from changes.web.forms import ScheduleForm
from changes.web.views import preview_context
from core.access import require_role
from core.errors import PhoneSystemError
from core.http import HtmxHttpRequest, add_service_errors, see_other
from core.roles import EDITOR, VIEWER
from ivr import services as ivrs
from ivr.engine.document import DocumentError
from ivr.services.errors import DraftError


@require_http_methods(["GET", "POST"])
@require_role(EDITOR)
def schedule(request: HtmxHttpRequest, ivr_id: int) -> HttpResponse:
    draft = ivrs.get_draft(ivr_id=ivr_id)
    if draft is None:
        raise Http404("This IVR has no draft to publish.")
    form = ScheduleForm(request.POST or None, initial={"version": draft.version})
    context: dict[str, Any] = {"ivr_id": ivr_id, "draft": draft, "form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["version"] != draft.version:
            context["refusal"], status = (
                f"{draft.last_changed_by} changed this draft after you loaded it. Nothing was "
                "scheduled: review it again below.",
                409,
            )
        else:
            try:
                change = schedules.schedule_publish(
                    draft=draft,
                    actor=Actor.from_request(request),
                    reason=form.cleaned_data["reason"],
                    run_at=form.cleaned_data["run_at"],
                    change_back_at=form.cleaned_data["change_back_at"],
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
                    f"Scheduled for {schedules.local_time(change.run_at)}: it is on Upcoming "
                    "changes. The draft is closed; its changes wait there.",
                )
                return see_other("changes:upcoming")
    if request.method == "POST" and form.errors:
        status = 422
    if "talk_error" not in context:
        try:
            context.update(preview_context(ivrs.preview_publish(draft=draft)))
        except (PhoneSystemError, DocumentError) as error:
            context["talk_error"], status = error, 503
    return render(request, "changes/schedule.html", context, status=status)


@require_GET
@require_role(VIEWER)
def upcoming(request: HtmxHttpRequest) -> HttpResponse:
    changes = list(schedules.scheduled_changes().order_by("-run_at")[:200])
    rows = [(change, schedules.may_cancel(change, request.user)) for change in changes]
    return render(
        request,
        "changes/upcoming.html",
        {
            "upcoming": [(c, can) for c, can in rows if c.is_upcoming or c.state == "running"],
            "past": [(c, can) for c, can in rows if not (c.is_upcoming or c.state == "running")],
        },
    )


@require_POST
@require_role(EDITOR)
def cancel(request: HtmxHttpRequest, change_id: int) -> HttpResponse:
    if not ScheduledChange.objects.filter(pk=change_id).exists():
        raise Http404("No such scheduled change.")
    try:
        schedules.cancel_scheduled_change(
            change_id=change_id, user=request.user, actor=Actor.from_request(request)
        )
    except ChangeControlRefusal as refusal:
        messages.error(request, refusal.user_message)
        status = 403 if isinstance(refusal, NotAllowed) else 409
        response = upcoming(request)
        response.status_code = status
        return response
    messages.success(request, "Cancelled. Nothing more will be sent for it.")
    return see_other("changes:upcoming")
