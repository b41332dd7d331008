"""The IVR admin pages: history and revert, export and import, create and delete, numbers.

Each page is a plain full page (GET) with a form that posts back to it. A refusal (bad input,
a name taken, a draft in the way) shows the page again, with the message beside the field and
everything the admin typed still there (422, or 409 when someone else's work is in the way). A
Talk API failure while posting shows its plain message above the form, which keeps the input
(503); one while reading the page is talkadmin.middleware's failure page. After a
change the browser is sent on (303) to the page that shows it, with a message saying what
happened. Every change goes through a service that records it in the audit log.
"""

import json
import re
from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.actor import Actor
from core.access import require_role
from core.errors import PhoneSystemError, PhoneSystemGone
from core.http import HtmxHttpRequest, add_service_errors, posted, see_other
from core.roles import ADMIN, EDITOR, VIEWER, has_role
from ivr import services
from ivr.engine.document import DocumentError
from ivr.engine.lookups import Lookups, PhoneNumber
from ivr.engine.wording import quoted
from ivr.services.errors import DraftError, DraftExists, ImportRefused, NumbersTaken
from ivr.services.live import LiveIvr
from ivr.web.forms.admin import CreateIvrForm, DeleteIvrForm, ImportForm, NumbersForm, RevertForm

HISTORY_PAGE_SIZE = 25
FAILED_TO_READ = (PhoneSystemError, DocumentError)


# --- History and revert -------------------------------------------------------------------------


@require_GET
@require_role(VIEWER)
def ivr_history(request: HtmxHttpRequest, ivr_id: int) -> HttpResponse:
    """This IVR's change sets from the audit log, newest first, each with "Undo this change"
    and "Go back to how it was after this change"."""
    return _history_page(request, ivr_id)


@require_POST
@require_role(EDITOR)
def ivr_revert(request: HtmxHttpRequest, ivr_id: int, change_set_id: int) -> HttpResponse:
    """A draft that restores the IVR as it was after that change set; then its page."""
    return _restore(request, ivr_id, change_set_id, undo=False)


@require_POST
@require_role(EDITOR)
def ivr_undo(request: HtmxHttpRequest, ivr_id: int, change_set_id: int) -> HttpResponse:
    """A draft that undoes that change set (the IVR as it was before it); then its page."""
    return _restore(request, ivr_id, change_set_id, undo=True)


def _restore(
    request: HtmxHttpRequest, ivr_id: int, change_set_id: int, *, undo: bool
) -> HttpResponse:
    form = RevertForm(request.POST)
    form.is_valid()
    replace = bool(form.cleaned_data.get("replace_draft"))
    restore = services.undo_draft if undo else services.revert_draft
    try:
        draft = restore(
            ivr_id=ivr_id,
            change_set_id=change_set_id,
            actor=Actor.from_request(request),
            replace_draft=replace,
        )
    except DraftExists as refusal:
        return _history_page(
            request,
            ivr_id,
            refusal=refusal,
            confirm_change_set=change_set_id,
            confirm_undo=undo,
            status=409,
        )
    except DraftError as refusal:  # CannotRevert, DraftBusy
        return _history_page(request, ivr_id, refusal=refusal, status=409)
    except FAILED_TO_READ as error:
        return _history_page(request, ivr_id, refusal=error, status=_failure_status(error))
    if undo:
        held = f"the IVR as it was before change #{change_set_id}, which undoes that change"
    else:
        held = f"the IVR as it was after change #{change_set_id}"
    messages.success(
        request,
        f"A draft now holds {held}. Nothing is live yet: review the draft, then publish it "
        "with a reason.",
    )
    return see_other("ivr:detail", draft.ivr_id)


def _history_page(
    request: HtmxHttpRequest,
    ivr_id: int,
    *,
    refusal: Exception | None = None,
    confirm_change_set: int | None = None,
    confirm_undo: bool = False,
    status: int = 200,
) -> HttpResponse:
    history = services.ivr_history(
        ivr_id=ivr_id,
        before=_positive_int(request.GET.get("before")),
        after=_positive_int(request.GET.get("after")),
        size=HISTORY_PAGE_SIZE,
        may_revert=has_role(request.user, EDITOR),
    )
    if history is None:
        raise Http404("No IVR with this id, in Zendesk or in the audit log.")
    confirming = None
    if confirm_change_set is not None:
        confirming = next(
            (e.change_set for e in history.entries if e.change_set.pk == confirm_change_set),
            None,
        ) or services.change_set_by_id(confirm_change_set)
    context = {
        "ivr_id": ivr_id,
        "ivr_name": history.ivr_name,
        "ivr_gone": history.ivr_gone,
        "read_error": history.read_error,
        "entries": history.entries,
        "page": history.page,
        "draft": services.get_draft(ivr_id=ivr_id),
        "refusal": refusal,
        "confirming": confirming,
        "confirming_undo": confirm_undo,
    }
    return render(request, "ivr/history.html", context, status=status)


