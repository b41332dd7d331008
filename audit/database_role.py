"""The site's database role: it may add and read audit rows, and nothing more on those tables.

Triggers make the audit tables append-only, but a table's owner (or a superuser) can switch its
triggers off. So the tables belong to an owner role that only `manage.py migrate` uses
(DATABASE_OWNER_URL), and the site and the worker connect as another role (DATABASE_URL) that:

- may SELECT and INSERT on the audit tables, and nothing else on them (no UPDATE, DELETE,
  TRUNCATE, REFERENCES or TRIGGER; not their owner, so no ALTER TABLE ... DISABLE TRIGGER);
- may SELECT, INSERT, UPDATE and DELETE the other tables (sessions, drafts, users, ...), and
  use their sequences; only read django_migrations;
- is no superuser and cannot create roles (which could make it a member of the owner).

`grant_app_role` checks the role and sets exactly these rights, in one transaction, on every
table of the schema; `migrate` runs it after migrating as the owner (audit.after_migrate), so a
table a later migration adds gets its rights at once; `manage.py setup_database_roles` runs it
on demand and reports what the role may do.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from audit.models import CHAINED_MODELS

OWNER_ALIAS = "owner"  # settings.DATABASES key of DATABASE_OWNER_URL
READ_ONLY_TABLES = ("django_migrations",)
AUDIT_RIGHTS = ("SELECT", "INSERT")
TABLE_RIGHTS = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")


# The site's role while this process migrates as the owner (set by the migrate command).
_site_role_while_migrating: str | None = None


def migrating_for(site_role: str) -> None:
    """This process migrates as the owner; `site_role` gets its rights afterwards."""
    global _site_role_while_migrating
    _site_role_while_migrating = site_role


def site_role_while_migrating() -> str | None:
    return _site_role_while_migrating


class UnsafeRole(Exception):
    """The app role cannot be given least privilege; the message says why and what to do."""


@dataclass(frozen=True)
class TableRights:
    table: str
    rights: tuple[str, ...]  # of TABLE_RIGHTS, those the app role holds
    owner: str


def audit_tables() -> list[str]:
    return [model._meta.db_table for model in CHAINED_MODELS]


def check_app_role(connection: BaseDatabaseWrapper, app_role: str) -> None:
    """Raise UnsafeRole if `app_role` cannot be kept from changing the audit log."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (owner,) = cursor.fetchone()
        if app_role == owner:
            raise UnsafeRole(
                f"DATABASE_URL and DATABASE_OWNER_URL both log in as '{owner}'. The site must "
                "connect as a role of its own that does not own the tables."
            )
        cursor.execute(
            "SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = %s", [app_role]
        )
        found = cursor.fetchone()
        if found is None:
            raise UnsafeRole(
                f"The role '{app_role}' of DATABASE_URL does not exist. Create it first (see "
                "README, 'Run it in production'): CREATE ROLE ... LOGIN PASSWORD '...'."
            )
        superuser, create_role = found
        if superuser:
            raise UnsafeRole(
                f"The role '{app_role}' of DATABASE_URL is a superuser, which can switch the "
                "audit log's triggers off. Connect the site as a role that is not."
            )
        if create_role:
            raise UnsafeRole(
                f"The role '{app_role}' of DATABASE_URL may create roles, and so could make "
                f"itself a member of the tables' owner: ALTER ROLE {app_role} NOCREATEROLE."
            )
        cursor.execute(
            "SELECT pg_has_role(%s, %s, 'MEMBER'), "
            "(SELECT string_agg(tablename, ', ') FROM pg_tables WHERE tableowner = %s "
            " AND tablename = ANY(%s))",
            [app_role, owner, app_role, audit_tables()],
        )
        member, owned = cursor.fetchone()
        if member:
            raise UnsafeRole(
                f"The role '{app_role}' of DATABASE_URL is a member of the owner '{owner}', so "
                f"it holds the owner's rights: REVOKE {owner} FROM {app_role}."
            )
        if owned:
            raise UnsafeRole(
                f"The role '{app_role}' of DATABASE_URL owns {owned}: run migrate as the owner "
                f"after ALTER TABLE ... OWNER TO {owner} (see README)."
            )


def grant_app_role(connection: BaseDatabaseWrapper, app_role: str) -> None:
    """Give `app_role` exactly its rights on every table of the schema (see the module doc),
    through `connection`, logged in as the tables' owner. Raises UnsafeRole first if the role
    cannot be kept from changing the audit log."""
    check_app_role(connection, app_role)
    role = connection.ops.quote_name(app_role)
    audit = ", ".join(connection.ops.quote_name(table) for table in audit_tables())
    read_only = ", ".join(connection.ops.quote_name(table) for table in READ_ONLY_TABLES)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SELECT current_database(), current_schema()")
        database, schema = (connection.ops.quote_name(name) for name in cursor.fetchone())
        for statement in (
            f"GRANT CONNECT ON DATABASE {database} TO {role}",
            f"GRANT USAGE ON SCHEMA {schema} TO {role}",
            f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
            f"REVOKE UPDATE, DELETE ON {audit} FROM {role}",
            f"REVOKE INSERT, UPDATE, DELETE ON {read_only} FROM {role}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
        ):
            cursor.execute(statement)


def rights_on_audit_tables(connection: BaseDatabaseWrapper, app_role: str) -> list[TableRights]:
    """What `app_role` may do on each audit table, as PostgreSQL answers it."""
    found = []
    with connection.cursor() as cursor:
        for table in audit_tables():
            cursor.execute("SELECT tableowner FROM pg_tables WHERE tablename = %s", [table])
            row = cursor.fetchone()
            rights = []
            for right in TABLE_RIGHTS:
                cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [app_role, table, right])
                if cursor.fetchone()[0]:
                    rights.append(right)
            found.append(TableRights(table, tuple(rights), row[0] if row else ""))
    return found
