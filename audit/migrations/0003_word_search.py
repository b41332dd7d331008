"""Trigram indexes so that searching the log for words is fast on PostgreSQL.

The pg_trgm extension ships with PostgreSQL and is "trusted" (PostgreSQL 13+), so a database
owner may create it. Where it cannot be created, the migration goes on without these indexes:
word search then still works, by reading the log, which is slower on a large log.
"""

import sys

from django.db import DatabaseError, migrations, transaction

INDEXES = (
    ("audit_changeset", "summary"),
    ("audit_changeset", "reason"),
    ("audit_changesetoutcome", "summary"),
)


def install(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        try:
            with transaction.atomic(using=connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DatabaseError as error:
            sys.stderr.write(
                f"Note: the pg_trgm extension could not be created ({error}). Searching the "
                "audit log for words will work, but slowly on a large log. A superuser can run "
                "CREATE EXTENSION pg_trgm and then migrate audit 0002 and 0003 again.\n"
            )
            return
        for table, column in INDEXES:
            # On UPPER(): Django's icontains compares UPPER(column) LIKE UPPER('%words%').
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {table}_{column}_trgm "
                f"ON {table} USING gin (UPPER({column}) gin_trgm_ops)"
            )
        # The planner needs the new indexes' statistics to use them for rare words.
        cursor.execute("ANALYZE audit_changeset, audit_changesetoutcome")


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table, column in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {table}_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]

    operations = [migrations.RunPython(install, uninstall)]
