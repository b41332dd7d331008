from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


class HtmxMessagesMiddleware:
    """Append pending messages to htmx responses as an out-of-band swap into the toast area.

    Views and services only call django.contrib.messages; full pages render the same messages
    in the base layout, so a message shows once whichever way the page was reached.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
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
