"""Every page needs a signed-in user, except the few that cannot."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC_URL_NAMES = {"login", "logout", "healthz"}
SAMPLE_VALUES = {"int": "1", "str": "sample", "slug": "sample", "uuid": "0" * 32, "path": "a/b"}


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.name


def _concrete(route: str) -> str:
    def sample(match: re.Match) -> str:
        converter = match.group(1) or "str"
        return SAMPLE_VALUES.get(converter, "sample")

    return "/" + re.sub(r"<(?:(\w+):)?\w+>", sample, route).lstrip("^").rstrip("$")


ALL_ROUTES = sorted(_walk(get_resolver().url_patterns))
PRIVATE_ROUTES = [(route, name) for route, name in ALL_ROUTES if name not in PUBLIC_URL_NAMES]


def test_the_walk_finds_the_urlconf():
    names = {name for _, name in ALL_ROUTES}
    assert {"home", "login", "logout", "healthz"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "name"), PRIVATE_ROUTES, ids=[n or r for r, n in PRIVATE_ROUTES])
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitor_is_sent_to_sign_in(client, route, name, method):
    url = _concrete(route)
    response = getattr(client, method)(url)
    assert response.status_code == 302, f"{method.upper()} {url} answered {response.status_code}"
    assert response["Location"].startswith("/sign-in/?next=")


@pytest.mark.django_db
def test_sign_in_page_and_health_check_are_open(client):
    assert client.get("/sign-in/").status_code == 200
    assert client.get("/healthz").status_code == 200
