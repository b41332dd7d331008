"""Create the three roles (Viewer, Editor, Admin) as groups holding TalkAdmin's permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "Viewer": ["view_lines"],
    "Editor": ["view_lines", "edit_lines"],
    "Admin": ["view_lines", "edit_lines", "manage_lines", "manage_users"],
}


def create_roles(apps, schema_editor):
    # On the migrating connection (the tables' owner, DATABASE_OWNER_URL, when there is one).
    using = schema_editor.connection.alias
    # Permissions are normally created after migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps, using=using)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set(
            Permission.objects.using(using).filter(
                content_type__app_label="talkadmin", codename__in=codenames
            )
        )


def remove_roles(apps, schema_editor):
    using = schema_editor.connection.alias
    apps.get_model("auth", "Group").objects.using(using).filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("talkadmin", "0001_access"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
