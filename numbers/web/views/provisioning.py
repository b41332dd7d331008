"""The pages "Get a new number" (admins), "Release a number" (admins) and a number's History.

Plain forms: each page works without JavaScript, a refusal comes back as the same page with the
message beside the field (422) and everything typed kept; a Talk API failure is a plain message
on the same page (503, or 404 when the number is gone), never a traceback.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

import talk
from audit.actor import Actor
from audit.review import history_url
from core.access import require_role
from core.roles import ADMIN, VIEWER
from numbers.services import selectors as pages
from numbers.services.history import number_history
from numbers.services.provisioning import (
    BusinessVerificationRequired,
    address_need,
    address_rule,
    addresses_for,
    capabilities_words,
    country_name,
    number_kind,
    provision_number,
    search_numbers,
)
from numbers.services.releasing import number_label, release_number, release_preview
from numbers.web.forms.provisioning import NumberSearchForm, ProvisionForm, ReleaseForm
from talk.errors import Invalid, NotFound, RateLimited, TalkError
from talk.resources import AvailablePhoneNumber


def _see_other(url: str) -> HttpResponse:
    """303: the browser follows with a GET, so reloading does not send the form again."""
    response = redirect(url)
    response.status_code = 303
    return response


def _with_retry_after(response: HttpResponse, error: TalkError) -> HttpResponse:
    if isinstance(error, RateLimited) and error.retry_after:
        response["Retry-After"] = str(max(1, round(error.retry_after)))
    return response


def _offer(available: AvailablePhoneNumber, query: dict[str, str]) -> dict:
    """One row of the search results, in words, with the link that chooses it."""
    choose = urlencode({**query, "token": available.token or ""})
    return {
        "available": available,
        "kind": number_kind(available),
        "country": country_name(available.country_code),
        "address_rule": address_rule(available),
        "address_need": address_need(available),
        "capabilities": capabilities_words(available),
        "choose_url": f"{reverse('numbers:provision')}?{choose}#get-number",
    }


def _apply_refusal(form, refusal: ValidationError, *, field_map: dict[str, str]) -> None:
    for field, field_messages in refusal.message_dict.items():
        target = field_map.get(field, field)
        for message in field_messages:
            form.add_error(target if target in form.fields else None, message)


@never_cache
@require_http_methods(["GET", "POST"])
@require_role(ADMIN)
def provision(request: HttpRequest) -> HttpResponse:
    """Search (GET with criteria), choose (GET with `token`), get the number (POST)."""
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
        offered = search_numbers(search)
        context["offers"] = [_offer(available, query) for available in offered]
        chosen = next((a for a in offered if token and a.token == token), None)
        if token and chosen is None:
            context["chosen_gone"] = True
            status = 422
        if chosen is not None:
            context["chosen"] = _offer(chosen, query)
            addresses = addresses_for(chosen)
            context["needs_address_but_none"] = chosen.needs_address and not addresses
            form = ProvisionForm(
                request.POST if request.method == "POST" else None,
                addresses=addresses,
                initial={"token": token},
            )
            context["form"] = form
            if request.method == "POST":
                done = _provision(request, form, search, token)
                if done is not None:
                    return done
                context["failure"] = form.talk_failure
                # Trying again cannot help: only Zendesk's Admin Center can get this number.
                context["verification_needed"] = isinstance(
                    form.talk_failure, BusinessVerificationRequired
                )
                # Refused (bad input, or Zendesk said no): 422; Zendesk not answering: 503.
                status = 422 if form.errors or isinstance(form.talk_failure, Invalid) else 503
    except TalkError as error:
        context["failure"] = error
        status = 503
    response = render(request, "numbers/provision.html", context, status=status)
    return _with_retry_after(response, context["failure"]) if context["failure"] else response


def _provision(
    request: HttpRequest, form: ProvisionForm, search, token: str
) -> HttpResponse | None:
    """Get the number; None (with the form's errors or `talk_failure` set) when it failed."""
    form.talk_failure = None
    if not form.is_valid():
        return None
    try:
        number = provision_number(
            search=search,
            token=token,
            address_id=form.cleaned_data.get("address"),
            actor=Actor.from_request(request),
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as refusal:
        _apply_refusal(form, refusal, field_map={"address_sid": "address"})
        return None
    except TalkError as error:  # BusinessVerificationRequired included: its message says what to do
        form.talk_failure = error
        return None
    pages.forget_listing()  # the list's search-as-you-type must show the new number
    messages.success(
        request,
        f"{number.display_number or number.number} is now one of your numbers. "
        "Choose how it answers calls below.",
    )
    return _see_other(reverse("numbers:detail", args=[number.id]))


@never_cache
@require_http_methods(["GET", "POST"])
@require_role(ADMIN)
def release(request: HttpRequest, number_id: int) -> HttpResponse:
    """What routes to the number, and the form that releases it once its digits are typed.

    A valid POST goes straight to the service (which reads what routes to the number itself);
    the page is read again only to show a refusal or a failure.
    """
    form = ReleaseForm(request.POST if request.method == "POST" else None)
    failure: TalkError | None = None
    status = 200
    if form.is_bound:
        status = 422
        if form.is_valid():
            try:
                change_set = release_number(
                    number_id=number_id,
                    confirm_digits=form.cleaned_data["confirm_digits"],
                    actor=Actor.from_request(request),
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as refusal:
                _apply_refusal(form, refusal, field_map={})
            except NotFound:
                return _number_gone(request, number_id)
            except TalkError as error:
                failure, status = error, 503
            else:
                pages.forget_listing()  # nor may the list searched as you type show it
                name = change_set.target_name
                messages.success(request, f"Released {name}: it is no longer yours.")
                return _see_other(reverse("numbers:list"))
    try:
        preview = release_preview(number_id)
    except NotFound:
        return _number_gone(request, number_id)
    except TalkError as error:
        failure, preview, status = failure or error, None, 503
    context = {"preview": preview, "form": form, "failure": failure, "number_id": number_id}
    response = render(request, "numbers/release.html", context, status=status)
    return _with_retry_after(response, failure) if failure else response


def _number_gone(request: HttpRequest, number_id: int) -> HttpResponse:
    context = {"number_id": number_id}
    return render(request, "numbers/release_gone.html", context, status=404)


@require_GET
@require_role(VIEWER)
def history(request: HttpRequest, number_id: int) -> HttpResponse:
    """The number's change sets from the audit log; works for a released number too."""
    found = number_history(number_id)
    name, gone, failure = "", False, None
    try:
        name = number_label(talk.get_client().get_phone_number(number_id, include=()))
    except NotFound:
        gone = True
    except TalkError as error:
        failure = error
    if not name:
        name = found.last_known_name
    context = {
        "number_id": number_id,
        "name": name,
        "gone": gone,
        "failure": failure,
        "history": found,
        "change_sets": found.own,
        "history_url": history_url(target_type="phone_number", target_id=number_id),
    }
    status = 404 if gone and not found.own else 200
    return render(request, "numbers/number_history.html", context, status=status)
