"""Editing an IVR's shared draft in place: open or discard it, rename the IVR, add, change and
delete menus and routes.

Each change is one POST that carries the draft `version` the admin's page showed, and calls one
named service (ivr.services.editing). With htmx the answer is the fresh call flow, with the
checks, the draft banner, the page header and "Try it" swapped out of band
(ivr/ivr_detail.html#edit-response); without htmx, a 303 back to the IVR page at the changed
menu or route. Bad input answers 422 with the form as typed and the message beside its field
(for htmx, swapped over the form). A change someone else made first (StaleDraft), a publish
under way (DraftBusy) or a draft gone (DraftGone) changes nothing: the admin is told in plain
words and sees the fresh tree. Zendesk failures propagate to talkadmin.middleware's page.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from audit.actor import Actor
from core.access import require_role
from core.http import HtmxHttpRequest, posted, see_other
from core.roles import EDITOR
from ivr import services
from ivr.engine.document import IvrDocument, Menu, new_menu_key
from ivr.engine.edit import EditError
from ivr.engine.lookups import Lookups
from ivr.engine.wording import keypress_name, quoted
from ivr.models import Draft
from ivr.services import selectors as pages
from ivr.services.errors import DraftError
from ivr.services.presence import draft_gone
from ivr.web.forms.editor import (
    ROUTE_ERROR_FIELDS,
    IvrNameForm,
    MenuForm,
    RouteForm,
    first_free_key,
    outside_number_problem,
)
from ivr.web.presenters.call_flow import IVR_ANCHOR, menu_anchor, route_anchor
from ivr.web.views.browse import detail_context

# --- How every edit runs ------------------------------------------------------------------------


@dataclass(frozen=True)
class Editing:
    """The draft as the admin's page loaded it, and the account's names its forms choose from."""

    draft: Draft
    document: IvrDocument
    lookups: Lookups


def _draft(ivr_id: int) -> Draft:
    draft = services.get_draft(ivr_id=ivr_id)
    if draft is None:
        raise draft_gone(ivr_id)
    return draft


def _editing(request: HtmxHttpRequest, ivr_id: int) -> Editing:
    """Raises DraftGone without a draft, a PhoneSystemError when Zendesk cannot name things."""
    draft = _draft(ivr_id)
    document = draft.ivr_document()
    lookups, _ = pages.draft_lookups(ivr_id=ivr_id, document=document, reuse_recent=True)
    return Editing(draft=draft, document=document, lookups=lookups)


def _who(request: HtmxHttpRequest, form: Form) -> dict:
    """Who edits, and the draft version their page showed (guards against lost updates)."""
    return {
        "actor": Actor.from_request(request),
        "expected_version": form.cleaned_data["version"],
    }


@contextmanager
def refusal_beside_field(form: Form) -> Iterator[None]:
    """An edit the draft cannot take (ivr.engine.edit.EditError) as a message beside its field;
    the view then answers with the form as typed."""
    try:
        yield
    except EditError as refusal:
        field = ROUTE_ERROR_FIELDS.get(refusal.field or "", refusal.field)
        if field not in form.fields:  # e.g. "name": the menu form's own, a new menu's otherwise
            field = refusal.field
        form.add_error(field if field in form.fields else None, refusal.message)


def refused_when_draft_moved(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Someone else got there first (StaleDraft, DraftBusy, DraftGone): nothing changed; the
    admin is told so and sees the fresh tree."""

    @wraps(view)
    def wrapped(request: HtmxHttpRequest, ivr_id: int, **kwargs: str) -> HttpResponse:
        try:
            return view(request, ivr_id, **kwargs)
        except DraftError as refusal:
            return _refused(request, ivr_id, refusal)

    return wrapped


def _edit_refused(
    request: HtmxHttpRequest, ivr_id: int, refusal: EditError, *, focus: str
) -> HttpResponse:
    """A button's change the draft cannot take (a menu still led to): said, nothing changed."""
    messages.error(request, refusal.message)
    return _changed(request, ivr_id, done="", focus=focus, status=422)


# --- The draft ----------------------------------------------------------------------------------


