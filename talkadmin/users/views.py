from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.actor import Actor
from core.access import require_role
from core.http import HtmxHttpRequest
from core.roles import ADMIN, ROLES, Role
from talkadmin import accounts
from talkadmin.users.forms import NO_ROLE, AddUserForm, ReasonForm, RoleForm, role_from_choice

# Where the service's field names land on the add form.
ADD_FORM_FIELDS = {"first_name": "display_name", "last_name": "display_name"}


@dataclass
class UserRow:
    user: AbstractUser
    role: Role | None
    form: RoleForm
    is_me: bool
    error: str = ""
    changed: bool = False  # just changed with htmx: keyboard focus returns to this row


def _row(request: HtmxHttpRequest, user: AbstractUser) -> UserRow:
    role = accounts.held_role(user)
    form = RoleForm(initial={"role": role.key if role else NO_ROLE})
    return UserRow(user, role, form, is_me=user.pk == request.user.pk)


def _users() -> list[AbstractUser]:
    return list(
        get_user_model()
        .objects.prefetch_related("groups")
        .order_by("-is_active", "first_name", "last_name", "username")
    )


def _list_page(request: HtmxHttpRequest, failed: UserRow | None = None, status: int = 200):
    rows = [
        failed if failed is not None and failed.user.pk == user.pk else _row(request, user)
        for user in _users()
    ]
    return render(request, "talkadmin/users.html", {"rows": rows, "roles": ROLES}, status=status)


@require_GET
@require_role(ADMIN)
def user_list(request: HtmxHttpRequest) -> HttpResponse:
    return _list_page(request)


@never_cache
@require_http_methods(["GET", "POST"])
@require_role(ADMIN)
def user_add(request: HtmxHttpRequest) -> HttpResponse:
    form = AddUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = accounts.create_user(
                username=data["username"],
                password=data["password"],
                role=role_from_choice(data["role"]),
                display_name=data["display_name"],
                email=data["email"],
                actor=Actor.from_request(request),
                reason=data["reason"],
            )
        except ValidationError as error:
            for field, field_messages in error.message_dict.items():
                target = ADD_FORM_FIELDS.get(field, field)
                for message in field_messages:
                    form.add_error(target if target in form.fields else None, message)
        else:
            messages.success(request, f"Added {accounts.display_name_of(user)}.")
            return redirect(f"{reverse('users:list')}#user-{user.pk}")
    status = 422 if form.is_bound else 200
    return render(request, "talkadmin/user_add.html", {"form": form}, status=status)


def _user_action(
    request: HtmxHttpRequest,
    user_id: int,
    form: RoleForm | ReasonForm,
    act: Callable[[AbstractUser, dict, Actor], str],
) -> HttpResponse:
    """Run one change on one user; answer with the row (htmx) or the list page."""
    user = get_object_or_404(get_user_model(), pk=user_id)
    if form.is_valid():
        try:
            done = act(user, form.cleaned_data, Actor.from_request(request))
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(request, done)
            if not request.htmx:
                # 303: the browser follows with a GET, so reloading does not post again.
                response = redirect(f"{reverse('users:list')}#user-{user.pk}")
                response.status_code = 303
                return response
            user.refresh_from_db()
            row = _row(request, user)
            row.changed = True
            return render(request, "talkadmin/users.html#user-row", {"row": row})
    else:
        error = " ".join(str(message) for errors in form.errors.values() for message in errors)
    # Show the refusal in the row, with what the admin chose and typed still there.
    role = accounts.held_role(user)
    typed = RoleForm(
        {
            "role": request.POST.get("role") or (role.key if role else NO_ROLE),
            "reason": request.POST.get("reason", ""),
        }
    )
    row = UserRow(user, role, typed, is_me=user.pk == request.user.pk, error=error)
    if request.htmx:
        return render(request, "talkadmin/users.html#user-row", {"row": row}, status=422)
    return _list_page(request, failed=row, status=422)


@require_POST
@require_role(ADMIN)
def user_role(request: HtmxHttpRequest, user_id: int) -> HttpResponse:
    def act(user: AbstractUser, data: dict, actor: Actor) -> str:
        role = role_from_choice(data["role"])
        accounts.change_role(user=user, role=role, actor=actor, reason=data["reason"])
        words = f"the {role.name} role" if role else "no role"
        return f"{accounts.display_name_of(user)} now has {words}."

    return _user_action(request, user_id, RoleForm(request.POST), act)


@require_POST
@require_role(ADMIN)
def user_deactivate(request: HtmxHttpRequest, user_id: int) -> HttpResponse:
    def act(user: AbstractUser, data: dict, actor: Actor) -> str:
        accounts.deactivate_user(user=user, actor=actor, reason=data["reason"])
        return f"{accounts.display_name_of(user)} is deactivated and can no longer sign in."

    return _user_action(request, user_id, ReasonForm(request.POST), act)


@require_POST
@require_role(ADMIN)
def user_reactivate(request: HtmxHttpRequest, user_id: int) -> HttpResponse:
    def act(user: AbstractUser, data: dict, actor: Actor) -> str:
        accounts.reactivate_user(user=user, actor=actor, reason=data["reason"])
        return f"{accounts.display_name_of(user)} can sign in again."

    return _user_action(request, user_id, ReasonForm(request.POST), act)
