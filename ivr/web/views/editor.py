"""Editing an IVR's shared draft in place: open or discard it, rename the IVR, add, change and
delete menus and routes.

Each change is one POST that carries the draft `version` the admin's page showed. With htmx the
answer is the fresh call flow, with the checks, the draft banner, the page header and "Try it"
swapped out of band (ivr/ivr_detail.html#edit-response); without htmx, a 303 back to the IVR
page at the changed menu or route. Bad input answers 422 with the form as typed and the
message beside its field (for htmx, swapped over the form). A change someone else made first
(StaleDraft), a publish under way (DraftBusy) or a draft gone (DraftGone) changes nothing: the
admin is told in plain words and sees the fresh tree.
"""

from collections.abc import Callable
from functools import partial

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from audit.actor import Actor
from core.access import require_role
from core.roles import EDITOR
from ivr import services
from ivr.engine import edit
from ivr.engine.document import DocumentError, IvrDocument, new_menu_key
from ivr.engine.edit import EditError
from ivr.engine.lookups import Lookups
from ivr.engine.wording import keypress_name, quoted
from ivr.models import Draft
from ivr.services import selectors as pages
from ivr.services.errors import DraftError, DraftGone
from ivr.web.forms.editor import (
    ROUTE_ERROR_FIELDS,
    IvrNameForm,
    MenuForm,
    RouteForm,
    first_free_key,
    outside_number_problem,
)
from ivr.web.presenters.call_flow import IVR_ANCHOR, menu_anchor, route_anchor
from ivr.web.views.browse import _talk_failure, detail_context
from talk.errors import TalkError

Apply = Callable[[IvrDocument], IvrDocument]


# --- The draft ----------------------------------------------------------------------------------


@require_POST
@require_role(EDITOR)
def draft_open(request: HttpRequest, ivr_id: int) -> HttpResponse:
    """Start editing: the IVR's shared draft, copied from the live IVR unless one exists."""
    try:
        draft = services.open_draft(ivr_id=ivr_id, actor=Actor.from_request(request))
    except (TalkError, DocumentError) as error:
        return _talk_failure(request, error, ivr_id=ivr_id)
    if draft.created_by_id == request.user.pk and draft.version == 1:
        messages.success(
            request,
            "You are editing a draft of this IVR. Callers hear the live IVR until you publish.",
        )
    else:
        messages.info(request, f"{draft.started_by} already started a draft: you share it.")
    return _see_other(reverse("ivr:detail", args=[ivr_id]))


@require_POST
@require_role(EDITOR)
def draft_discard(request: HttpRequest, ivr_id: int) -> HttpResponse:
    draft = services.get_draft(ivr_id=ivr_id)
    try:
        if draft is None:
            raise DraftGone()
        services.discard_draft(
            draft=draft,
            actor=Actor.from_request(request),
            expected_version=_posted_version(request),
        )
    except DraftError as refusal:
        messages.error(request, refusal.user_message)
    else:
        messages.success(request, "The draft is discarded. The live IVR is unchanged.")
    if request.htmx:  # after htmx's confirmation: the whole page changes, so load it
        return HttpResponseClientRedirect(reverse("ivr:detail", args=[ivr_id]))
    return _see_other(reverse("ivr:detail", args=[ivr_id]))


# --- The IVR's name -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require_role(EDITOR)
def ivr_rename(request: HttpRequest, ivr_id: int) -> HttpResponse:
    def build(draft: Draft, document: IvrDocument, lookups: Lookups, data) -> IvrNameForm:
        initial = {"version": draft.version, "name": document.name}
        return IvrNameForm(data, initial=initial)

    def change(form: IvrNameForm, document: IvrDocument) -> tuple[Apply, str, str]:
        name = form.cleaned_data["name"]
        return (
            partial(edit.rename_ivr, name=name),
            f"The IVR is now called {quoted(' '.join(name.split()))} in the draft.",
            "ivr-name",
        )

    return _edit_view(request, ivr_id, build=build, change=change, kind="ivr-name")


# --- Menus --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require_role(EDITOR)
def menu_add(request: HttpRequest, ivr_id: int) -> HttpResponse:
    def build(draft: Draft, document: IvrDocument, lookups: Lookups, data) -> MenuForm:
        return MenuForm(data, lookups=lookups, initial={"version": draft.version})

    def change(form: MenuForm, document: IvrDocument) -> tuple[Apply, str, str]:
        key = new_menu_key()
        name = form.cleaned_data["name"]
        return (
            partial(edit.add_menu, name=name, greeting_id=form.greeting_id(), key=key),
            f"Added the menu {quoted(name)}. No key leads to it yet: add a route to it.",
            menu_anchor(key),
        )

    return _edit_view(request, ivr_id, build=build, change=change, kind="menu-add")


