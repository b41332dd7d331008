"""A worker that dies between intent and outcome leaves a visible "interrupted" change set."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command

from audit.models import ChangeSet
from audit.verify import verify_chain
from tests.audit.talk_calls import open_publish, talk_call
from tests.database_role import subprocess_database_url

BASE_DIR = Path(__file__).resolve().parents[2]

DYING_SERVICE = """
import os
from datetime import timedelta
import django
django.setup()
from audit.actor import Actor
from tests.audit.talk_calls import open_publish, talk_call
from tests.database_role import subprocess_database_url

with open_publish(Actor.system("publish worker"), max_duration=timedelta(seconds={seconds})):
    talk_call("POST", "/api/v2/channels/voice/ivr/360001/menus", status=201)
    os._exit(9)  # the worker is killed: no exception handler, no outcome
"""


def run_dying_service(seconds: int) -> None:
    url = subprocess_database_url()
    died = subprocess.run(
        [sys.executable, "-c", DYING_SERVICE.format(seconds=seconds)],
        cwd=BASE_DIR,
        env={**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "talkadmin.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert died.returncode == 9, died.stderr


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_leaves_an_interrupted_change_set_that_can_be_closed(capsys):
    run_dying_service(seconds=0)
    change_set = ChangeSet.objects.get()
    assert change_set.ending is None  # no outcome was ever written...
    assert change_set.status == "interrupted"  # ...and its time to finish has run out
    assert change_set.status_label == "Interrupted"
    assert change_set.api_calls.get().status == 201  # what was sent is all there

    call_command("audit_close_interrupted")
    assert f"Change set #{change_set.pk} was interrupted" in capsys.readouterr().out
    change_set = ChangeSet.objects.get()
    assert change_set.ending.outcome == "interrupted"
    assert "no outcome was written by" in change_set.ending.error
    assert verify_chain().intact


@pytest.mark.django_db(transaction=True)
def test_a_change_set_still_within_its_time_is_in_progress_and_left_alone():
    run_dying_service(seconds=600)
    change_set = ChangeSet.objects.get()
    assert change_set.status == "in_progress"
    assert change_set.status_label == "In progress"
    call_command("audit_close_interrupted")
    assert ChangeSet.objects.get().ending is None


@pytest.mark.django_db
def test_a_running_change_set_is_in_progress_until_its_outcome(ana):
    with open_publish(ana, max_duration=timedelta(minutes=5)) as change:
        talk_call()
        assert ChangeSet.objects.get(pk=change.change_set.pk).status == "in_progress"
    assert ChangeSet.objects.get(pk=change.change_set.pk).status == "applied"
