"""Site-wide middleware: messages for htmx responses, and the page for a phone system's failure."""

import logging

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse

from core.errors import PhoneSystemBusy, PhoneSystemError, PhoneSystemGone
from core.http import HtmxHttpRequest
from ivr.engine.document import DocumentError

logger = logging.getLogger(__name__)


class HtmxMessagesMiddleware:
    """Append pending messages to htmx responses as an out-of-band swap into the toast area.

    Views and services only call django.contrib.messages; full pages render the same messages
    in the base layout, so a message shows once whichever way the page was reached.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HtmxHttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not getattr(request, "htmx", False) or request.htmx.boosted:
            return response
        if "HX-Redirect" in response or "HX-Location" in response or response.streaming:
            return response
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        messages = get_messages(request)
        if not messages:
            return response
        response.write(
            render_to_string("includes/_toasts.html", {"messages": messages, "oob": True})
        )
        return response


# Where a failed page belongs, by URL namespace: (the URL argument naming the thing, what the
# thing is called, the list to go back to). A 404 from the phone system for that argument means
# the thing itself is gone.
FAILURE_PLACES = {
    "ivr": ("ivr_id", "ivr", "ivr:list"),
    "numbers": ("number_id", "number", "numbers:list"),
}


class PhoneSystemFailureMiddleware:
    """The one place that turns a phone system's failure into a page, for every view.

    A view that only reads lets core.errors.PhoneSystemError (or an IVR the engine cannot read,
    ivr.engine.document.DocumentError) propagate; this answers with a page in plain words:
    404 when the IVR or number of the address is gone, 502 for an answer TalkAdmin cannot
    read, 503 otherwise (with Retry-After when the system asked to wait). htmx shows its
    message as a toast and keeps the page. Views whose form must keep what was typed catch
    the error themselves and show it above the form.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, error: Exception) -> HttpResponse | None:
        if not isinstance(error, PhoneSystemError | DocumentError):
            return None
        logger.warning("Page %s failed: %s", request.path, error)
        match = request.resolver_match
        argument, kind, back = FAILURE_PLACES.get(match.namespace if match else "", ("", "", ""))
        arguments = match.kwargs if match else {}
        gone = bool(argument) and argument in arguments and isinstance(error, PhoneSystemGone)
        context = {
            "error": error,
            # An IVR the engine cannot read came from Zendesk, the only system with such IVRs.
            "system": error.system_name if isinstance(error, PhoneSystemError) else "Zendesk",
            "gone": kind if gone else "",
            "unreadable": isinstance(error, DocumentError),
            "back_url": reverse(back) if back else reverse("home"),
            "kind": kind,
        }
        status = 404 if gone else 502 if isinstance(error, DocumentError) else 503
        response = render(request, "phone_system_failure.html", context, status=status)
        retry_after = getattr(error, "retry_after", None)
        if isinstance(error, PhoneSystemBusy) and retry_after:
            response["Retry-After"] = str(max(1, round(retry_after)))
        return response
