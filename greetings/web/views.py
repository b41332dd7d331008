"""The greeting pages: the list, one greeting, its recording played, and the changes.

Views parse, check the role, call one service (greetings.services) and render. Reads let a
phone system's failure propagate to talkadmin.middleware's page; forms catch it and show it
above the form with what was typed kept. The recording is relayed to the browser by TalkAdmin
(`greeting_audio`), so Zendesk's credentials never leave the server.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from audit.actor import Actor
from core.access import require_role
from core.errors import PhoneSystemError, PhoneSystemGone
from core.http import HtmxHttpRequest, add_service_errors, posted, see_other
from core.roles import ADMIN, EDITOR, VIEWER, has_role
from greetings import services
from greetings.web.forms import DeleteForm, NewGreetingForm, RecordingForm, RenameForm, ScriptForm
from greetings.web.ranges import Unsatisfiable, requested_range, sliced

GreetingKey = int | str


def _roles(request: HtmxHttpRequest) -> dict[str, bool]:
    return {
        "can_edit": has_role(request.user, EDITOR),
        "can_delete": has_role(request.user, ADMIN),
    }


# --- Reading ------------------------------------------------------------------------------------


@require_GET
@require_role(VIEWER)
def greeting_list(request: HtmxHttpRequest) -> HttpResponse:
    page = services.greetings_page()
    return render(request, "greetings/greeting_list.html", {"page": page, **_roles(request)})


@require_GET
@require_role(VIEWER)
def greeting_detail(request: HtmxHttpRequest, greeting_id: GreetingKey) -> HttpResponse:
    detail = services.greeting_detail(greeting_id=greeting_id)
    context = {
        "detail": detail,
        "greeting": detail.greeting,
        "rename_form": RenameForm(initial={"name": detail.greeting.name}),
        "script_form": ScriptForm(initial={"script": detail.greeting.script}),
        # Just uploaded and Zendesk is still preparing it: the status asks again until ready.
        "just_uploaded": "uploaded" in request.GET,
        **_roles(request),
    }
    return render(request, "greetings/greeting_detail.html", context)


@require_GET
@require_role(VIEWER)
def greeting_status(request: HtmxHttpRequest, greeting_id: GreetingKey) -> HttpResponse:
    """Whether Zendesk has the recording yet; while not, the partial asks again (htmx)."""
    greeting = services.greeting_now(greeting_id=greeting_id)
    template = "greetings/greeting_detail.html#status" if request.htmx else "greetings/status.html"
    return render(request, template, {"greeting": greeting, "just_uploaded": True})


@require_GET
@require_role(VIEWER)
def greeting_audio(request: HtmxHttpRequest, greeting_id: GreetingKey) -> HttpResponseBase:
    """The recording, relayed from Zendesk in chunks (never read whole), with byte ranges so
    the player can seek. Nothing to play: a page that says why (404), not a broken stream."""
    try:
        audio = services.open_greeting_audio(greeting_id=greeting_id)
    except (services.NothingToPlay, PhoneSystemGone) as silent:
        context = {"message": silent.user_message, "greeting_id": greeting_id}
        return render(request, "greetings/no_audio.html", context, status=404)
    try:
        byte_range = requested_range(request.headers.get("Range", ""), size=audio.size)
    except Unsatisfiable:
        audio.close()
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{audio.size}"
        return refused
    body = sliced(audio.chunks, byte_range) if byte_range else audio.chunks
    response = StreamingHttpResponse(
        _relayed(body, audio.close),
        content_type=audio.content_type,
        status=206 if byte_range else 200,
    )
    response["Accept-Ranges"] = "bytes"
    if byte_range:
        response["Content-Range"] = byte_range.content_range
        response["Content-Length"] = str(byte_range.length)
    elif audio.size is not None:
        response["Content-Length"] = str(audio.size)
    response["Cache-Control"] = "private, max-age=60"
    return response


def _relayed(chunks: Iterator[bytes], close: Callable[[], None]) -> Iterator[bytes]:
    try:
        yield from chunks
    finally:
        close()  # a listener who stops early frees Zendesk's connection at once


# --- Changing -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require_role(EDITOR)
def greeting_new(request: HtmxHttpRequest) -> HttpResponse:
    """A new greeting with its recording. From a menu form (`for=menu`, htmx) the answer puts
    the new greeting into that form's picker, leaving what was typed there alone."""
    for_menu = request.GET.get("for") == "menu"
    category = services.IVR_CATEGORY if for_menu else request.GET.get("category", "")
    form = NewGreetingForm(
        posted(request),
        request.FILES or None,
        initial={"category": category},
        # Under a menu form, its fields must not share the menu form's names and ids.
        prefix="new-greeting" if for_menu else None,
    )
    context: dict[str, object] = {"form": form, "for_menu": for_menu, "next": _next(request)}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["audio"]
        try:
            saved = services.create_greeting(
                name=form.cleaned_data["name"],
                category_id=form.cleaned_data["category"],
                audio=upload,
                file_name=upload.name or "",
                script=form.cleaned_data["script"],
                actor=Actor.from_request(request),
            )
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        except services.UploadIncomplete as incomplete:
            messages.warning(request, incomplete.user_message)
            return _to(request, reverse("greetings:detail", args=[incomplete.greeting_id]))
        except PhoneSystemError as error:
            context["phone_error"] = error
        else:
            return _created(request, saved, for_menu=for_menu, next_url=_next(request))
    status = 200 if request.method == "GET" else 422
    template = "greetings/new.html#new-form" if request.htmx else "greetings/new.html"
    return render(request, template, context, status=status)


