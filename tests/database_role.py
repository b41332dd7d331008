"""The tests run as the site does: as a least-privilege role on the audit log.

pytest-django creates and migrates the test database as the user of DATABASE_URL (the tables'
owner here). Then, once for the session, a login role `<test database>_app` is created and given
exactly the site's rights by the same code production uses (audit.database_role), and every
connection of the tests takes that role: the test process's own through Django's `assume_role`
(SET ROLE at connect: every privilege check is the role's), and every process a test starts (a
worker, the served site of the browser tests) by logging in as the role itself.

What only the owner may do, a test does through `as_database_owner()`: tampering the way an
intruder with the owner's rights could, and emptying the audit tables after a transactional
test (tests/conftest.py). The role is dropped at the end of the session.
"""

import secrets
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg
import pytest
from django.db import connection, connections

from audit.database_role import grant_app_role


@dataclass(frozen=True)
class AppRole:
    name: str
    password: str


_app_role: AppRole | None = None


def app_role() -> AppRole | None:
    """The role the tests run as, once the test database is set up."""
    return _app_role


def _create_app_role() -> AppRole:
    name = f"{connection.settings_dict['NAME']}_app"[:63]
    password = secrets.token_urlsafe(24)
    quoted = connection.ops.quote_name(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name])
        verb = "ALTER" if cursor.fetchone() else "CREATE"
        try:
            cursor.execute(
                f"{verb} ROLE {quoted} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %s",
                [password],
            )
        except psycopg.errors.InsufficientPrivilege as error:
            raise RuntimeError(
                "The tests run as a least-privilege role, which the user of DATABASE_URL "
                f"cannot create ({error}): use a user with CREATEROLE, e.g. postgres."
            ) from None
    grant_app_role(connection, name)
    return AppRole(name, password)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker) -> Iterator[None]:
    """pytest-django's test database, then every connection as the site's role."""
    global _app_role
    settings = connections["default"].settings_dict
    with django_db_blocker.unblock():
        _app_role = _create_app_role()
    settings["OPTIONS"]["assume_role"] = _app_role.name
    connections.close_all()
    yield
    settings["OPTIONS"].pop("assume_role", None)
    connections.close_all()
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        name = connection.ops.quote_name(_app_role.name)
        try:
            cursor.execute(f"DROP OWNED BY {name}")
            cursor.execute(f"DROP ROLE {name}")
        except psycopg.Error as error:  # still connected somewhere: the next session reuses it
            warnings.warn(f"The tests' role {_app_role.name} was left: {error}", stacklevel=1)
    _app_role = None


def _in_failed_transaction() -> bool:
    info = connection.connection.info if connection.connection else None
    return info is not None and info.transaction_status == psycopg.pq.TransactionStatus.INERROR


@contextmanager
def as_database_owner() -> Iterator:
    """A cursor on the test's connection with the rights of the tables' owner (a superuser in
    the tests), for what only an intruder with those rights could do: switch the audit log's
    triggers off and edit rows. The test's own role comes back afterwards."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, session_user")
        current, session = cursor.fetchone()
        cursor.execute("SET ROLE NONE")  # the session's own role: the owner
        try:
            yield cursor
        finally:
            # In a failed transaction the rollback brings the role back by itself.
            if current != session and not _in_failed_transaction():
                cursor.execute(f"SET ROLE {connection.ops.quote_name(current)}")


def subprocess_database_url() -> str:
    """The URL a process started by a test (a worker, a served site) connects to the test
    database with: logged in as the site's role."""
    settings = connection.settings_dict
    role = app_role()
    user, password = settings["USER"], settings["PASSWORD"]
    if role is not None:
        user, password = role.name, role.password
    login = user + (f":{password}" if password else "")
    host = settings["HOST"] or "127.0.0.1"
    return f"postgres://{login}@{host}:{settings['PORT'] or 5432}/{settings['NAME']}"


def login_as_app_role(**options) -> psycopg.Connection:
    """A connection of its own, logged in as the site's role (not through SET ROLE)."""
    settings = connection.settings_dict
    role = app_role()
    assert role is not None, "the test database is not set up"
    return psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=role.name,
        password=role.password,
        dbname=settings["NAME"],
        **options,
    )