# --- Export and import --------------------------------------------------------------------------


@require_GET
@require_role(VIEWER)
def ivr_export(request: HtmxHttpRequest, ivr_id: int) -> HttpResponse:
    """The live IVR as a JSON file to download, named after the IVR."""
    exported = services.export_ivr(ivr_id=ivr_id)
    body = json.dumps(exported, indent=2, ensure_ascii=False) + "\n"
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = export_filename(exported["ivr"].get("name") or "", ivr_id=ivr_id)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response


def export_filename(name: str, *, ivr_id: int) -> str:
    """ "Main support line (IVR export 2026-11-23).json": safe on every operating system."""
    safe = re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f]+', " ", name)
    safe = " ".join(safe.split()).strip(" .")[:100] or f"IVR {ivr_id}"
    return f"{safe} (IVR export {timezone.localdate().isoformat()}).json"


@never_cache
@require_http_methods(["GET", "POST"])
@require_role(ADMIN)
def ivr_import_new(request: HtmxHttpRequest) -> HttpResponse:
    """Import a file as a new IVR (created empty in Zendesk, its menus in a draft)."""
    return _import(request, ivr_id=None)


@never_cache
@require_http_methods(["GET", "POST"])
@require_role(EDITOR)
def ivr_import_into(request: HtmxHttpRequest, ivr_id: int) -> HttpResponse:
    """Import a file as the draft of this IVR, to review and publish."""
    return _import(request, ivr_id=ivr_id)


def _import(request: HtmxHttpRequest, *, ivr_id: int | None) -> HttpResponse:
    new_ivr = ivr_id is None
    context: dict[str, Any] = {"ivr_id": ivr_id, "new_ivr": new_ivr}
    if ivr_id is not None:
        context["ivr_name"] = services.ivr_name(ivr_id=ivr_id)
        context["draft"] = services.get_draft(ivr_id=ivr_id)
    if request.method != "POST":
        context["form"] = ImportForm(new_ivr=new_ivr)
        return render(request, "ivr/import.html", context)
    form = ImportForm(request.POST, request.FILES, new_ivr=new_ivr)
    context["form"] = form
    if not form.is_valid():
        return _import_refused(request, context, status=422)
    data = form.cleaned_data
    try:
        result = services.import_ivr(
            data=data["data"],
            actor=Actor.from_request(request),
            into_ivr_id=ivr_id,
            name=data.get("name") or None,
            reason=data["reason"],
            replace_draft=bool(data.get("replace_draft")),
        )
    except DraftExists as refusal:
        context["draft_in_the_way"] = refusal
        return _import_refused(request, context, status=409)
    except ValidationError as refusal:
        add_service_errors(form, refusal, default_field="file")
        return _import_refused(request, context, status=422)
    except DraftError as refusal:  # ImportRefused, DraftBusy
        field = "file" if isinstance(refusal, ImportRefused) else None
        form.add_error(field, refusal.user_message)
        return _import_refused(request, context, status=422 if field else 409)
    except PhoneSystemError as error:
        context["talk_error"] = error
        return _import_refused(request, context, status=_failure_status(error))
    source = data["file_name"]
    if result.created:
        messages.success(
            request,
            f"Imported {quoted(source)} as the new IVR {quoted(result.draft.ivr_document().name)}. "
            "Zendesk holds it empty, answering no number; its menus wait in a draft: review "
            "it, publish it with a reason, then choose its phone numbers.",
        )
    else:
        messages.success(
            request,
            f"Imported {quoted(source)} as a draft of this IVR. Nothing is live yet: review the "
            "draft, then publish it with a reason.",
        )
    if result.unmapped:
        messages.warning(
            request,
            "Some things in the file are not in this account, so the draft leaves them out: "
            + " ".join(result.unmapped),
        )
    return see_other("ivr:detail", result.draft.ivr_id)


def _import_refused(
    request: HtmxHttpRequest, context: dict[str, Any], *, status: int
) -> HttpResponse:
    """The import page again, keeping the file that was read (a browser cannot refill it)."""
    form: ImportForm = context["form"]
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    kept = data.get("data") if not form.has_error("file") else None
    if kept is not None:
        context["kept_file"] = json.dumps(kept, ensure_ascii=False)
        context["kept_file_name"] = data.get("file_name", "")
    return render(request, "ivr/import.html", context, status=status)


