"""The site connects as a role that may add and read audit rows, and nothing more on them; the
tables belong to an owner role that runs the migrations (audit/database_role.py)."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from audit.database_role import UnsafeRole, check_app_role
from audit.models import CHAINED_MODELS, ChangeSet
from tests.audit.forging import forge_approval
from tests.audit.talk_calls import open_publish, talk_call
from tests.database_role import (
    app_role,
    as_database_owner,
    login_as_app_role,
    subprocess_database_url,
)

BASE_DIR = Path(__file__).resolve().parents[2]
AUDIT_TABLES = [model._meta.db_table for model in CHAINED_MODELS]


@pytest.mark.django_db
def test_the_tests_themselves_run_as_the_sites_role():
    role = app_role()
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone() == (role.name, False)
    assert subprocess_database_url().startswith(f"postgres://{role.name}:")  # workers, the site


def _refused(cursor, sql: str) -> str:
    with pytest.raises(psycopg.errors.InsufficientPrivilege) as refusal:
        cursor.execute(sql)
    return str(refusal.value)


@pytest.mark.django_db(transaction=True)
def test_logged_in_as_the_sites_role_the_audit_log_can_only_grow(ana):
    with open_publish(ana) as change:
        talk_call("PUT", "/api/v2/channels/voice/ivr/360001", request_body={"ivr": {}})
    rows_before = sum(model.objects.count() for model in CHAINED_MODELS)
    with login_as_app_role(autocommit=True) as site, site.cursor() as cursor:
        for table in AUDIT_TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - may read
            assert cursor.fetchone()[0] == 1
            for sql in (
                f"UPDATE {table} SET previous_hash = previous_hash",  # noqa: S608
                f"DELETE FROM {table}",  # noqa: S608
                f"TRUNCATE {table}",
            ):
                assert f"permission denied for table {table}" in _refused(cursor, sql)
            for sql in (
                f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only",
                f"ALTER TABLE {table} DISABLE TRIGGER ALL",
                f"DROP TRIGGER {table}_append_only ON {table}",
                f"ALTER TABLE {table} OWNER TO {site.info.user}",
            ):
                assert re.search(
                    f"must be owner of (table|relation) {table}", _refused(cursor, sql)
                )
            assert "permission denied" in _refused(
                cursor,
                f"CREATE TRIGGER sneaky BEFORE INSERT ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION audit_reject_change()",
            )
        # Nor may it switch every trigger off for its session, as a superuser could.
        assert "session_replication_role" in _refused(
            cursor, "SET session_replication_role = replica"
        )
        cursor.execute("SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone() == (False, False)
        # The other tables are the site's to use as usual; the migrations' record is not.
        cursor.execute("UPDATE auth_user SET last_name = last_name")
        cursor.execute("DELETE FROM django_session")
        assert "permission denied" in _refused(cursor, "DELETE FROM django_migrations")
        forge_approval(cursor=cursor)  # it may add rows: the signatures are what tells
    assert sum(model.objects.count() for model in CHAINED_MODELS) == rows_before + 2
    assert change.change_set.pk in ChangeSet.objects.values_list("pk", flat=True)


@pytest.mark.django_db(transaction=True)
def test_a_change_set_forged_by_a_session_of_the_sites_role_is_named(ana, capsys):
    with open_publish(ana) as change:
        talk_call("GET", "/api/v2/channels/voice/ivr/360001")
    with login_as_app_role() as site, site.cursor() as cursor:
        forged = forge_approval(cursor=cursor)
        site.commit()
    with pytest.raises(CommandError, match="2 row"):
        call_command("audit_verify")
    out = capsys.readouterr().out
    assert f"(change set #{forged} (its intent)) has no signature" in out
    assert f"change set #{change.change_set.pk}" not in out


@pytest.mark.django_db
def test_a_role_that_could_change_the_audit_log_is_refused():
    with as_database_owner() as cursor:  # roles made here go with the test's transaction
        cursor.execute("CREATE ROLE refused_maker CREATEROLE")
        cursor.execute("CREATE ROLE refused_super SUPERUSER")
        cursor.execute("CREATE ROLE refused_member IN ROLE postgres")
        cases = {
            "postgres": "both log in as 'postgres'",
            "refused_super": "is a superuser, which can switch the audit log's triggers off",
            "refused_maker": "may create roles",
            "refused_member": "is a member of the owner 'postgres'",
            "refused_missing": "does not exist",
        }
        for role, complaint in cases.items():
            with pytest.raises(UnsafeRole, match=complaint):
                check_app_role(connection, role)
        check_app_role(connection, app_role().name)  # the tests' own role passes


# --- The production recipe, for real: an owner that is no superuser, migrating ---------------
def _admin() -> psycopg.Connection:
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


def _url(user: str, password: str, database: str) -> str:
    settings = connection.settings_dict
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    return f"postgres://{user}:{password}@{host}:{port}/{database}"


@pytest.fixture
def production_database():
    """A database of its own owned by a plain owner role, and the site's role: both made with
    the SQL the README gives, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_roles"[:50]
    owner, site = f"{name}_owner", f"{name}_site"
    passwords = {owner: secrets.token_urlsafe(16), site: secrets.token_urlsafe(16)}
    with _admin() as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        for role, password in passwords.items():
            admin.execute(f"DROP ROLE IF EXISTS {role}")
            admin.execute(
                f"CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
                f"PASSWORD '{password}'"
            )
        admin.execute(f"CREATE DATABASE {name} OWNER {owner}")
    try:
        yield {
            "DATABASE_URL": _url(site, passwords[site], name),
            "DATABASE_OWNER_URL": _url(owner, passwords[owner], name),
            "owner": owner,
            "site": site,
            "name": name,
        }
    finally:
        with _admin() as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            for role in passwords:
                admin.execute(f"DROP ROLE IF EXISTS {role}")


