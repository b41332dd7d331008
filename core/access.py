"""Role checks for views: `require_role` and the 403 it raises."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from core.roles import Role, has_role


class RoleRequired(PermissionDenied):
    """Raised when the signed-in user's role is not enough; the 403 page names the role."""

    def __init__(self, role: Role):
        super().__init__(f"This needs the {role.name} role.")
        self.role = role


View = TypeVar("View", bound=Callable[..., HttpResponse])


def require_role(role: Role) -> Callable[[View], View]:
    """Refuse the view (403 naming the role) unless the signed-in user holds `role` or higher.

    The view keeps its signature, and says its role in `required_role` (tests/site_map.py reads
    it to check every URL).
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not has_role(request.user, role):
                raise RoleRequired(role)
            return view(request, *args, **kwargs)

        wrapped.required_role = role  # type: ignore[attr-defined]
        return cast(View, wrapped)

    return decorator
