"""The audit log's pages: the list with filters, a change set, the export, the chain check."""

from django.core import signing
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import push_url, reswap, retarget

from audit.actor import Actor
from audit.describe import describe_changes
from audit.export import export_change_sets
from audit.forms import ExportForm, LogFilterForm
from audit.interrupted import sent_without_answer
from audit.models import ApiCall, ChangeSet, SentCall
from audit.review import LogFilter, log_page
from audit.verify import GENESIS_HASH, Signatures, unsigned_rows_of, verify_chain
from core.access import require_role
from core.http import HtmxHttpRequest
from core.roles import ADMIN, VIEWER

# Rows checked per request on the verification page; the page continues until the head.
VERIFY_SLICE = 50_000
# Rows without a valid signature the page names (manage.py audit_verify names every one).
VERIFY_NAMED_ROWS = 20
_VERIFY_SALT = "audit.verify.progress"


def _cursor(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


def _list_context(request: HttpRequest, form: LogFilterForm, export_form: ExportForm) -> dict:
    """The list page's context; `page` is None while the filters have errors."""
    if form.is_bound and not form.is_valid():
        return {"form": form, "page": None, "export_form": export_form}
    log_filter = form.log_filter() if form.is_bound else LogFilter()
    page = log_page(log_filter, before=_cursor(request, "before"), after=_cursor(request, "after"))
    links = {"newest": f"?{log_filter.query_string()}"}
    if page.newer_than is not None:
        links["newer"] = f"?{log_filter.query_string(after=page.newer_than)}"
    if page.older_than is not None:
        links["older"] = f"?{log_filter.query_string(before=page.older_than)}"
    return {
        "form": form,
        "log_filter": log_filter,
        "page": page,
        "links": links,
        "export_form": export_form,
        "export_query": log_filter.query_string(),
    }


@require_GET
@require_role(VIEWER)
def change_set_list(request: HtmxHttpRequest) -> HttpResponse:
    form = LogFilterForm(request.GET or None)
    context = _list_context(request, form, ExportForm())
    if context["page"] is None:
        if request.htmx:
            response = render(request, "audit/change_set_list.html#log", context, status=422)
            return reswap(retarget(response, "#audit-log"), "outerHTML")
        return render(request, "audit/change_set_list.html", context, status=422)
    if request.htmx and request.htmx.target == "log-results":
        response = render(request, "audit/change_set_list.html#results", context)
        # The address bar shows the filter without the empty fields a form sends.
        query = context["log_filter"].query_string(**_cursors(request))
        return push_url(response, f"{request.path}?{query}" if query else request.path)
    return render(request, "audit/change_set_list.html", context)


def _cursors(request: HttpRequest) -> dict[str, int]:
    return {name: value for name in ("before", "after") if (value := _cursor(request, name))}


@require_GET
@require_role(VIEWER)
def change_set_detail(request: HttpRequest, change_set_id: int) -> HttpResponse:
    change_set = get_object_or_404(
        ChangeSet.objects.select_related("outcome_row"), pk=change_set_id
    )
    changes = (
        describe_changes(
            target_type=change_set.target_type,
            before=change_set.before,
            after=change_set.after,
            names=change_set.all_names,
        )
        if change_set.after_is_known
        else []
    )
    unanswered = sent_without_answer(change_set)
    calls: list[ApiCall | SentCall] = [*change_set.api_calls.all(), *unanswered]
    context = {
        "change_set": change_set,
        "changes": changes,
        "table_rows": [change for change in changes if change.field],
        # Every call with its answer, and the writes sent with none (their answer is unknown).
        "api_calls": sorted(calls, key=lambda call: call.sequence),
        "answer_unknown": bool(unanswered),
        "status": change_set.status,
        "unsigned_rows": unsigned_rows_of(change_set),
    }
    return render(request, "audit/change_set_detail.html", context)


@require_POST
@require_role(VIEWER)
def export_log(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    filters = LogFilterForm(request.GET)
    export_form = ExportForm(request.POST)
    if not (filters.is_valid() and export_form.is_valid()):
        context = _list_context(request, filters, export_form)
        return render(request, "audit/change_set_list.html", context, status=422)
    export = export_change_sets(
        log_filter=filters.log_filter(),
        filter_words=filters.describe(),
        file_format=export_form.cleaned_data["file_format"],
        actor=Actor.from_request(request),
        reason=export_form.cleaned_data["reason"],
    )
    response = StreamingHttpResponse(export.chunks, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@require_role(ADMIN)
def verify_log(request: HtmxHttpRequest) -> HttpResponse:
    """The chain check, in slices: each request continues where the last one stopped."""
    after, previous_hash, checked = 0, GENESIS_HASH, 0
    signatures = Signatures(named_limit=VERIFY_NAMED_ROWS)
    token = request.GET.get("progress", "")
    if token:
        try:
            after, previous_hash, checked, found = signing.loads(token, salt=_VERIFY_SALT)
            signatures = Signatures.from_list(found, named_limit=VERIFY_NAMED_ROWS)
        except (signing.BadSignature, ValueError, TypeError):
            # A tampered or stale link: start again from the beginning.
            after, previous_hash, checked = 0, GENESIS_HASH, 0
    verdict = verify_chain(
        after_position=after, previous_hash=previous_hash, limit=VERIFY_SLICE, signatures=signatures
    )
    checked += verdict.rows_checked
    progress = None
    if not verdict.finished:
        found = signatures.as_list()
        progress = signing.dumps(
            [verdict.last_position, verdict.last_hash, checked, found],
            salt=_VERIFY_SALT,
            compress=True,
        )
    context = {"verdict": verdict, "checked": checked, "progress": progress}
    template = "audit/verify.html"
    if request.htmx and request.htmx.target == "chain-verdict":
        template += "#verdict"
    return render(request, template, context)
