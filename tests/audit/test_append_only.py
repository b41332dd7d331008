"""Nobody can change or remove audit rows: PostgreSQL itself refuses, whoever asks."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction

from audit.models import ApiCall, ChangeSet, ChangeSetOutcome
from tests.audit.talk_calls import open_publish, talk_call

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]
AUDIT_TABLES = ["audit_changeset", "audit_apicall", "audit_changesetoutcome"]


@pytest.fixture
def recorded(ana):
    with open_publish(ana) as change:
        talk_call("PUT", "/api/v2/channels/voice/ivr/360001")
    return change.change_set


def _refused(sql: str) -> str:
    with pytest.raises(DatabaseError) as refusal, transaction.atomic():  # noqa: SIM117
        with connection.cursor() as cursor:
            # Check the test's pending foreign keys now, so only the audit trigger can refuse.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(sql)
    return str(refusal.value)


@pytest.mark.parametrize("table", AUDIT_TABLES)
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE {table} SET previous_hash = previous_hash",
        "DELETE FROM {table}",
        "DELETE FROM {table} WHERE false",
        "TRUNCATE {table} CASCADE",
    ],
)
def test_raw_sql_cannot_change_or_remove_audit_rows(recorded, table, statement):
    message = _refused(statement.format(table=table))
    assert "The audit log is append-only" in message
    assert table in message
    assert ChangeSet.objects.count() == 1
    assert ApiCall.objects.count() == 1
    assert ChangeSetOutcome.objects.count() == 1


def test_even_a_superuser_is_refused(recorded):
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone()[0] is True
    assert "append-only" in _refused("UPDATE audit_changeset SET reason = 'nothing to see'")


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
        "    from talk.recording import ApiCallRecord\n"
        "    change.record_call(ApiCallRecord('GET', '/api/v2/groups', None, 200, '', 5, 1, ''))\n"
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
    assert chained == "3"  # intent, call and outcome, chained
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