def _manage(database, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={
            **os.environ,
            "ENV_FILE": os.devnull,
            "DJANGO_SETTINGS_MODULE": "talkadmin.settings",
            "DATABASE_URL": database["DATABASE_URL"],
            "DATABASE_OWNER_URL": database["DATABASE_OWNER_URL"],
            **env,
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_migrations_run_as_the_owner_and_the_site_gets_only_its_rights(production_database):
    database = production_database
    migrated = _manage(database, "migrate", "--no-input", "-v", "0")
    assert migrated.returncode == 0, migrated.stderr
    owner_url = database["DATABASE_OWNER_URL"]
    with psycopg.connect(owner_url) as owner:
        owners = owner.execute(
            "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = current_schema()"
        ).fetchall()
        assert owners == [(database["owner"],)]  # every table is the owner's
        trigram = owner.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").fetchone()
        assert trigram is not None  # a trusted extension: the owner could create it

    # The site's role runs the site's commands: it records the new user in the audit log.
    added = _manage(database, "adduser", "erin", "--role", "viewer",
                    TALKADMIN_PASSWORD="Erin-long-Passphrase-1")  # fmt: skip
    assert added.returncode == 0, added.stderr
    checked = _manage(database, "audit_verify")
    assert checked.returncode == 0, checked.stderr
    assert "The audit log is intact: 2 rows" in checked.stdout

    report = _manage(database, "setup_database_roles")
    assert report.returncode == 0, report.stderr
    for table in AUDIT_TABLES:
        assert f"  {table} (owned by {database['owner']}): SELECT, INSERT\n" in report.stdout
    assert "it cannot change, remove or empty them, nor switch their triggers off" in report.stdout

    with (
        psycopg.connect(database["DATABASE_URL"], autocommit=True) as site,
        site.cursor() as cursor,
    ):
        assert "must be owner" in _refused(
            cursor, "ALTER TABLE audit_changeset DISABLE TRIGGER ALL"
        )
        assert "permission denied" in _refused(cursor, "DELETE FROM audit_changesetoutcome")
        assert "permission denied" in _refused(cursor, "CREATE TABLE mine (id int)")
    # The owner meets the triggers.
    with (
        psycopg.connect(owner_url, autocommit=True) as owner,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"),
    ):
        owner.execute("DELETE FROM audit_changeset")

    # A site configured as the tables' owner is refused, in plain words.
    same = _manage(database, "setup_database_roles", DATABASE_URL=database["DATABASE_OWNER_URL"])
    assert same.returncode == 1
    assert f"both log in as '{database['owner']}'" in same.stderr
    remigrated = _manage(
        database, "migrate", "-v", "0", DATABASE_URL=database["DATABASE_OWNER_URL"]
    )
    assert remigrated.returncode == 1
    assert "CommandError: Migrated, but the site's role was not given its rights" in (
        remigrated.stderr
    )
    assert "Traceback" not in remigrated.stderr