@require_POST
@require_role(EDITOR)
def draft_open(request: HtmxHttpRequest, ivr_id: int) -> HttpResponse:
    """Start editing: the IVR's shared draft, copied from the live IVR unless one exists."""
    draft = services.open_draft(ivr_id=ivr_id, actor=Actor.from_request(request))
    if draft.created_by_id == request.user.pk and draft.version == 1:
        messages.success(
            request,
            "You are editing a draft of this IVR. Callers hear the live IVR until you publish.",
        )
    else:
        messages.info(request, f"{draft.started_by} already started a draft: you share it.")
    return see_other("ivr:detail", ivr_id)


@require_POST
@require_role(EDITOR)
def draft_discard(request: HtmxHttpRequest, ivr_id: int) -> HttpResponse:
    draft = services.get_draft(ivr_id=ivr_id)
    try:
        if draft is None:
            raise draft_gone(ivr_id, reader_id=request.user.pk)
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
    return see_other("ivr:detail", ivr_id)


# --- The IVR's name -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require_role(EDITOR)
@refused_when_draft_moved
def ivr_rename(request: HtmxHttpRequest, ivr_id: int) -> HttpResponse:
    editing = _editing(request, ivr_id)
    initial = {"version": editing.draft.version, "name": editing.document.name}
    form = IvrNameForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["name"]
        with refusal_beside_field(form):
            services.draft_rename_ivr(draft=editing.draft, name=name, **_who(request, form))
            done = f"The IVR is now called {quoted(' '.join(name.split()))} in the draft."
            return _changed(request, ivr_id, done=done, focus="ivr-name")
    return _form_response(request, editing, form, kind="ivr-name")


# --- Menus --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require_role(EDITOR)
@refused_when_draft_moved
def menu_add(request: HtmxHttpRequest, ivr_id: int) -> HttpResponse:
    editing = _editing(request, ivr_id)
    # A greeting just uploaded for this menu (greetings:new sends the admin back with it).
    initial = {"version": editing.draft.version, "greeting": request.GET.get("greeting", "")}
    form = MenuForm(posted(request), lookups=editing.lookups, initial=initial)
    if request.method == "POST" and form.is_valid():
        key, name = new_menu_key(), form.cleaned_data["name"]
        with refusal_beside_field(form):
            services.draft_add_menu(
                draft=editing.draft,
                menu_key=key,
                name=name,
                greeting_id=form.greeting_id(),
                **_who(request, form),
            )
            done = f"Added the menu {quoted(name)}. No key leads to it yet: add a route to it."
            return _changed(request, ivr_id, done=done, focus=menu_anchor(key))
    return _form_response(request, editing, form, kind="menu-add")


@require_http_methods(["GET", "POST"])
@require_role(EDITOR)
@refused_when_draft_moved
def menu_change(request: HtmxHttpRequest, ivr_id: int, menu_key: str) -> HttpResponse:
    editing = _editing(request, ivr_id)
    menu = _menu_or_404(editing.document, menu_key)
    initial = {
        "version": editing.draft.version,
        "name": menu.name,
        "greeting": request.GET.get("greeting")
        or ("" if menu.greeting_id is None else str(menu.greeting_id)),
    }
    form = MenuForm(posted(request), lookups=editing.lookups, menu=menu, initial=initial)
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["name"]
        with refusal_beside_field(form):
            services.draft_change_menu(
                draft=editing.draft,
                menu_key=menu_key,
                name=name,
                greeting_id=form.greeting_id(),
                **_who(request, form),
            )
            done = f"Changed the menu {quoted(name)}."
            return _changed(request, ivr_id, done=done, focus=menu_anchor(menu_key))
    return _form_response(request, editing, form, kind="menu-change", menu_key=menu_key)


