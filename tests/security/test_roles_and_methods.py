"""Every URL refuses users below its role and the methods its view does not allow.

Generated from the URLconf (tests/site_map.py): a view added to any urls.py is checked at once,
and fails here until it declares its role and its methods.
"""

import pytest

from audit.models import ChangeSet
from tests.site_map import (
    CHECKED_METHODS,
    PUBLIC,
    ROLES_BELOW,
    SIGNED_IN_ONLY,
    allowed_methods,
    site_routes,
)

# Views that reach the Talk API reach the in-process sandbox (sample ids: Zendesk's 404).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sandbox")]

ROUTES = site_routes()
ROLE_ROUTES = [route for route in ROUTES if route.required_role is not None]
REFUSALS = [
    (route, persona) for route in ROLE_ROUTES for persona in ROLES_BELOW[route.required_role]
]


def test_the_map_finds_every_page_of_the_site():
    names = {route.name for route in ROUTES}
    assert {"home", "login", "audit:list", "audit:detail", "users:role"} <= names
    assert ROLE_ROUTES, "no view declares a role: the role check below would test nothing"


def test_every_view_declares_its_role_or_says_why_it_has_none():
    exempt = PUBLIC.keys() | SIGNED_IN_ONLY.keys()
    undeclared = [
        f"{route.name} ({route.pattern})"
        for route in ROUTES
        if route.required_role is None and route.name not in exempt
    ]
    assert undeclared == [], (
        "Decorate these views with @require_role(VIEWER | EDITOR | ADMIN), or add their URL "
        f"name to PUBLIC or SIGNED_IN_ONLY in tests/site_map.py with the reason: {undeclared}"
    )
    both = [route.name for route in ROLE_ROUTES if route.name in exempt]
    assert both == [], f"these declare a role and are also listed as exempt: {both}"
    gone = exempt - {route.name for route in ROUTES}
    assert not gone, f"tests/site_map.py lists URL names that no longer exist: {sorted(gone)}"


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_methods_the_view_does_not_allow_are_refused(as_admin, client, route):
    caller = client if route.name in PUBLIC else as_admin  # the one the view expects
    allowed = allowed_methods(caller, route)
    refused = [method for method in CHECKED_METHODS if method not in allowed]
    for method in refused:
        response = caller.generic(method, route.path)
        assert response.status_code == 405, f"{method} {route.path}: {response.status_code}"
    assert set(CHECKED_METHODS) & allowed, f"{route.name} allows none of {CHECKED_METHODS}"


@pytest.mark.parametrize(
    ("route", "persona"), REFUSALS, ids=[f"{route}-as-{persona}" for route, persona in REFUSALS]
)
def test_a_user_below_the_role_is_refused_whatever_the_method(request, as_admin, route, persona):
    methods = sorted(allowed_methods(as_admin, route) & set(CHECKED_METHODS))
    client = request.getfixturevalue(f"as_{persona}")
    change_sets_before = ChangeSet.objects.count()
    for method in methods:
        response = client.generic(method, route.path)
        assert response.status_code == 403, (
            f"{method} {route.path} as {persona} answered {response.status_code}: the role check "
            "must come first, before looking anything up (see tests/site_map.py)."
        )
        assert f"This needs the {route.required_role.name} role" in response.content.decode()
    assert ChangeSet.objects.count() == change_sets_before  # nothing was recorded as done
