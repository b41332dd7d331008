"""Django's migrate, run as the tables' owner (DATABASE_OWNER_URL) when one is configured.

The site connects as a role that may not change the schema nor the audit log
(audit.database_role), so migrations run as the owner: `manage.py migrate` uses the owner's
connection unless --database says otherwise, and then gives the site's role its rights
(audit.after_migrate).
"""

from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import connections

from audit.database_role import OWNER_ALIAS


class Command(DjangoMigrate):
    help = f"{DjangoMigrate.help} As the owner of DATABASE_OWNER_URL when it is set."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        if OWNER_ALIAS in connections.settings:
            parser.set_defaults(database=OWNER_ALIAS)
