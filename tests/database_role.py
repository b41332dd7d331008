"""The tests run as the site does: connected as a least-privilege role (see below)."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


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
            if current != session:
                cursor.execute(f'SET ROLE "{current}"')


def subprocess_database_url() -> str:
    """The URL a process started by a test (a worker, a served site) connects to the test
    database with."""
    settings = connection.settings_dict
    login = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    host = settings["HOST"] or "127.0.0.1"
    return f"postgres://{login}@{host}:{settings['PORT'] or 5432}/{settings['NAME']}"
