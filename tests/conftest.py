"""Shared fixtures: the personas every test can sign in as.

admin, editor and viewer hold the role of that name; outsider is a signed-up user with no role.
`as_admin` etc. are test clients already signed in as that persona.
"""

import pytest
from django.test import Client

from audit.actor import Actor
from core.roles import ADMIN, EDITOR, ROLES, VIEWER
from talkadmin.accounts import create_user

PERSONA_PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _test_speedups(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Hashed static names need `collectstatic`; tests render pages without running it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    marked = marker is not None and (
        marker.kwargs.get("transaction") or (marker.args and marker.args[0])
    )
    requested = {"transactional_db", "live_server"} & set(request.fixturenames)
    return bool(marked or requested)


@pytest.fixture(autouse=True)
def _empty_audit_log_after_transactional_tests(request):
    """Transactional tests end by emptying every table, which the append-only audit tables
    refuse while they hold rows; so empty them first, with their triggers switched off."""
    if not _is_transactional(request):
        yield
        return
    request.getfixturevalue("transactional_db")  # set up first, so torn down after this
    yield
    _empty_audit_log()


def _empty_audit_log() -> None:
    from django.db import connection, transaction

    from audit.models import CHAINED_MODELS

    tables = [model._meta.db_table for model in CHAINED_MODELS]
    with connection.cursor() as cursor:
        # The owner's rights, which the site's role lacks (tests/database_role.py), for this
        # and for emptying every table afterwards; the connection is closed after that.
        cursor.execute("SET ROLE NONE")
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
        cursor.execute(f"TRUNCATE {', '.join(tables)}")
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only")


def ensure_role_groups() -> None:
    """The role groups, as the data migration creates them. A transactional test ends by
    emptying every table, the groups included, so the next one needs them made again."""
    from django.contrib.auth.models import Group, Permission

    for role in ROLES:
        group, created = Group.objects.get_or_create(name=role.name)
        if created:
            group.permissions.set(
                Permission.objects.filter(
                    content_type__app_label="talkadmin", codename__in=role.permissions
                )
            )


def _persona(username: str, display_name: str, role):
    ensure_role_groups()
    return create_user(
        username=username,
        password=PERSONA_PASSWORD,
        role=role,
        display_name=display_name,
        actor=Actor.system("test set-up"),
    )


@pytest.fixture
def admin(db):
    return _persona("alice", "Alice Admin", ADMIN)


@pytest.fixture
def editor(db):
    return _persona("bob", "Bob Editor", EDITOR)


@pytest.fixture
def viewer(db):
    return _persona("carol", "Carol Viewer", VIEWER)


@pytest.fixture
def outsider(db):
    return _persona("dave", "Dave Outsider", None)


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def as_admin(admin) -> Client:
    return _signed_in(admin)


@pytest.fixture
def as_editor(editor) -> Client:
    return _signed_in(editor)


@pytest.fixture
def as_viewer(viewer) -> Client:
    return _signed_in(viewer)


@pytest.fixture
def as_outsider(outsider) -> Client:
    return _signed_in(outsider)


# The Dialpad sandbox behind the real Dialpad client: see tests/dialpad_fixtures.py.
# The local Talk sandbox behind the real Talk client: see tests/sandbox_fixtures.py.
# Every test connects as the site's least-privilege database role: see tests/database_role.py.
from tests.database_role import django_db_setup  # noqa: E402, F401
from tests.dialpad_fixtures import (  # noqa: E402, F401
    _dialpad_process,
    dialpad_sandbox,
    dialpad_server,
)
from tests.sandbox_fixtures import _sandbox_process, sandbox, sandbox_server  # noqa: E402, F401

# The Yeastar sandbox behind the real Yeastar client: see tests/yeastar_fixtures.py.
from tests.yeastar_fixtures import (  # noqa: E402, F401
    _yeastar_process,
    yeastar_sandbox,
    yeastar_server,
)
