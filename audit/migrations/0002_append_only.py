"""Make the audit tables append-only in the database itself: UPDATE, DELETE and TRUNCATE are
rejected whoever runs them. PostgreSQL gets statement-level triggers; the trial SQLite database
gets equivalent row triggers (SQLite has no TRUNCATE).

A later migration that rebuilds one of these tables on SQLite (Django copies the table for some
ALTERs) loses its triggers and must create them again with `install_sqlite_triggers`.
"""

from django.db import migrations

AUDIT_TABLES = ("audit_changeset", "audit_apicall", "audit_changesetoutcome")

POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    is_empty boolean;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        -- Emptying a table that is already empty destroys nothing (test runners do it).
        EXECUTE format('SELECT NOT EXISTS (SELECT 1 FROM %I.%I)', TG_TABLE_SCHEMA, TG_TABLE_NAME)
            INTO is_empty;
        IF is_empty THEN
            RETURN NULL;
        END IF;
    END IF;
    RAISE EXCEPTION 'The audit log is append-only: % on % is not allowed.', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Audit rows are only ever added; corrections are new change sets.';
END
$$;
"""


def install_postgresql_triggers(cursor) -> None:
    cursor.execute(POSTGRESQL_FUNCTION)
    for table in AUDIT_TABLES:
        cursor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change()"
        )


def install_sqlite_triggers(cursor) -> None:
    for table in AUDIT_TABLES:
        for operation in ("UPDATE", "DELETE"):
            cursor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {table}_no_{operation.lower()} "
                f"BEFORE {operation} ON {table} BEGIN "
                f"SELECT RAISE(ABORT, 'The audit log is append-only: {operation} on {table} "
                "is not allowed.'); END"
            )


def install(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            install_postgresql_triggers(cursor)
        elif schema_editor.connection.vendor == "sqlite":
            install_sqlite_triggers(cursor)
        else:
            raise NotImplementedError("The audit log needs PostgreSQL (or SQLite for a trial).")


def uninstall(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for table in AUDIT_TABLES:
            if schema_editor.connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS audit_reject_change()")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_log")]

    operations = [migrations.RunPython(install, uninstall)]
