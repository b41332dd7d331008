"""The IVR pages: the list, and one IVR's call flow with its checks and "Try it".

Editing the draft is in ivr.web.views.editor, publishing it in ivr.web.views.publish.

Both pages are full pages on a plain GET; their htmx requests (the search as you type, each
keypad press) get the named partials of the same templates. A Talk API failure propagates to
talkadmin.middleware, whose page says it in plain words (for htmx, a toast; the page stays).
"""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django_htmx.http import push_url, replace_url

from core.access import require_role
from core.http import HtmxHttpRequest
from core.roles import EDITOR, VIEWER, has_role
from ivr import services
from ivr.services import selectors as pages
from ivr.web.forms.search import IvrSearchForm
from ivr.web.presenters.ivr_page import IvrView, ivr_view


@require_GET
@require_role(VIEWER)
def ivr_list(request: HtmxHttpRequest) -> HttpResponse:
    form = IvrSearchForm(request.GET)
    if not form.is_valid():
        context = {"form": form, "listing": None}
        return _list_response(request, context, status=422)
    search = form.cleaned_data["q"]
    listing = pages.ivr_listing(search=search, reuse_recent=bool(request.htmx))
    drafts = services.pending_drafts(ivr_ids=[ivr.id for ivr in listing.ivrs])
    rows = [(ivr, drafts.get(ivr.id)) for ivr in listing.ivrs]
    response = _list_response(request, {"form": form, "listing": listing, "rows": rows})
    if request.htmx and request.htmx.target == "ivr-results":
        # The address shows the search, so it can be shared and reloaded; typing adds no history.
        query = urlencode({"q": search}) if search else ""
        return replace_url(response, f"{request.path}?{query}" if query else request.path)
    return response


def _list_response(request: HtmxHttpRequest, context: dict, status: int = 200) -> HttpResponse:
    template = "ivr/ivr_list.html"
    if request.htmx and request.htmx.target == "ivr-results":
        template += "#results"
    return render(request, template, context, status=status)


@require_GET
@require_role(VIEWER)
def ivr_detail(request: HtmxHttpRequest, ivr_id: int) -> HttpResponse:
    """The IVR's call flow; `?call=1-9` replays keypad presses and `press` adds one.

    Editors see the IVR's draft, with its editing controls, when it has one; everyone else
    sees the live IVR, read-only.
    """
    pressing = request.htmx and request.htmx.target == "try-it"
    context = detail_context(
        request,
        ivr_id,
        call=request.GET.get("call", ""),
        press=request.GET.get("press"),
        reuse_recent=bool(pressing),
    )
    if pressing:
        response = render(request, "ivr/ivr_detail.html#keypad-response", context)
        call = context["try_it"].call_parameter
        return push_url(response, _call_url(context["keypad_url"], call))
    return render(request, "ivr/ivr_detail.html", context)


def detail_context(
    request: HtmxHttpRequest,
    ivr_id: int,
    *,
    call: str = "",
    press: str | None = None,
    reuse_recent: bool = False,
) -> dict:
    """What ivr/ivr_detail.html and its partials need: the draft for editors when there is
    one, else the live IVR. Raises TalkError / DocumentError when Zendesk cannot answer."""
    can_edit = has_role(request.user, EDITOR)
    draft = services.get_draft(ivr_id=ivr_id)
    if draft is not None and can_edit:
        reading = pages.draft_ivr(
            ivr_id=ivr_id, document=draft.ivr_document(), reuse_recent=reuse_recent
        )
    else:
        reading = pages.live_ivr(ivr_id=ivr_id, reuse_recent=reuse_recent)
    view = ivr_view(document=reading.document, lookups=reading.lookups, call=call, press=press)
    keypad_url = reverse("ivr:detail", args=[ivr_id])
    return {
        "ivr_id": ivr_id,
        "read_at": reading.read_at,
        "draft": draft,
        "can_edit": can_edit,
        "editing": draft is not None and can_edit,
        **ivr_context(view, keypad_url),
    }


def ivr_context(view: IvrView, keypad_url: str) -> dict:
    """What the tree, checks and keypad partials of ivr/ivr_detail.html need, for any document.

    `keypad_url` answers the keypad's GET (`call`, `press`) with the "keypad-response" partial.
    """
    return {
        "document": view.document,
        "flow": view.flow,
        "try_it": view.try_it,
        "keypad_url": keypad_url,
    }


def _call_url(url: str, call: str) -> str:
    """The page's address for a call in progress: reload it or share it to see the same call."""
    return f"{url}?{urlencode({'call': call})}" if call else url
