"""Role checks for views: `require_role` and the 403 it raises."""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from core.roles import Role, has_role


class RoleRequired(PermissionDenied):
    """Raised when the signed-in user's role is not enough; the 403 page names the role."""

    def __init__(self, role: Role):
        super().__init__(f"This needs the {role.name} role.")
        self.role = role


def require_role(role: Role) -> Callable:
    """Refuse the view (403 naming the role) unless the signed-in user holds `role` or higher."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not has_role(request.user, role):
                raise RoleRequired(role)
            return view(request, *args, **kwargs)

        wrapped.required_role = role
        return wrapped

    return decorator