@require_http_methods(["GET", "POST"])
@require_role(EDITOR)
def menu_change(request: HttpRequest, ivr_id: int, menu_key: str) -> HttpResponse:
    def build(draft: Draft, document: IvrDocument, lookups: Lookups, data) -> MenuForm:
        menu = _menu_or_404(document, menu_key)
        initial = {
            "version": draft.version,
            "name": menu.name,
            "greeting": "" if menu.greeting_id is None else str(menu.greeting_id),
        }
        return MenuForm(data, lookups=lookups, menu=menu, initial=initial)

    def change(form: MenuForm, document: IvrDocument) -> tuple[Apply, str, str]:
        name, greeting_id = form.cleaned_data["name"], form.greeting_id()

        def apply(current: IvrDocument) -> IvrDocument:
            renamed = edit.rename_menu(current, menu_key=menu_key, name=name)
            return edit.set_menu_greeting(renamed, menu_key=menu_key, greeting_id=greeting_id)

        return apply, f"Changed the menu {quoted(name)}.", menu_anchor(menu_key)

    return _edit_view(
        request, ivr_id, build=build, change=change, kind="menu-change", menu_key=menu_key
    )


@require_POST
@require_role(EDITOR)
def menu_delete(request: HttpRequest, ivr_id: int, menu_key: str) -> HttpResponse:
    def change(document: IvrDocument) -> tuple[Apply, str, str]:
        menu = _menu_or_404(document, menu_key)
        return (
            partial(edit.delete_menu, menu_key=menu_key),
            f"Deleted the menu {quoted(menu.name)} from the draft.",
            IVR_ANCHOR,
        )

    return _button_view(request, ivr_id, change=change, refused_at=menu_anchor(menu_key))


# --- Routes -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require_role(EDITOR)
def route_add(request: HttpRequest, ivr_id: int, menu_key: str) -> HttpResponse:
    def build(draft: Draft, document: IvrDocument, lookups: Lookups, data) -> RouteForm:
        menu = _menu_or_404(document, menu_key)
        wanted = request.GET.get("key", "")
        initial = RouteForm.initial_for(
            None, version=draft.version, keypress=wanted or first_free_key(menu)
        )
        return RouteForm(data, document=document, menu=menu, lookups=lookups, initial=initial)

    def change(form: RouteForm, document: IvrDocument) -> tuple[Apply, str, str]:
        keypress = form.keypress_value
        menu = _menu_or_404(document, menu_key)
        return (
            partial(
                edit.add_route,
                menu_key=menu_key,
                keypress=keypress,
                destination=form.destination(),
            ),
            f"Added {keypress_name(keypress)} to {quoted(menu.name)}.",
            route_anchor(menu_key, keypress),
        )

    return _edit_view(
        request, ivr_id, build=build, change=change, kind="route-add", menu_key=menu_key
    )


@require_http_methods(["GET", "POST"])
@require_role(EDITOR)
def route_change(request: HttpRequest, ivr_id: int, menu_key: str, keypress: str) -> HttpResponse:
    def build(draft: Draft, document: IvrDocument, lookups: Lookups, data) -> RouteForm:
        menu = _menu_or_404(document, menu_key)
        route = menu.route(keypress)
        if route is None:
            raise Http404("This menu has no route for that key.")
        initial = RouteForm.initial_for(route, version=draft.version)
        return RouteForm(
            data, document=document, menu=menu, lookups=lookups, route=route, initial=initial
        )

    def change(form: RouteForm, document: IvrDocument) -> tuple[Apply, str, str]:
        new_keypress = form.keypress_value
        menu = _menu_or_404(document, menu_key)
        return (
            partial(
                edit.update_route,
                menu_key=menu_key,
                keypress=keypress,
                new_keypress=new_keypress,
                destination=form.destination(),
            ),
            f"Changed {keypress_name(new_keypress)} in {quoted(menu.name)}.",
            route_anchor(menu_key, new_keypress),
        )

    return _edit_view(
        request,
        ivr_id,
        build=build,
        change=change,
        kind="route-change",
        menu_key=menu_key,
        keypress=keypress,
    )


@require_POST
@require_role(EDITOR)
def route_delete(request: HttpRequest, ivr_id: int, menu_key: str, keypress: str) -> HttpResponse:
    def change(document: IvrDocument) -> tuple[Apply, str, str]:
        menu = _menu_or_404(document, menu_key)
        return (
            partial(edit.delete_route, menu_key=menu_key, keypress=keypress),
            f"Deleted {keypress_name(keypress)} from {quoted(menu.name)}.",
            menu_anchor(menu_key),
        )

    return _button_view(request, ivr_id, change=change, refused_at=route_anchor(menu_key, keypress))


