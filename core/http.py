"""Small helpers every views module shares: the htmx request type, 303s, posted data, refusals."""

from typing import Any

from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request as django-htmx's middleware leaves it (django-htmx's own typing pattern)."""

    htmx: HtmxDetails


class HttpResponseSeeOther(HttpResponseRedirect):
    """303: the browser follows with a GET, so reloading the next page does not post again."""

    status_code = 303


def see_other(to: str, *args: Any, **kwargs: Any) -> HttpResponseSeeOther:
    """A 303 to a URL, or to a URL name with its arguments (as django.shortcuts.redirect)."""
    return HttpResponseSeeOther(resolve_url(to, *args, **kwargs))


def posted(request: HttpRequest) -> Any:
    """The form data of a POST (even an empty one, which must still be checked), else None."""
    return request.POST if request.method == "POST" else None


def add_service_errors(
    form: Form,
    refusal: ValidationError,
    *,
    default_field: str | None = None,
    field_map: dict[str, str] | None = None,
) -> None:
    """A service's ValidationError on the form, each message beside the field it names.

    `field_map` renames the service's fields to the form's; a message for a field the form does
    not have goes beside `default_field` (None: above the form).
    """
    if not hasattr(refusal, "error_dict"):
        form.add_error(default_field, refusal.messages)
        return
    for field, messages in refusal.message_dict.items():
        target = (field_map or {}).get(field, field)
        for message in messages:
            form.add_error(target if target in form.fields else default_field, message)
