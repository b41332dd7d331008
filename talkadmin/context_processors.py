from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from changes.services import waiting_count
from core.roles import ADMIN, VIEWER, Role, has_role, role_of

# Top navigation: a page is linked only once its URL exists and the user may open it.
NAVIGATION: tuple[tuple[str, str, Role], ...] = (
    ("IVRs", "ivr:list", VIEWER),
    ("Phone numbers", "numbers:list", VIEWER),
    ("Greetings", "greetings:list", VIEWER),
    ("Waiting for approval", "changes:approvals", VIEWER),
    ("Upcoming changes", "changes:upcoming", VIEWER),
    ("Audit log", "audit:list", VIEWER),
    ("Users", "users:list", ADMIN),
)


def navigation_for(request: HttpRequest) -> list[dict]:
    items = []
    for label, url_name, role in NAVIGATION:
        if not has_role(request.user, role):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        item = {"label": label, "url": url, "current": request.path.startswith(url)}
        if url_name == "changes:approvals":
            item["count"] = waiting_count()
        items.append(item)
    return items


def talk_connection_label() -> str:
    if settings.TALK_SANDBOX:
        return "the local Talk sandbox (demo data; nothing reaches Zendesk)"
    if settings.TALK_SUBDOMAIN:
        return f"Zendesk account {settings.TALK_SUBDOMAIN}.zendesk.com"
    if settings.TALK_BASE_URL:
        return f"the Talk API at {settings.TALK_BASE_URL}"
    return "no Talk API (none is configured)"


def talkadmin(request: HttpRequest) -> dict:
    if not request.user.is_authenticated:
        return {"talk_sandbox": settings.TALK_SANDBOX}
    return {
        "navigation": navigation_for(request),
        "current_role": role_of(request.user),
        "talk_connection": talk_connection_label(),
        "talk_sandbox": settings.TALK_SANDBOX,
        "time_zone": settings.TIME_ZONE,
    }
