"""Django's migrate, run as the tables' owner (DATABASE_OWNER_URL) when one is configured.

The site connects as a role that may not change the schema nor the audit log
(audit.database_role), so migrations run as the owner. Every connection of this one process
becomes the owner's, not only the one migrate writes through: a data migration that queries
without naming its database (some third-party ones do) would otherwise wait, as the site's role,
for the owner's uncommitted changes forever. Afterwards the site's role (DATABASE_URL) gets its
rights on every table (audit.after_migrate).
"""

from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import DEFAULT_DB_ALIAS, connections

from audit.database_role import OWNER_ALIAS, migrating_for


class Command(DjangoMigrate):
    help = f"{DjangoMigrate.help} As the owner of DATABASE_OWNER_URL when it is set."

    def execute(self, *args, **options):
        if OWNER_ALIAS in connections.settings:
            site = connections[DEFAULT_DB_ALIAS]
            migrating_for(site.settings_dict["USER"])
            owner = connections.settings[OWNER_ALIAS]
            site.close()
            site.settings_dict.update(
                {key: owner[key] for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT")}
            )
            site.settings_dict["OPTIONS"] = dict(owner.get("OPTIONS", {}))
        return super().execute(*args, **options)
