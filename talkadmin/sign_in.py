"""Sign-in throttling: failed sign-ins are counted per username and per address (django-axes).

After SIGN_IN_FAILURE_LIMIT failures within SIGN_IN_PAUSE_MINUTES for one username, or from
one address, signing in with that username, or from that address, is paused for
SIGN_IN_PAUSE_MINUTES; every further attempt while paused starts the pause again. A correct
sign-in clears the count of that username and that address. The sign-in page says so in plain
words (HTTP 429), and each pause is recorded once in the audit log (SIGN_IN_THROTTLED).

django-axes keeps the counts in the database, so every gunicorn worker and every server sees
the same ones. Its backend sits first in AUTHENTICATION_BACKENDS and refuses a paused sign-in
before any password is checked.
"""

import logging
import math

from axes.attempts import get_cool_off_threshold
from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Sum
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

import audit
from audit.actor import Actor

logger = logging.getLogger(__name__)

HTTP_TOO_MANY_REQUESTS = 429


class ThrottledSignInBackend(AxesStandaloneBackend):
    """Refuses sign-ins while their username or address is paused; authenticates nobody.

    Only sign-ins made through a request are counted: without one (the test client's login, a
    management command) there is no address to count and nobody typing a password.
    """

    def authenticate(self, request: HttpRequest | None, *args, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


def pause_minutes() -> int:
    """How long a paused username or address waits, in whole minutes."""
    cool_off = get_cool_off()
    return max(1, math.ceil(cool_off.total_seconds() / 60)) if cool_off else 0


def throttled_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """The sign-in page again, with the username kept and the pause explained (429)."""
    form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
    context = {
        "form": form,
        "next": request.POST.get("next", ""),
        "throttled_minutes": pause_minutes(),
    }
    return render(request, "registration/login.html", context, status=HTTP_TOO_MANY_REQUESTS)


def _recent_failures(request: HttpRequest, **match: str) -> int:
    since = get_cool_off_threshold(request)
    attempts = AccessAttempt.objects.filter(attempt_time__gte=since, **match)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


@receiver(user_locked_out)
def record_sign_in_pause(
    sender: object, request: HttpRequest, username: str | None, ip_address: str, **kwargs
) -> None:
    """Audit the attempt that paused a username or an address (not every attempt after it,
    so someone hammering the sign-in page cannot flood the append-only log)."""
    limit = settings.AXES_FAILURE_LIMIT
    username = username or ""
    paused = []
    if username and _recent_failures(request, username=username) == limit:
        paused.append(f"username “{username}”")
    if ip_address and _recent_failures(request, ip_address=ip_address) == limit:
        paused.append(f"address {ip_address}")
    if not paused:
        return
    minutes = pause_minutes()
    what = " and ".join(paused)
    try:
        audit.record_event(
            actor=Actor.from_request(request),
            action=audit.Action.SIGN_IN_THROTTLED,
            target_type=audit.TargetType.USER,
            target_id=username or None,
            target_name=username or "(no username given)",
            summary=(
                f"Paused sign-ins for {what} for {minutes} minutes after {limit} failed attempts"
            ),
            after={
                "username": username,
                "address": ip_address,
                "failed_attempts": limit,
                "paused_minutes": minutes,
                "paused": paused,
            },
        )
    except Exception:
        # The pause itself must hold even when the audit log cannot be written.
        logger.exception("Could not record a sign-in pause in the audit log")
