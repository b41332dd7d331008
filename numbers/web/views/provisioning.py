"""The pages "Get a new number" (admins), "Release a number" (admins) and a number's History.

Plain forms: each page works without JavaScript, a refusal comes back as the same page with the
message beside the field (422) and everything typed kept. A phone system's failure while posting
is a plain message on the same page, which keeps what was typed (503, or the "not in Zendesk"
page when the number is gone); one while only reading propagates to talkadmin.middleware's page.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from audit.actor import Actor
from audit.review import history_url
from core.access import require_role
from core.errors import PhoneSystemError, PhoneSystemGone, PhoneSystemRefused
from core.http import add_service_errors, posted, see_other
from core.roles import ADMIN, EDITOR, VIEWER, has_role
from numbers import services
from numbers.countries import country_name
from numbers.web.forms.provisioning import NumberSearchForm, ProvisionForm, ReleaseForm


def _offer(available: services.AvailablePhoneNumber, query: dict[str, str]) -> dict:
    """One row of the search results, in words, with the link that chooses it."""
    choose = urlencode({**query, "token": available.token or ""})
    return {
        "available": available,
        "kind": services.number_kind(available),
        "country": country_name(available.country_code),
        "address_rule": services.address_rule(available),
        "address_need": services.address_need(available),
        "capabilities": services.capabilities_words(available),
        "choose_url": f"{reverse('numbers:provision')}?{choose}#get-number",
    }


@never_cache
@require_http_methods(["GET", "POST"])
@require_role(ADMIN)
def provision(request: HttpRequest) -> HttpResponse:
    """Search (GET with criteria), choose (GET with `token`), get the number (POST).

    Reading what Zendesk offers can fail: on a GET that is the failure page; on the POST it shows
    on this page, with the search as it was (a failure of the create itself keeps the reason
    too).
    """
    data = request.POST if request.method == "POST" else request.GET
    search_form = NumberSearchForm(data if data.get("country") is not None else None)
    context: dict = {"search_form": search_form, "offers": None, "chosen": None, "failure": None}
    status = 200
    if not search_form.is_bound:
        return render(request, "numbers/provision.html", context)
    if not search_form.is_valid():
        return render(request, "numbers/provision.html", context, status=422)

    search = search_form.search()
    query = {name: str(value) for name, value in search_form.cleaned_data.items() if value}
    context["search"] = search
    context["query_string"] = urlencode(query)
    token = data.get("token", "")
    try:
        offered = services.search_numbers(search)
        context["offers"] = [_offer(available, query) for available in offered]
        chosen = next((a for a in offered if token and a.token == token), None)
        if token and chosen is None:
            context["chosen_gone"] = True
            status = 422
        if chosen is not None:
            context["chosen"] = _offer(chosen, query)
            addresses = services.addresses_for(chosen)
            context["needs_address_but_none"] = chosen.needs_address and not addresses
            form = ProvisionForm(posted(request), addresses=addresses, initial={"token": token})
            context["form"] = form
            if request.method == "POST":
                done = _provision(request, form, search, token)
                if done is not None:
                    return done
                context["failure"] = form.talk_failure
                # Trying again cannot help: only Zendesk's Admin Center can get this number.
                context["verification_needed"] = isinstance(
                    form.talk_failure, services.BusinessVerificationRequired
                )
                # Refused (bad input, or Zendesk said no): 422; Zendesk not answering: 503.
                refused = form.errors or isinstance(form.talk_failure, PhoneSystemRefused)
                status = 422 if refused else 503
    except PhoneSystemError as error:
        if request.method != "POST":
            raise
        context["failure"] = error
        status = 503
    return render(request, "numbers/provision.html", context, status=status)


def _provision(
    request: HttpRequest, form: ProvisionForm, search: services.NumberSearch, token: str
) -> HttpResponse | None:
    """Get the number; None (with the form's errors or `talk_failure` set) when it failed."""
    form.talk_failure = None
    if not form.is_valid():
        return None
    try:
        number = services.provision_number(
            search=search,
            token=token,
            address_id=form.cleaned_data.get("address"),
            actor=Actor.from_request(request),
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as refusal:
        add_service_errors(form, refusal, field_map={"address_sid": "address"})
        return None
    except PhoneSystemError as error:  # BusinessVerificationRequired too: it says what to do
        form.talk_failure = error
        return None
    services.forget_listing()  # the list's search-as-you-type must show the new number
    messages.success(
        request,
        f"{number.display_number or number.number} is now one of your numbers. "
        "Choose how it answers calls below.",
    )
    return see_other("numbers:detail", number.id)


@never_cache
@require_http_methods(["GET", "POST"])
@require_role(ADMIN)
def release(request: HttpRequest, number_id: int) -> HttpResponse:
    """What routes to the number, and the form that releases it once its digits are typed.

    A valid POST goes straight to the service (which reads what routes to the number itself);
    the page is read again only to show a refusal or a failure. A number Zendesk no longer has
    gets its own page, with the way to its history.
    """
    form = ReleaseForm(posted(request))
    failure: PhoneSystemError | None = None
    status = 200
    if form.is_bound:
        status = 422
        if form.is_valid():
            try:
                change_set = services.release_number(
                    number_id=number_id,
                    confirm_digits=form.cleaned_data["confirm_digits"],
                    actor=Actor.from_request(request),
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as refusal:
                add_service_errors(form, refusal)
            except PhoneSystemGone:
                return _number_gone(request, number_id)
            except PhoneSystemError as error:
                failure, status = error, 503
            else:
                services.forget_listing()  # nor may the list searched as you type show it
                name = change_set.target_name
                messages.success(request, f"Released {name}: it is no longer yours.")
                return see_other("numbers:list")
    try:
        preview = services.release_preview(number_id)
    except PhoneSystemGone:
        return _number_gone(request, number_id)
    except PhoneSystemError as error:
        if not form.is_bound:
            raise  # only reading: the failure page
        failure, preview, status = failure or error, None, 503
    context = {"preview": preview, "form": form, "failure": failure, "number_id": number_id}
    return render(request, "numbers/release.html", context, status=status)


def _number_gone(request: HttpRequest, number_id: int) -> HttpResponse:
    context = {"number_id": number_id}
    return render(request, "numbers/release_gone.html", context, status=404)


@require_GET
@require_role(VIEWER)
def history(request: HttpRequest, number_id: int) -> HttpResponse:
    """The number's change sets from the audit log; works for a released number too, and
    while Zendesk cannot answer (the page says so)."""
    found = services.number_history_page(number_id=number_id)
    context = {
        "number_id": number_id,
        "name": found.name,
        "gone": found.gone,
        "failure": found.read_error,
        "history": found.history,
        "change_sets": found.history.own,
        "history_url": history_url(target_type="phone_number", target_id=number_id),
        "can_edit": has_role(request.user, EDITOR),
    }
    status = 404 if found.gone and not found.history.own else 200
    return render(request, "numbers/number_history.html", context, status=status)
