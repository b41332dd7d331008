"""Use cases for TalkAdmin's own users: create one with a role, change a user's role."""

import django.dispatch
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from talkadmin.roles import ROLES, Role, role_of

# Sent after a user's role changed (old_role is None for a new user). The audit log listens.
role_changed = django.dispatch.Signal()


@transaction.atomic
def create_user(
    *,
    username: str,
    password: str,
    role: Role | None,
    display_name: str = "",
    email: str = "",
    actor: AbstractUser | None = None,
) -> AbstractUser:
    """Create an active user holding `role` (None: no role yet); the password must pass the
    password validators."""
    user_model = get_user_model()
    user = user_model(username=username, email=email)
    first, _, last = display_name.strip().partition(" ")
    user.first_name, user.last_name = first, last
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    set_role(user=user, role=role, actor=actor)
    return user


@transaction.atomic
def set_role(*, user: AbstractUser, role: Role | None, actor: AbstractUser | None) -> None:
    """Give `user` exactly `role` (None removes every role)."""
    old_role = role_of(user)
    role_groups = Group.objects.filter(name__in=[r.name for r in ROLES])
    user.groups.remove(*role_groups)
    if role is not None:
        user.groups.add(Group.objects.get(name=role.name))
    if old_role != role:
        role_changed.send(sender=set_role, user=user, old_role=old_role, new_role=role, actor=actor)