def _created(
    request: HtmxHttpRequest, saved: services.GreetingSaved, *, for_menu: bool, next_url: str
) -> HttpResponse:
    greeting = saved.greeting
    messages.success(request, saved.summary)
    if for_menu and request.htmx:
        response = render(request, "greetings/new.html#chosen", {"greeting": greeting})
        response["HX-Trigger"] = json.dumps(
            {
                "greetingUploaded": {
                    "id": str(greeting.id),
                    "name": greeting.name,
                    "category": greeting.category_id,
                    "audioUrl": reverse("greetings:audio", args=[greeting.id]),
                }
            }
        )
        return response
    if next_url:
        separator = "&" if "?" in next_url else "?"
        return _to(request, f"{next_url}{separator}greeting={greeting.id}")
    return _to(request, reverse("greetings:detail", args=[greeting.id]))


@require_http_methods(["GET", "POST"])
@require_role(EDITOR)
def greeting_upload(request: HtmxHttpRequest, greeting_id: GreetingKey) -> HttpResponse:
    """Upload a recording again: the first of an incomplete greeting, or a replacement."""
    greeting = services.greeting_now(greeting_id=greeting_id)
    form = RecordingForm(posted(request), request.FILES or None)
    context: dict[str, object] = {"form": form, "greeting": greeting}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["audio"]
        try:
            saved = services.upload_greeting_recording(
                greeting_id=greeting_id,
                audio=upload,
                file_name=upload.name or "",
                actor=Actor.from_request(request),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        except (services.GreetingRefused, PhoneSystemError) as error:
            context["phone_error"] = error
        else:
            messages.success(request, saved.summary)
            detail = reverse("greetings:detail", args=[greeting_id])
            return _to(request, f"{detail}?uploaded=1" if saved.greeting.pending else detail)
    return _form_page(request, "greetings/upload.html", context)


@require_http_methods(["GET", "POST"])
@require_role(EDITOR)
def greeting_rename(request: HtmxHttpRequest, greeting_id: GreetingKey) -> HttpResponse:
    greeting = services.greeting_now(greeting_id=greeting_id)
    form = RenameForm(posted(request), initial={"name": greeting.name})
    context: dict[str, object] = {"form": form, "greeting": greeting}
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.rename_greeting(
                greeting_id=greeting_id,
                name=form.cleaned_data["name"],
                actor=Actor.from_request(request),
            )
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        except (services.GreetingRefused, PhoneSystemError) as error:
            context["phone_error"] = error
        else:
            messages.success(request, saved.summary or "The greeting already has that name.")
            return see_other("greetings:detail", greeting_id)
    return _form_page(request, "greetings/rename.html", context)


@require_http_methods(["GET", "POST"])
@require_role(EDITOR)
def greeting_script(request: HtmxHttpRequest, greeting_id: GreetingKey) -> HttpResponse:
    greeting = services.greeting_now(greeting_id=greeting_id)
    form = ScriptForm(posted(request), initial={"script": greeting.script})
    context: dict[str, object] = {"form": form, "greeting": greeting}
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.set_greeting_script(
                greeting_id=greeting_id,
                script=form.cleaned_data["script"],
                actor=Actor.from_request(request),
            )
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        except PhoneSystemError as error:
            context["phone_error"] = error
        else:
            done = changed.summary if changed else "The words are already these: nothing changed."
            messages.success(request, done)
            return see_other("greetings:detail", greeting_id)
    return _form_page(request, "greetings/script.html", context)


@require_http_methods(["GET", "POST"])
@require_role(ADMIN)
def greeting_delete(request: HtmxHttpRequest, greeting_id: GreetingKey) -> HttpResponse:
    """Admins delete: Zendesk deletes the recording for good, and TalkAdmin keeps only its
    hash, so it cannot be undone. Refused, with the uses, while anything plays it."""
    detail = services.greeting_detail(greeting_id=greeting_id)
    form = DeleteForm(posted(request))
    context: dict[str, object] = {"form": form, "greeting": detail.greeting, "detail": detail}
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_greeting(
                greeting_id=greeting_id,
                actor=Actor.from_request(request),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        except services.GreetingInUse as in_use:
            context["in_use"] = in_use
        except (services.GreetingRefused, PhoneSystemError) as error:
            context["phone_error"] = error
        else:
            messages.success(request, f"Deleted the greeting '{detail.greeting.name}'.")
            return see_other("greetings:list")
    return _form_page(request, "greetings/delete.html", context)


# --- Helpers ------------------------------------------------------------------------------------


def _form_page(request: HtmxHttpRequest, template: str, context: dict[str, object]) -> HttpResponse:
    form = context["form"]
    refused = request.method == "POST" and (
        (isinstance(form, Form) and bool(form.errors)) or "phone_error" in context
    )
    status = 422 if refused or "in_use" in context else 200
    return render(request, template, context, status=status)


def _next(request: HtmxHttpRequest) -> str:
    """Where to go back to after a new greeting (the menu form that asked), if it is ours."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if wanted and allowed else ""


def _to(request: HtmxHttpRequest, url: str) -> HttpResponse:
    """After a change: a 303 to `url`; for htmx (an upload with progress), a client redirect."""
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return see_other(url)
