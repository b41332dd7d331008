"""Every URL of the site, read from the URLconf, with the role and the methods its view declares.

The security tests (tests/security/) and the accessibility crawl (tests/browser/) are generated
from this map, so a new page is checked the day it is added to a urls.py.

The conventions a view must follow (a test fails, naming the view, when one does not):
- It declares its role with `@require_role(VIEWER | EDITOR | ADMIN)` (core.access), or its
  URL name is in PUBLIC (no sign-in) or SIGNED_IN_ONLY (any signed-in user) below, with why.
- It declares its HTTP methods (`@require_GET`, `@require_POST`, `@require_http_methods([...])`,
  or a class-based view's handlers), so any other method is answered 405 with an Allow header.
- The role check runs before anything is looked up: URL parameters are filled with samples that
  match nothing (SAMPLE_VALUES), and a user without the role must get 403, not 404. Put
  `@require_role` right under the method decorator and look objects up inside the view.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from core.roles import ADMIN, EDITOR, VIEWER, Role

# URL names open without signing in, and why.
PUBLIC = {
    "login": "the sign-in page",
    "healthz": "load balancers and monitoring check it without an account",
}
# URL names open to every signed-in user, role or not, and why.
SIGNED_IN_ONLY = {
    "home": "sends each user to the first page their role opens, or explains they have none",
    "logout": "signing out must work whatever role the session holds",
}
# Values for URL parameters, by converter; chosen to match no object (see the module doc).
SAMPLE_VALUES = {
    "int": "987654",
    "str": "no-such-thing",
    "slug": "no-such-thing",
    "uuid": "00000000-0000-0000-0000-000000000000",
    "path": "no/such/thing",
}
# The methods the generated checks send; anything a view does not allow must answer 405.
CHECKED_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# A method no view allows: its 405 answer lists, in the Allow header, the ones a view does.
_PROBE_METHOD = "BREW"
ROLES_BELOW: dict[Role, tuple[str, ...]] = {
    VIEWER: ("outsider",),
    EDITOR: ("outsider", "viewer"),
    ADMIN: ("outsider", "viewer", "editor"),
}


@dataclass(frozen=True)
class Route:
    """One URL pattern: its name ("users:role"), a concrete path to call, and its view."""

    name: str
    pattern: str
    path: str
    view: Callable

    @property
    def required_role(self) -> Role | None:
        return getattr(self.view, "required_role", None)

    @property
    def has_parameters(self) -> bool:
        return "<" in self.pattern

    def __str__(self) -> str:
        return self.name


def _walk(patterns, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, Callable]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), f"{namespace}{pattern.name}", pattern.callback


def _concrete(pattern: str) -> str:
    def sample(match: re.Match) -> str:
        return SAMPLE_VALUES.get(match.group(1) or "str", SAMPLE_VALUES["str"])

    return "/" + re.sub(r"<(?:(\w+):)?\w+>", sample, pattern).lstrip("^").rstrip("$")


def site_routes() -> list[Route]:
    """Every named URL pattern of the site, in URLconf order."""
    return [
        Route(name=name, pattern=pattern, path=_concrete(pattern), view=view)
        for pattern, name, view in _walk(get_resolver().url_patterns)
    ]


def allowed_methods(client: Client, route: Route) -> frozenset[str]:
    """The methods `route`'s view allows, read from its 405 answer to a method nobody allows.

    `client` must be signed in as someone holding every role (the role check may come first),
    or, for PUBLIC routes, not signed in (the sign-in page sends signed-in users on).
    Raises AssertionError when the view does not declare its methods.
    """
    response = client.generic(_PROBE_METHOD, route.path)
    assert response.status_code == 405 and response.has_header("Allow"), (
        f"{route.name} ({route.path}) answered {response.status_code} to an unknown method: "
        "declare its methods with @require_GET, @require_POST or @require_http_methods."
    )
    return frozenset(method.strip() for method in response["Allow"].split(",") if method.strip())
