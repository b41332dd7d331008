from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.access import RoleRequired
from core.roles import ROLES, role_of
from core.worker.heartbeat import worker_status
from talk.health import talk_api_status
from talkadmin.context_processors import navigation_for


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Send the admin to the first page they may use; explain their role if there is none."""
    navigation = navigation_for(request)
    if navigation:
        return redirect(navigation[0]["url"])
    return render(request, "talkadmin/home.html", {"role": role_of(request.user), "roles": ROLES})


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: the database, the Talk API and the background worker.
    No secrets, no login.

    The HTTP status follows the database only: 503 takes this server out of rotation, which
    helps when its database is unreachable but not when Zendesk is down (every server would be
    taken out, and admins would lose even the pages that explain the outage) or when no worker
    runs (the pages still work; scheduled and background work waits). A failing Talk API or no
    worker seen in the last minute shows as "status": "degraded" with HTTP 200, for
    monitoring to alert on.
    """
    checks = {"database": _database_status(), "talk_api": talk_api_status()}
    no_database = {"ok": False, "detail": "not known without the database"}
    checks["worker"] = worker_status() if checks["database"]["ok"] else no_database
    if not checks["database"]["ok"]:
        status = "failing"
    elif not (checks["talk_api"]["ok"] and checks["worker"]["ok"]):
        status = "degraded"
    else:
        status = "ok"
    return JsonResponse(
        {"status": status, "checks": checks}, status=503 if status == "failing" else 200
    )


def _database_status() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return {"ok": False, "detail": "database unreachable"}
    return {"ok": True}


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403 in plain words: which role the action needs and which role the user has."""
    needed = exception.role if isinstance(exception, RoleRequired) else None
    context = {"needed_role": needed, "current_role": role_of(request.user), "roles": ROLES}
    return render(request, "403.html", context, status=403)
