"""A state-changing request without the CSRF token is refused, whether sent by a form or by
htmx, on every URL that accepts one (generated from the URLconf: tests/site_map.py)."""

import pytest
from django.conf import settings
from django.test import Client

from audit.models import ChangeSet
from tests.site_map import PUBLIC, WRITE_METHODS, allowed_methods, site_routes

# Views that reach the Talk API reach the in-process sandbox (sample ids: Zendesk's 404).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sandbox")]

ROUTES = site_routes()
REFUSED = "the security check of this form failed"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _client_for(route, admin) -> Client:
    client = Client(enforce_csrf_checks=True)
    if route.name not in PUBLIC:
        client.force_login(admin)  # admin holds every role
    return client


def _valid_token(client: Client, route) -> str:
    client.get("/sign-in/" if route.name in PUBLIC else "/audit/")  # a page with a form
    return client.cookies[settings.CSRF_COOKIE_NAME].value


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_a_change_without_the_csrf_token_is_refused(as_admin, admin, client, route):
    caller = client if route.name in PUBLIC else as_admin
    writes = sorted(allowed_methods(caller, route) & WRITE_METHODS)
    if not writes:
        pytest.skip(f"{route.name} only reads")
    client = _client_for(route, admin)
    change_sets_before = ChangeSet.objects.count()
    for method in writes:
        for headers in ({}, HTMX):
            response = client.generic(method, route.path, **headers)
            assert response.status_code == 403, f"{method} {route.path} {headers}"
            assert REFUSED in response.content.decode()
    assert ChangeSet.objects.count() == change_sets_before

    # The same request with the token passes the check (so the refusal above was the token's).
    token = _valid_token(client, route)
    for method in writes:
        response = client.generic(method, route.path, HTTP_X_CSRFTOKEN=token, **HTMX)
        assert REFUSED not in response.content.decode(), f"{method} {route.path}"


def test_the_refusal_says_what_to_do_in_plain_words(admin):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    response = client.post("/users/add/")
    page = response.content.decode()
    assert "Nothing was changed" in page
    assert "Reload the page" in page
    assert "data-toast-message" in page  # htmx requests show it as a message
