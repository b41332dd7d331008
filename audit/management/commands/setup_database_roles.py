from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from audit.database_role import (
    AUDIT_RIGHTS,
    OWNER_ALIAS,
    UnsafeRole,
    grant_app_role,
    rights_on_audit_tables,
)


class Command(BaseCommand):
    help = (
        "Give the site's database role (DATABASE_URL) exactly its rights, logged in as the "
        "tables' owner (DATABASE_OWNER_URL): add and read audit rows, and nothing more on them; "
        "the usual rights on the other tables. Prints what the role may do on the audit "
        "tables. `migrate` does the same after migrating; safe to run at any time."
    )

    def handle(self, *args, **options):
        if OWNER_ALIAS not in connections.settings:
            raise CommandError(
                "DATABASE_OWNER_URL is not set: set it to the role that owns TalkAdmin's tables "
                "(it runs the migrations), and DATABASE_URL to the site's own role."
            )
        owner = connections[OWNER_ALIAS]
        if owner.vendor != "postgresql":
            raise CommandError("Database roles need PostgreSQL.")
        app_role = connections[DEFAULT_DB_ALIAS].settings_dict["USER"]
        try:
            grant_app_role(owner, app_role)
        except UnsafeRole as problem:
            raise CommandError(str(problem)) from None
        owner_role = owner.settings_dict["USER"]
        self.stdout.write(
            f"The site's role '{app_role}' (DATABASE_URL) has its rights, given by the owner "
            f"'{owner_role}' (DATABASE_OWNER_URL). On the audit tables it may:"
        )
        too_much = []
        for table in rights_on_audit_tables(owner, app_role):
            self.stdout.write(
                f"  {table.table} (owned by {table.owner}): {', '.join(table.rights) or 'nothing'}"
            )
            if set(table.rights) - set(AUDIT_RIGHTS) or table.owner == app_role:
                too_much.append(table.table)
        if too_much:
            raise CommandError(
                f"The role '{app_role}' may still change {', '.join(too_much)} (rights given to "
                "PUBLIC, or through another role it belongs to): revoke them."
            )
        self.stdout.write(
            self.style.SUCCESS(
                "It may add and read audit rows; it cannot change, remove or empty them, nor "
                "switch their triggers off."
            )
        )
