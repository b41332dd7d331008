"""The site's URLconf plus a page that fails after using the Talk client: a real 500."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

import talk
from core.access import require_role
from core.roles import VIEWER
from talkadmin.urls import handler403
from talkadmin.urls import urlpatterns as site_urlpatterns

__all__ = ["handler403", "urlpatterns"]


@require_GET
@require_role(VIEWER)
def crash(request: HttpRequest) -> HttpResponse:
    talk.get_client().list_ivrs()
    raise RuntimeError("an unexpected failure after calling the Talk API")


urlpatterns = [*site_urlpatterns, path("crash/", crash, name="crash")]
