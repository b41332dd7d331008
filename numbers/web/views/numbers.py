"""The phone-number pages: the list, one number's page, and changing a section of its settings.

Every page is a full page on a plain GET; htmx requests get the named partials of the same
templates (the list's results; one settings section; the whole number after a save). A phone
system's failure while reading propagates to talkadmin.middleware, whose page says it in plain
words (for htmx, a toast; the page stays); one while saving shows above the form, which keeps
what was typed.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import replace_url, retarget

from audit.actor import Actor
from core import phone
from core.access import require_role
from core.errors import PhoneSystemError
from core.http import HtmxHttpRequest, add_service_errors
from core.roles import EDITOR, VIEWER, has_role
from numbers import services
from numbers.catalogue import SECTIONS, SECTIONS_BY_KEY, settings_of
from numbers.countries import country_name
from numbers.web.forms.settings import NumberFilterForm, SettingsForm
from numbers.wording import call_summary, shown_value, warnings

LIST_TARGET = "number-results"


# --- The list -----------------------------------------------------------------------------------


@require_GET
@require_role(VIEWER)
def number_list(request: HtmxHttpRequest) -> HttpResponse:
    form = NumberFilterForm(request.GET)
    if not form.is_valid():
        return _list_response(request, {"form": form, "listing": None}, status=422)
    filters = form.filters()
    listing = services.number_listing(filters=filters, reuse_recent=bool(request.htmx))
    form.set_choices(countries=listing.countries, ivrs=listing.ivrs)
    query = _list_query(request)
    # The page links add `page=N` to the search and filters.
    context = {"form": form, "listing": listing, "page_query": f"{query}&" if query else ""}
    response = _list_response(request, context)
    if request.htmx and request.htmx.target == LIST_TARGET:
        # The address shows the search and filters, so it can be shared and reloaded.
        return replace_url(response, _list_url(request, page=listing.page.number))
    return response


def _list_response(request: HtmxHttpRequest, context: dict, status: int = 200) -> HttpResponse:
    template = "numbers/number_list.html"
    if request.htmx and request.htmx.target == LIST_TARGET:
        template += "#results"
    return render(request, template, context, status=status)


def _list_query(request: HtmxHttpRequest) -> str:
    """The search and filters of the address, without the page: the page links add theirs."""
    return urlencode(
        {
            key: request.GET[key]
            for key in ("q", "country", "capability", "ivr", "recording")
            if request.GET.get(key)
        }
    )


def _list_url(request: HtmxHttpRequest, *, page: int) -> str:
    parts = [_list_query(request), f"page={page}" if page > 1 else ""]
    query = "&".join(part for part in parts if part)
    return f"{request.path}?{query}" if query else request.path


# --- One number ---------------------------------------------------------------------------------


@require_GET
@require_role(VIEWER)
def number_detail(request: HtmxHttpRequest, number_id: int) -> HttpResponse:
    page = services.number_page(number_id=number_id)
    return render(request, "numbers/number_detail.html", _detail_context(request, page))


@require_http_methods(["GET", "POST"])
@require_role(EDITOR)
def edit_settings(request: HtmxHttpRequest, number_id: int, section: str) -> HttpResponse:
    """One section's form (GET); saving it (POST) sends only what the admin changed."""
    if section not in SECTIONS_BY_KEY:
        raise Http404("No such settings section.")
    if request.method == "GET":
        page = services.number_page(number_id=number_id)
        form = SettingsForm(
            number_id=number_id, section=section, names=page.names, number=page.number
        )
        return _form_response(request, page, form)
    names = services.account_names()
    form = SettingsForm(request.POST, number_id=number_id, section=section, names=names)
    if not form.is_valid():
        return _form_response(request, None, form, status=422)
    try:
        saved = services.change_number_settings(
            number_id=number_id,
            section=section,
            submitted=form.submitted_values(),
            loaded=form.cleaned_data["loaded"],
            names=names,
            actor=Actor.from_request(request),
            reason=form.cleaned_data["reason"],
        )
    except services.SettingsConflict as conflict:
        mine = {key: form.cleaned_data[key] for key in conflict.changed}
        form = SettingsForm(
            number_id=number_id,
            section=section,
            names=names,
            initial={**conflict.current, **mine, "reason": form.cleaned_data["reason"]},
            loaded=conflict.current,
            conflicts=conflict.conflicts,
            region=form.region,
        )
        form.conflict_message = conflict.user_message
        return _form_response(request, None, form, status=422)
    except ValidationError as refusal:  # the section's rules, or Zendesk refusing a value
        add_service_errors(form, refusal)
        return _form_response(request, None, form, status=422)
    except PhoneSystemError as error:
        if request.htmx:
            raise  # the failure page's message becomes a toast; the form stays as typed
        form.add_error(None, error.user_message)
        return _form_response(request, None, form, status=503)
    services.forget_listing()
    if saved.change_set is None:
        messages.info(request, "Nothing to save: Zendesk already has these values.")
    else:
        messages.success(request, f"Saved. {saved.summary}")
    if not request.htmx:
        return redirect("numbers:detail", number_id=number_id)
    page = services.NumberPage(number=saved.number, names=names, read_at=timezone.now())
    response = render(
        request, "numbers/number_detail.html#number-page", _detail_context(request, page)
    )
    return retarget(response, "#number-page")


