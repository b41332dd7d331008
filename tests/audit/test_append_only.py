"""Nobody can change or remove audit rows: PostgreSQL itself refuses, whoever asks. The site's
role lacks the rights; the tables' owner, and even a superuser, meets the triggers."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction

from audit.models import ApiCall, ChangeSet, ChangeSetOutcome, SentCall
from tests.audit.talk_calls import open_publish, talk_call
from tests.database_role import as_database_owner

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]
AUDIT_TABLES = ["audit_changeset", "audit_sentcall", "audit_apicall", "audit_changesetoutcome"]


@pytest.fixture
def recorded(ana):
    with open_publish(ana) as change:
        talk_call("PUT", "/api/v2/channels/voice/ivr/360001")
    return change.change_set


def _refused(sql: str, *, as_owner: bool = False) -> str:
    with pytest.raises(DatabaseError) as refusal, transaction.atomic():  # noqa: SIM117
        with as_database_owner() if as_owner else connection.cursor() as cursor:
            # Check the test's pending foreign keys now, so only the audit log can refuse.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(sql)
    return str(refusal.value)


STATEMENTS = [
    "UPDATE {table} SET previous_hash = previous_hash",
    "DELETE FROM {table}",
    "DELETE FROM {table} WHERE false",
    "TRUNCATE {table} CASCADE",
]


def _nothing_changed() -> None:
    assert ChangeSet.objects.count() == 1
    assert SentCall.objects.count() == 1
    assert ApiCall.objects.count() == 1
    assert ChangeSetOutcome.objects.count() == 1


@pytest.mark.parametrize("table", AUDIT_TABLES)
@pytest.mark.parametrize("statement", STATEMENTS)
def test_the_sites_role_may_not_change_or_remove_audit_rows(recorded, table, statement):
    message = _refused(statement.format(table=table))
    assert f"permission denied for table {table}" in message  # the role lacks the right...
    _nothing_changed()


@pytest.mark.parametrize("table", AUDIT_TABLES)
@pytest.mark.parametrize("statement", STATEMENTS)
def test_the_triggers_refuse_the_tables_owner_too(recorded, table, statement):
    message = _refused(statement.format(table=table), as_owner=True)
    assert "The audit log is append-only" in message  # ...and the owner meets the triggers
    assert table in message
    _nothing_changed()


def test_even_a_superuser_is_refused(recorded):
    with as_database_owner() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone()[0] is True
    message = _refused("UPDATE audit_changeset SET reason = 'nothing to see'", as_owner=True)
    assert "append-only" in message


def test_the_orm_cannot_change_or_remove_them_either(recorded):
    for attempt in (
        lambda: ChangeSet.objects.filter(pk=recorded.pk).update(reason="edited"),
        lambda: ApiCall.objects.all().delete(),
        lambda: ChangeSetOutcome.objects.all().delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    assert ChangeSet.objects.get(pk=recorded.pk).reason == "Billing moved to Tier 2"


def test_the_trial_sqlite_database_gets_the_same_protection(tmp_path):
    database = tmp_path / "trial.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DEBUG": "true"}
    script = (
        "import django; django.setup()\n"
        "import audit\n"
        "with audit.change_set(actor=audit.Actor.system('trial'), action='add_user',"
        " target_type='user', target_id='ana', target_name='Ana', summary='Add Ana',"
        " reason_required=False) as change:\n"
        "    from talk.recording import ApiCallRecord, OutgoingCall\n"
        "    change.record_call(ApiCallRecord('GET', '/api/v2/groups', None, 200, '', 5, 1, ''))\n"
        "    put = OutgoingCall('PUT', '/api/v2/groups/1', {'group': {'name': 'Tier 1'}})\n"
        "    sequence = change.record_sending(put)\n"
        "    change.record_call(ApiCallRecord('PUT', put.path, put.request_body, 200, '', 9,\n"
        "        1, '', sequence=sequence))\n"
        "from audit.verify import verify_chain\n"
        "print(verify_chain().rows_checked)\n"
        "from audit.export import export_change_sets\n"
        "from audit.review import LogFilter\n"
        "for file_format in ('csv', 'jsonl'):\n"
        "    export = export_change_sets(log_filter=LogFilter(), filter_words='everything',\n"
        "        file_format=file_format, actor=audit.Actor.system('trial'))\n"
        "    print(b''.join(export.chunks).decode().strip().splitlines()[-1])\n"
    )
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert migrate.returncode == 0, migrate.stderr
    recorded_rows = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "talkadmin.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert recorded_rows.returncode == 0, recorded_rows.stderr
    chained, csv_line, json_line = recorded_rows.stdout.strip().splitlines()
    assert chained == "5"  # intent, a read, a write as sent and as answered, outcome: chained
    assert csv_line.startswith("1,") and ",Added a user,User,ana,Ana," in csv_line
    exported = json.loads(json_line)  # the same shape as PostgreSQL writes it
    assert (exported["change_set"], exported["outcome"]) == (1, "applied")
    assert exported["api_calls"][0]["path"] == "/api/v2/groups"
    assert exported["target"] == {"type": "user", "id": "ana", "name": "Ana"}
    trial = sqlite3.connect(database)
    for table in AUDIT_TABLES:
        for sql in (f"UPDATE {table} SET previous_hash = ''", f"DELETE FROM {table}"):  # noqa: S608
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                trial.execute(sql)
    assert trial.execute("SELECT count(*) FROM audit_changeset").fetchone() == (3,)  # + 2 exports
    trial.close()
