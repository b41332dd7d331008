from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from talkadmin.access import RoleRequired
from talkadmin.context_processors import navigation_for
from talkadmin.roles import ROLES, role_of


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
    """For load balancers: is the database reachable? No secrets, no login."""
    checks = {"database": _database_status()}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "failing", "checks": checks},
        status=200 if healthy else 503,
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