@require_POST
@require_role(EDITOR)
@refused_when_draft_moved
def menu_delete(request: HtmxHttpRequest, ivr_id: int, menu_key: str) -> HttpResponse:
    draft = _draft(ivr_id)
    menu = _menu_or_404(draft.ivr_document(), menu_key)
    try:
        services.draft_delete_menu(
            draft=draft,
            menu_key=menu_key,
            actor=Actor.from_request(request),
            expected_version=_posted_version(request),
        )
    except EditError as refusal:
        return _edit_refused(request, ivr_id, refusal, focus=menu_anchor(menu_key))
    done = f"Deleted the menu {quoted(menu.name)} from the draft."
    return _changed(request, ivr_id, done=done, focus=IVR_ANCHOR)


# --- Routes -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require_role(EDITOR)
@refused_when_draft_moved
def route_add(request: HtmxHttpRequest, ivr_id: int, menu_key: str) -> HttpResponse:
    editing = _editing(request, ivr_id)
    menu = _menu_or_404(editing.document, menu_key)
    wanted = request.GET.get("key", "")
    initial = RouteForm.initial_for(
        None, version=editing.draft.version, keypress=wanted or first_free_key(menu)
    )
    form = RouteForm(
        posted(request),
        document=editing.document,
        menu=menu,
        lookups=editing.lookups,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid() and form.makes_new_menu:
        return _route_to_new_menu(request, editing, form, menu=menu, keypress=None)
    if request.method == "POST" and form.is_valid():
        keypress = form.keypress_value
        destination = form.destination()
        assert destination is not None  # "keep it as it is" is offered only for a route made
        with refusal_beside_field(form):
            services.draft_add_route(
                draft=editing.draft,
                menu_key=menu_key,
                keypress=keypress,
                destination=destination,
                **_who(request, form),
            )
            done = f"Added {keypress_name(keypress)} to {quoted(menu.name)}."
            return _changed(request, ivr_id, done=done, focus=route_anchor(menu_key, keypress))
    return _form_response(request, editing, form, kind="route-add", menu_key=menu_key)


@require_http_methods(["GET", "POST"])
@require_role(EDITOR)
@refused_when_draft_moved
def route_change(
    request: HtmxHttpRequest, ivr_id: int, menu_key: str, keypress: str
) -> HttpResponse:
    editing = _editing(request, ivr_id)
    menu = _menu_or_404(editing.document, menu_key)
    route = menu.route(keypress)
    if route is None:
        raise Http404("This menu has no route for that key.")
    form = RouteForm(
        posted(request),
        document=editing.document,
        menu=menu,
        lookups=editing.lookups,
        route=route,
        initial=RouteForm.initial_for(route, version=editing.draft.version),
    )
    if request.method == "POST" and form.is_valid() and form.makes_new_menu:
        return _route_to_new_menu(request, editing, form, menu=menu, keypress=keypress)
    if request.method == "POST" and form.is_valid():
        new_keypress = form.keypress_value
        with refusal_beside_field(form):
            services.draft_change_route(
                draft=editing.draft,
                menu_key=menu_key,
                keypress=keypress,
                new_keypress=new_keypress,
                destination=form.destination(),
                **_who(request, form),
            )
            done = f"Changed {keypress_name(new_keypress)} in {quoted(menu.name)}."
            focus = route_anchor(menu_key, new_keypress)
            return _changed(request, ivr_id, done=done, focus=focus)
    return _form_response(
        request, editing, form, kind="route-change", menu_key=menu_key, keypress=keypress
    )


def _route_to_new_menu(
    request: HtmxHttpRequest,
    editing: Editing,
    form: RouteForm,
    *,
    menu: Menu,
    keypress: str | None,
) -> HttpResponse:
    """The key's form chose "A new menu…": the menu and the key's route, one draft change.
    `keypress` None: the key is new; else the route of that key changes."""
    chosen = form.keypress_value
    new_key, name = new_menu_key(), form.cleaned_data["new_menu_name"]
    with refusal_beside_field(form):
        services.draft_route_to_new_menu(
            draft=editing.draft,
            menu_key=menu.key,
            keypress=chosen if keypress is None else keypress,
            new_keypress=None if keypress is None else chosen,
            new_menu_key=new_key,
            name=name,
            greeting_id=form.new_menu_greeting_id(),
            **_who(request, form),
        )
        done = (
            f"Added the menu {quoted(name)}: {keypress_name(chosen)} of {quoted(menu.name)} "
            "leads to it. Add its keys next."
        )
        return _changed(request, editing.draft.ivr_id, done=done, focus=menu_anchor(new_key))
    kind, own = ("route-add", "") if keypress is None else ("route-change", keypress)
    return _form_response(request, editing, form, kind=kind, menu_key=menu.key, keypress=own)


@require_POST
@require_role(EDITOR)
@refused_when_draft_moved
def route_delete(
    request: HtmxHttpRequest, ivr_id: int, menu_key: str, keypress: str
) -> HttpResponse:
    draft = _draft(ivr_id)
    menu = _menu_or_404(draft.ivr_document(), menu_key)
    try:
        services.draft_delete_route(
            draft=draft,
            menu_key=menu_key,
            keypress=keypress,
            actor=Actor.from_request(request),
            expected_version=_posted_version(request),
        )
    except EditError as refusal:
        return _edit_refused(request, ivr_id, refusal, focus=route_anchor(menu_key, keypress))
    done = f"Deleted {keypress_name(keypress)} from {quoted(menu.name)}."
    return _changed(request, ivr_id, done=done, focus=menu_anchor(menu_key))


@require_GET
@require_role(EDITOR)
def check_number(request: HtmxHttpRequest, ivr_id: int) -> HttpResponse:
    """The outside-number check as the admin types (the route form's message beside the field);
    without htmx, a small page with the same check."""
    typed = request.GET.get("phone_number", "")
    number, problem = outside_number_problem(typed)
    context = {"ivr_id": ivr_id, "typed": typed, "number": number, "problem": problem}
    template = "ivr/draft_form.html#number-check" if request.htmx else "ivr/number_check.html"
    return render(request, template, context)


def _form_response(
    request: HtmxHttpRequest,
    editing: Editing,
    form: Form,
    *,
    kind: str,
    menu_key: str = "",
    keypress: str = "",
) -> HttpResponse:
    """GET: the form (a partial for htmx, else its own page); a refused POST: the form as typed,
    with the messages beside their fields (422)."""
    status = 200 if request.method == "GET" else 422
    context = {
        "ivr_id": editing.draft.ivr_id,
        "draft": editing.draft,
        "document": editing.document,
        "form": form,
        "kind": kind,
        "menu_key": menu_key,
        "keypress": keypress,
        "menu": editing.document.find_menu(menu_key) if menu_key else None,
    }
    if request.htmx:
        response = render(request, "ivr/draft_form.html#editor-form", context, status=status)
        if status != 200:
            retarget(response, f"#{kind}-form")
            reswap(response, "outerHTML")
        return response
    return render(request, "ivr/draft_form.html", context, status=status)


def _changed(
    request: HtmxHttpRequest, ivr_id: int, *, done: str, focus: str, status: int = 200
) -> HttpResponse:
    if done:
        messages.success(request, done)
    if not request.htmx:
        return see_other(f"{reverse('ivr:detail', args=[ivr_id])}#{focus}")
    context = detail_context(request, ivr_id, reuse_recent=True)
    context["focus"] = focus
    response = render(request, "ivr/ivr_detail.html#edit-response", context, status=status)
    if status != 200:
        retarget(response, "#call-flow")
        reswap(response, "outerHTML")
    return response


def _refused(request: HtmxHttpRequest, ivr_id: int, refusal: DraftError) -> HttpResponse:
    """Someone else got there first: nothing changed; say so, and show the fresh tree."""
    messages.error(request, refusal.user_message)
    if not request.htmx:
        return see_other("ivr:detail", ivr_id)
    response = _changed(request, ivr_id, done="", focus="call-flow-heading")
    retarget(response, "#call-flow")
    reswap(response, "outerHTML")
    return response


def _menu_or_404(document: IvrDocument, menu_key: str) -> Menu:
    menu = document.find_menu(menu_key)
    if menu is None:
        raise Http404("This menu is not in the draft (it may have been deleted).")
    return menu


def _posted_version(request: HtmxHttpRequest) -> int:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else -1
