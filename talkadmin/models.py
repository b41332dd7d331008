from django.db import models


class Access(models.Model):
    """Holds TalkAdmin's permissions; it has no table. Roles (groups) are built from them."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_lines", "See IVRs, phone numbers and the audit log"),
            ("edit_lines", "Edit and publish IVRs and change phone-number settings"),
            ("manage_lines", "Create and delete IVRs, get and release phone numbers"),
            ("manage_users", "Add users and change their roles"),
        ]

    def __str__(self) -> str:
        return "TalkAdmin access"