def _form_response(
    request: HtmxHttpRequest,
    page: services.NumberPage | None,
    form: SettingsForm,
    *,
    status: int = 200,
) -> HttpResponse:
    """The section's form: in place for htmx, else on the number's page (`page`) or, after a
    POST, on a page of its own, so showing a refusal costs no further Talk API call."""
    if page is not None and not request.htmx:
        context = _detail_context(request, page, form=form)
        return render(request, "numbers/number_detail.html", context, status=status)
    interplays = [w for w in warnings(page.number) if w.section == form.section] if page else []
    section = _section_view(SECTIONS_BY_KEY[form.section], None, form=form, interplays=interplays)
    context = {"section": section, "number_id": form.number_id, "can_edit": True}
    template = (
        "numbers/number_detail.html#section" if request.htmx else "numbers/settings_form.html"
    )
    return render(request, template, context, status=status)


def _detail_context(
    request: HtmxHttpRequest, page: services.NumberPage, *, form: SettingsForm | None = None
) -> dict:
    number = page.number
    interplays = warnings(number)
    return {
        "number": number,
        "number_id": int(number["id"]),
        "label": phone.short_label(**phone.label_parts(number)),
        "summary": call_summary(number, page.names),
        "interplays": interplays,
        "facts": _facts(number),
        "sections": [
            _section_view(
                section,
                page,
                form=form if form is not None and form.section == section.key else None,
                interplays=[w for w in interplays if w.section == section.key],
            )
            for section in SECTIONS
        ],
        "can_edit": has_role(request.user, EDITOR),
        "read_at": page.read_at,
        "last_change": services.last_settings_change(int(number["id"]))
        if has_role(request.user, EDITOR)
        else None,
    }


def _section_view(section, page, *, form=None, interplays=()) -> dict:
    rows = []
    if page is not None:
        rows = [
            {
                "key": setting.key,
                "label": setting.label,
                "value": shown_value(setting, setting.read(page.number), page.names),
            }
            for setting in settings_of(section.key)
        ]
    return {
        "key": section.key,
        "title": section.title,
        "intro": section.intro,
        "rows": rows,
        "form": form,
        "interplays": interplays,
    }


def _facts(number: dict) -> list[tuple[str, str]]:
    capabilities = number.get("capabilities") or {}
    can = [label for key, label in services.CAPABILITIES if capabilities.get(key)]
    if capabilities.get("emergency_address"):
        can.append("emergency address")
    return [
        ("Number", number.get("display_number") or number.get("number") or ""),
        ("Country", country_name(number.get("country_code")) or "unknown"),
        ("Location", number.get("location") or "not given"),
        ("Kind", "Toll-free" if number.get("toll_free") else "Local"),
        ("Line type", {"digital": "Digital line"}.get(number.get("line_type") or "", "Phone")),
        ("Can do", ", ".join(can) or "nothing Zendesk reports"),
        ("External caller id", "yes" if number.get("external") else "no"),
        ("Created", (number.get("created_at") or "")[:10] or "unknown"),
    ]
