"""Undo a number's settings change: a page that says what goes back, and a reason to do it.

GET shows what the undo would put back (nothing is sent); POST sends it as one audited settings
save. A setting changed again since is a conflict: nothing is sent and the page says which
(409); a refusal or Zendesk's failure keeps the reason typed (422, 503).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from audit.actor import Actor
from core.access import require_role
from core.errors import PhoneSystemError
from core.forms import reason_field
from core.http import add_service_errors, see_other
from core.roles import EDITOR
from numbers import services


class UndoForm(forms.Form):
    reason = reason_field(label="Why are you undoing this change?")


@require_http_methods(["GET", "POST"])
@require_role(EDITOR)
def undo_change(request: HttpRequest, number_id: int, change_set_id: int) -> HttpResponse:
    names = services.account_names()
    form = UndoForm(request.POST or None)
    context: dict = {"number_id": number_id, "change_set_id": change_set_id, "form": form}
    try:
        context["preview"] = services.undo_preview(
            number_id=number_id, change_set_id=change_set_id, names=names
        )
    except services.CannotUndo as refusal:
        context["refusal"] = refusal.user_message
        return render(request, "numbers/undo.html", context, status=409)
    if request.method != "POST":
        return render(request, "numbers/undo.html", context)
    status = 422
    if form.is_valid():
        try:
            saved = services.undo_number_change(
                number_id=number_id,
                change_set_id=change_set_id,
                names=names,
                actor=Actor.from_request(request),
                reason=form.cleaned_data["reason"],
            )
        except services.SettingsConflict as conflict:
            labels = ", ".join(f"“{c.label}”" for c in conflict.conflicts)
            context["refusal"] = (
                f"Nothing was sent: {labels} changed again since change #{change_set_id}, "
                "so undoing it would overwrite that newer change. Change it on the number's "
                "page instead."
            )
            status = 409
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        except PhoneSystemError as error:
            context["failure"], status = error, 503
        else:
            services.forget_listing()
            if saved.change_set is None:
                messages.info(request, "Nothing to undo: Zendesk already has these values.")
            else:
                messages.success(request, f"Undone. {saved.summary}")
            return see_other("numbers:detail", number_id)
    return render(request, "numbers/undo.html", context, status=status)
