"""The three roles an admin can hold, and what each may do.

A role is a Django group holding TalkAdmin's permissions (talkadmin.models.Access); the groups
are created by a data migration. Every write view checks the permission on the server.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractUser, AnonymousUser


@dataclass(frozen=True)
class Role:
    key: str
    name: str
    summary: str
    permissions: tuple[str, ...]

    @property
    def permission_names(self) -> tuple[str, ...]:
        return tuple(f"talkadmin.{codename}" for codename in self.permissions)


VIEWER = Role(
    key="viewer",
    name="Viewer",
    summary="sees IVRs, phone numbers and the audit log, and changes nothing",
    permissions=("view_lines",),
)
EDITOR = Role(
    key="editor",
    name="Editor",
    summary="also edits and publishes IVRs and changes phone-number settings",
    permissions=("view_lines", "edit_lines"),
)
ADMIN = Role(
    key="admin",
    name="Admin",
    summary="also creates and deletes IVRs, gets and releases phone numbers, and manages users",
    permissions=("view_lines", "edit_lines", "manage_lines", "manage_users"),
)
ROLES: tuple[Role, ...] = (VIEWER, EDITOR, ADMIN)
ROLES_BY_KEY = {role.key: role for role in ROLES}
ROLES_BY_NAME = {role.name: role for role in ROLES}


def role_of(user: AbstractUser | AnonymousUser) -> Role | None:
    """The highest role the user holds, or None for a user with no role."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return ADMIN
    group_names = {group.name for group in user.groups.all()}
    held = [role for role in ROLES if role.name in group_names]
    return held[-1] if held else None


def has_role(user: AbstractUser | AnonymousUser, role: Role) -> bool:
    """Whether the user holds `role` or a higher one (checked through permissions)."""
    return user.is_active and user.has_perms(role.permission_names)
