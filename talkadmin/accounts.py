"""Use cases for TalkAdmin's own users: add one, change a role, deactivate, reactivate.

Each is an audit change set (target type "user", reason optional). The rules that protect the
site from locking itself out live here: an admin cannot change their own role or deactivate
themselves, and the last active admin keeps the role.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

import audit
from audit.actor import Actor
from audit.models import ChangeSet
from core.roles import ADMIN, ROLES, Role


def display_name_of(user: AbstractUser) -> str:
    return user.get_full_name() or user.get_username()


def user_snapshot(user: AbstractUser) -> dict:
    """A user as the audit log keeps them (never the password)."""
    role = held_role(user)
    return {
        "username": user.get_username(),
        "display_name": display_name_of(user),
        "email": user.email,
        "role": role.name if role else "No role",
        "active": user.is_active,
    }


def held_role(user: AbstractUser) -> Role | None:
    """The role a user holds, also while deactivated (roles.role_of says None for them)."""
    if user.is_superuser:
        return ADMIN
    names = {group.name for group in user.groups.all()}  # uses prefetch_related("groups")
    held = [role for role in ROLES if role.name in names]
    return held[-1] if held else None


def _target_name(user: AbstractUser) -> str:
    return f"{display_name_of(user)} ({user.get_username()})"


def _active_admins():
    return (
        get_user_model()
        .objects.filter(Q(is_superuser=True) | Q(groups__name=ADMIN.name), is_active=True)
        .distinct()
    )


def _lock_admins() -> None:
    """Hold the active admins' rows until commit, so two admins demoting or deactivating each
    other at the same moment cannot leave the site with none."""
    admins = _active_admins().values("pk")
    list(get_user_model().objects.select_for_update().filter(pk__in=admins))


def _refuse_if_last_admin(user: AbstractUser, what: str) -> None:
    if held_role(user) == ADMIN and not _active_admins().exclude(pk=user.pk).exists():
        raise ValidationError(
            f"{display_name_of(user)} is the last active admin, so they cannot be {what}. "
            "Make someone else an admin first."
        )


def _refuse_if_self(user: AbstractUser, actor: Actor, what: str) -> None:
    if actor.user_id is not None and actor.user_id == user.pk:
        raise ValidationError(f"You cannot {what} yourself; ask another admin.")


def _apply_role(user: AbstractUser, role: Role | None) -> None:
    role_groups = Group.objects.filter(name__in=[r.name for r in ROLES])
    user.groups.remove(*role_groups)
    if role is not None:
        user.groups.add(Group.objects.get(name=role.name))


def create_user(
    *,
    username: str,
    password: str,
    role: Role | None,
    actor: Actor,
    display_name: str = "",
    email: str = "",
    reason: str = "",
) -> AbstractUser:
    """Add an active user holding `role` (None: no role yet), recorded as add_user.

    Raises ValidationError (keyed by field) when the username is taken or invalid, or the
    password fails the password validators; nothing is written then.
    """
    user = get_user_model()(username=username.strip(), email=email.strip())
    first, _, last = display_name.strip().partition(" ")
    user.first_name, user.last_name = first, last.strip()
    errors: dict[str, list[str]] = {}
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        validate_password(password, user)
    except ValidationError as error:
        errors["password"] = error.messages
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    role_words = f"the {role.name} role" if role else "no role"
    with audit.change_set(
        actor=actor,
        action=audit.Action.ADD_USER,
        target_type=audit.TargetType.USER,
        target_id=user.get_username(),
        target_name=_target_name(user),
        summary=f"Add user {user.get_username()} ({display_name_of(user)}) with {role_words}",
        reason=reason,
        reason_required=False,
    ) as change:
        with transaction.atomic():
            user.save()
            _apply_role(user, role)
        change.set_after(user_snapshot(user))
    return user


def change_role(
    *, user: AbstractUser, role: Role | None, actor: Actor, reason: str = ""
) -> ChangeSet:
    """Give `user` exactly `role` (None removes every role), recorded as change_role."""
    old_role = held_role(user)
    if old_role == role:
        raise ValidationError(
            f"{display_name_of(user)} already has {f'the {role.name} role' if role else 'no role'}."
        )
    _refuse_if_self(user, actor, "change the role of")
    if role != ADMIN:
        _refuse_if_last_admin(user, "given another role")
    before = user_snapshot(user)
    new_words = f"the {role.name} role" if role else "no role"
    with audit.change_set(
        actor=actor,
        action=audit.Action.CHANGE_ROLE,
        target_type=audit.TargetType.USER,
        target_id=user.get_username(),
        target_name=_target_name(user),
        summary=f"Give {display_name_of(user)} ({user.get_username()}) {new_words}",
        reason=reason,
        reason_required=False,
        before=before,
    ) as change:
        with transaction.atomic():
            _lock_admins()
            if role != ADMIN:
                _refuse_if_last_admin(user, "given another role")
            _apply_role(user, role)
        change.set_after(user_snapshot(user))
    return change.change_set


def deactivate_user(*, user: AbstractUser, actor: Actor, reason: str = "") -> ChangeSet:
    """Stop `user` from signing in (their open sessions end too), recorded as deactivate_user."""
    if not user.is_active:
        raise ValidationError(f"{display_name_of(user)} is already deactivated.")
    _refuse_if_self(user, actor, "deactivate")
    _refuse_if_last_admin(user, "deactivated")
    before = user_snapshot(user)
    with audit.change_set(
        actor=actor,
        action=audit.Action.DEACTIVATE_USER,
        target_type=audit.TargetType.USER,
        target_id=user.get_username(),
        target_name=_target_name(user),
        summary=f"Deactivate {display_name_of(user)} ({user.get_username()})",
        reason=reason,
        reason_required=False,
        before=before,
    ) as change:
        with transaction.atomic():
            _lock_admins()
            _refuse_if_last_admin(user, "deactivated")
            user.is_active = False
            user.save(update_fields=["is_active"])
        change.set_after(user_snapshot(user))
    return change.change_set


def reactivate_user(*, user: AbstractUser, actor: Actor, reason: str = "") -> ChangeSet:
    """Let a deactivated user sign in again, with the role they held, recorded as
    reactivate_user."""
    if user.is_active:
        raise ValidationError(f"{display_name_of(user)} is already active.")
    before = user_snapshot(user)
    with audit.change_set(
        actor=actor,
        action=audit.Action.REACTIVATE_USER,
        target_type=audit.TargetType.USER,
        target_id=user.get_username(),
        target_name=_target_name(user),
        summary=f"Reactivate {display_name_of(user)} ({user.get_username()})",
        reason=reason,
        reason_required=False,
        before=before,
    ) as change:
        user.is_active = True
        user.save(update_fields=["is_active"])
        change.set_after(user_snapshot(user))
    return change.change_set