@require_GET
@require_role(EDITOR)
def check_number(request: HttpRequest, ivr_id: int) -> HttpResponse:
    """The outside-number check as the admin types (the route form's message beside the field);
    without htmx, a small page with the same check."""
    typed = request.GET.get("phone_number", "")
    number, problem = outside_number_problem(typed)
    context = {"ivr_id": ivr_id, "typed": typed, "number": number, "problem": problem}
    template = "ivr/draft_form.html#number-check" if request.htmx else "ivr/number_check.html"
    return render(request, template, context)


# --- How every edit runs ------------------------------------------------------------------------


def _edit_view(
    request: HttpRequest,
    ivr_id: int,
    *,
    build: Callable,
    change: Callable,
    kind: str,
    menu_key: str = "",
    keypress: str = "",
) -> HttpResponse:
    """GET: the form (a partial for htmx, else its own page). POST: check it and make the edit."""
    draft = services.get_draft(ivr_id=ivr_id)
    if draft is None:
        return _refused(request, ivr_id, DraftGone())
    document = draft.ivr_document()
    try:
        lookups, _ = pages.draft_lookups(ivr_id=ivr_id, document=document, reuse_recent=True)
    except TalkError as error:
        return _talk_failure(request, error, ivr_id=ivr_id)
    data = request.POST if request.method == "POST" else None
    form = build(draft, document, lookups, data)
    form_context = {
        "ivr_id": ivr_id,
        "draft": draft,
        "document": document,
        "form": form,
        "kind": kind,
        "menu_key": menu_key,
        "keypress": keypress,
        "menu": document.find_menu(menu_key) if menu_key else None,
    }
    if request.method == "GET":
        return _form_response(request, form_context, status=200)
    if form.is_valid():
        apply, done, focus = change(form, document)
        try:
            services.edit_draft(
                draft=draft,
                edit=apply,
                actor=Actor.from_request(request),
                expected_version=form.cleaned_data["version"],
            )
        except EditError as refusal:
            field = ROUTE_ERROR_FIELDS.get(refusal.field or "", refusal.field)
            form.add_error(field if field in form.fields else None, refusal.message)
        except DraftError as refusal:
            return _refused(request, ivr_id, refusal)
        else:
            return _changed(request, ivr_id, done=done, focus=focus)
    return _form_response(request, form_context, status=422)


def _button_view(
    request: HttpRequest, ivr_id: int, *, change: Callable, refused_at: str
) -> HttpResponse:
    """A change made by one button (a delete): done, or refused with the reason."""
    draft = services.get_draft(ivr_id=ivr_id)
    try:
        if draft is None:
            raise DraftGone()
        apply, done, focus = change(draft.ivr_document())
        services.edit_draft(
            draft=draft,
            edit=apply,
            actor=Actor.from_request(request),
            expected_version=_posted_version(request),
        )
    except EditError as refusal:
        messages.error(request, refusal.message)
        return _changed(request, ivr_id, done="", focus=refused_at, status=422)
    except DraftError as refusal:
        return _refused(request, ivr_id, refusal)
    return _changed(request, ivr_id, done=done, focus=focus)


def _form_response(request: HttpRequest, context: dict, *, status: int) -> HttpResponse:
    if request.htmx:
        response = render(request, "ivr/draft_form.html#editor-form", context, status=status)
        if status != 200:
            retarget(response, f"#{context['kind']}-form")
            reswap(response, "outerHTML")
        return response
    return render(request, "ivr/draft_form.html", context, status=status)


def _changed(
    request: HttpRequest, ivr_id: int, *, done: str, focus: str, status: int = 200
) -> HttpResponse:
    if done:
        messages.success(request, done)
    if not request.htmx:
        return _see_other(f"{reverse('ivr:detail', args=[ivr_id])}#{focus}")
    try:
        context = detail_context(request, ivr_id, reuse_recent=True)
    except (TalkError, DocumentError) as error:
        return _talk_failure(request, error, ivr_id=ivr_id)
    context["focus"] = focus
    response = render(request, "ivr/ivr_detail.html#edit-response", context, status=status)
    if status != 200:
        retarget(response, "#call-flow")
        reswap(response, "outerHTML")
    return response


def _refused(request: HttpRequest, ivr_id: int, refusal: DraftError) -> HttpResponse:
    """Someone else got there first: nothing changed; say so, and show the fresh tree."""
    messages.error(request, refusal.user_message)
    if not request.htmx:
        return _see_other(reverse("ivr:detail", args=[ivr_id]))
    response = _changed(request, ivr_id, done="", focus="call-flow-heading")
    retarget(response, "#call-flow")
    reswap(response, "outerHTML")
    return response


def _menu_or_404(document: IvrDocument, menu_key: str):
    menu = document.find_menu(menu_key)
    if menu is None:
        raise Http404("This menu is not in the draft (it may have been deleted).")
    return menu


def _posted_version(request: HttpRequest) -> int:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else -1


def _see_other(url: str) -> HttpResponse:
    # 303: the browser follows with a GET, so reloading does not post again.
    response = redirect(url)
    response.status_code = 303
    return response