# --- Create and delete --------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@require_role(ADMIN)
def ivr_create(request: HtmxHttpRequest) -> HttpResponse:
    """A new, empty IVR in Zendesk: name and reason; then its page, to build its menus."""
    form = CreateIvrForm(posted(request))
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            new_id = services.create_ivr(
                name=form.cleaned_data["name"],
                actor=Actor.from_request(request),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as refusal:
            add_service_errors(form, refusal, default_field="name")
        except PhoneSystemError as error:
            context["talk_error"] = error
            return render(request, "ivr/create.html", context, status=_failure_status(error))
        else:
            messages.success(
                request,
                f"Created the IVR {quoted(' '.join(form.cleaned_data['name'].split()))}. It "
                "answers no phone number yet: build its menus, publish them, then choose its "
                "numbers.",
            )
            return see_other("ivr:detail", new_id)
    status = 422 if form.is_bound else 200
    return render(request, "ivr/create.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
@require_role(ADMIN)
def ivr_delete(request: HtmxHttpRequest, ivr_id: int) -> HttpResponse:
    """What deleting would take away, the IVR's name typed to confirm, and a reason."""
    shown = services.delete_preview(ivr_id=ivr_id)
    form = DeleteIvrForm(posted(request))
    context: dict[str, Any] = {
        "form": form,
        "ivr_id": ivr_id,
        "live": shown.live,
        "numbers": shown.numbers,
        "draft": services.get_draft(ivr_id=ivr_id),
    }
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_ivr(
                ivr_id=ivr_id,
                actor=Actor.from_request(request),
                reason=form.cleaned_data["reason"],
                confirm_name=form.cleaned_data["confirm_name"],
            )
        except ValidationError as refusal:
            add_service_errors(form, refusal, default_field="confirm_name")
        except PhoneSystemError as error:
            context["talk_error"] = error
            return render(request, "ivr/delete.html", context, status=_failure_status(error))
        else:
            messages.success(request, f"Deleted the IVR {quoted(shown.live.name)}.")
            return see_other("ivr:list")
    status = 422 if form.is_bound else 200
    return render(request, "ivr/delete.html", context, status=status)


# --- Phone numbers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NumberRow:
    number: PhoneNumber
    uses_this: bool  # answers with this IVR now
    other_ivr: str  # the name of the other IVR it answers with now, if any
    other_ivr_id: int | None
    can_choose: bool  # digital lines cannot play an IVR
    checked: bool
    search_text: str  # what the list's search box matches


@never_cache
@require_http_methods(["GET", "POST"])
@require_role(EDITOR)
def ivr_numbers(request: HtmxHttpRequest, ivr_id: int) -> HttpResponse:
    """Choose the phone numbers that answer with this IVR (checkboxes, with search)."""
    choice = services.numbers_choice(ivr_id=ivr_id)
    live, lookups, ivr_names = choice.live, choice.lookups, choice.ivr_names
    form = NumbersForm(posted(request), number_ids=sorted(lookups.phone_numbers))
    context: dict[str, Any] = {"ivr_id": ivr_id, "live": live, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            change_set = services.assign_ivr(
                ivr_id=ivr_id,
                phone_number_ids=form.cleaned_data["phone_number_ids"],
                actor=Actor.from_request(request),
                reason=form.cleaned_data["reason"],
                move_taken=form.cleaned_data["move_taken"],
            )
        except NumbersTaken as refusal:
            context["confirm_taken"] = refusal.taken
            add_service_errors(form, refusal, default_field="phone_number_ids")
        except ValidationError as refusal:
            add_service_errors(form, refusal, default_field="phone_number_ids")
        except PhoneSystemError as error:
            context["talk_error"] = error
            context["rows"] = _number_rows(lookups, live, ivr_names, form)
            return render(request, "ivr/numbers.html", context, status=_failure_status(error))
        else:
            if change_set is None:
                messages.info(request, "Those are already the numbers that answer with this IVR.")
            else:
                messages.success(request, change_set.final_summary)
            return see_other("ivr:detail", ivr_id)
    context["rows"] = _number_rows(lookups, live, ivr_names, form)
    status = 422 if form.is_bound else 200
    return render(request, "ivr/numbers.html", context, status=status)


def _number_rows(
    lookups: Lookups, live: LiveIvr, ivr_names: dict[int, str], form: NumbersForm
) -> list[NumberRow]:
    using = {n.id for n in lookups.numbers_using(live.document)}
    if form.is_bound:
        chosen = {str(value) for value in cast(QueryDict, form.data).getlist("phone_number_ids")}
    else:
        chosen = {str(i) for i in using}
    rows = []
    for number in sorted(lookups.phone_numbers.values(), key=_number_order):
        other = number.ivr_id if number.ivr_id not in (None, live.id) else None
        rows.append(
            NumberRow(
                number=number,
                uses_this=number.id in using,
                other_ivr=ivr_names.get(other, "another IVR") if other else "",
                other_ivr_id=other,
                can_choose=number.line_type != "digital",
                checked=str(number.id) in chosen,
                search_text=" ".join(
                    [number.name, number.number, number.display_number]
                ).casefold(),
            )
        )
    return rows


def _number_order(number: PhoneNumber) -> tuple[str, str]:
    return (number.name.casefold(), number.number)


# --- Shared -------------------------------------------------------------------------------------


def _positive_int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 19 else None


def _failure_status(error: Exception) -> int:
    if isinstance(error, PhoneSystemGone):
        return 404
    return 502 if isinstance(error, DocumentError) else 503
