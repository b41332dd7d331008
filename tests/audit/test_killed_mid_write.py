"""A worker killed while Zendesk works on a write leaves that write on record, as "sent, answer
unknown", on the change set's page, in its interrupted outcome's words and in the exports.

For real: the sandbox runs as its own process and hangs on the menu create after making the
menu (Zendesk applied it, its answer never comes); the worker is a Python process writing
through the real Talk client and audit log; it is SIGKILLed in the middle of that write.
"""

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from audit.models import ApiCall, ChangeSet, SentCall
from sandbox.process import start_sandbox
from tests.database_role import subprocess_database_url

BASE_DIR = Path(__file__).resolve().parents[2]
MENU_NAME = "Night line"

WORKER = """
import sys
from datetime import timedelta
import django
django.setup()
import audit, talk
from audit.actor import Actor

ivr_id = int(sys.argv[1])
with audit.change_set(
    actor=Actor.system("publish worker"),
    action=audit.Action.PUBLISH_IVR,
    target_type=audit.TargetType.IVR,
    target_id=ivr_id,
    target_name="Main line",
    summary="Add the menu 'Night line'",
    reason="Out-of-hours calls",
    max_duration=timedelta(seconds=3),
):
    client = talk.get_client()
    client.get_ivr(ivr_id)
    client.create_menu(ivr_id, name=sys.argv[2])
    print("the create came back", flush=True)  # it never does: the worker dies first
"""


@pytest.fixture
def hanging_sandbox():
    sandbox = start_sandbox()
    try:
        yield sandbox
    finally:
        sandbox.stop()


def _menu_made(sandbox) -> bool:
    menus = sandbox.control("GET", "/sandbox/state")["menus"]
    menus = menus.values() if isinstance(menus, dict) else menus
    return any(menu["name"] == MENU_NAME for menu in menus)


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_write_leaves_the_call_as_sent_answer_unknown(
    hanging_sandbox, as_viewer, capsys
):
    ivr_id = hanging_sandbox.control("GET", "/sandbox/state")["ivrs"][0]["id"]
    # Zendesk makes the menu, then its answer is lost: the create hangs for a minute.
    hanging_sandbox.set_faults(
        {
            "forced": [
                {
                    "method": "POST",
                    "path": f"/api/v2/channels/voice/ivr/{ivr_id}/menus",
                    "timeout": True,
                    "after_applying": True,
                    "hang_seconds": 60,
                    "times": 1,
                }
            ]
        }
    )
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(ivr_id), MENU_NAME],
        cwd=BASE_DIR,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("TALK_")},
            "DATABASE_URL": subprocess_database_url(),
            "DJANGO_SETTINGS_MODULE": "talkadmin.settings",
            "TALK_BASE_URL": hanging_sandbox.base_url,
            "TALK_EMAIL": hanging_sandbox.email,
            "TALK_API_TOKEN": hanging_sandbox.api_token,
            "TALK_READ_TIMEOUT": "120",  # the worker waits for the answer, as for a slow Zendesk
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert _wait_for(lambda: _menu_made(hanging_sandbox), 60), "the create never arrived"
        time.sleep(0.3)  # Zendesk holds the answer; the worker waits for it
        assert worker.poll() is None
        worker.send_signal(signal.SIGKILL)
        _, errors = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert worker.returncode == -signal.SIGKILL, errors

    change_set = ChangeSet.objects.get(action="publish_ivr")
    path = f"/api/v2/channels/voice/ivr/{ivr_id}/menus"
    (sent,) = SentCall.objects.filter(change_set=change_set)
    assert (sent.sequence, sent.method, sent.path) == (2, "POST", path)
    assert sent.request_body == {"ivr_menu": {"name": MENU_NAME}}
    answered = ApiCall.objects.filter(change_set=change_set)
    assert list(answered.values_list("sequence", "method")) == [(1, "GET")]  # the POST: no answer
    if change_set.status == "in_progress":  # within its time to finish, it may yet answer
        page = as_viewer.get(f"/audit/{change_set.pk}/").content.decode()
        assert "Sent, waiting for Zendesk's answer" in page
    assert _wait_for(lambda: change_set.status == "interrupted", 10)  # no outcome, out of time

    page = as_viewer.get(f"/audit/{change_set.pk}/").content.decode()
    assert "Sent, answer unknown" in page
    assert f"<code>POST {path}</code>" in page
    assert "Zendesk may have made them" in page

    call_command("audit_close_interrupted")
    change_set.refresh_from_db()
    assert change_set.ending.outcome == "interrupted"
    assert (
        "1 write was sent to Zendesk and no answer was recorded, so Zendesk may have made it "
        f"(sent, answer unknown): call 2, POST {path}."
    ) in change_set.ending.error

    exported = as_viewer.post("/audit/export/", {"file_format": "csv", "reason": "Incident"})
    [header, *rows] = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode())))
    records = [dict(zip(header, row, strict=True)) for row in rows]
    record = next(r for r in records if r["Change set"] == str(change_set.pk))
    assert (record["Outcome"], record["Calls sent, answer unknown"]) == ("Interrupted", "1")
    assert "sent, answer unknown" in record["Error"]
    exported = as_viewer.post("/audit/export/", {"file_format": "jsonl", "reason": "Incident"})
    lines = b"".join(exported.streaming_content).decode().splitlines()
    line = next(json.loads(text) for text in lines if f'"change_set":{change_set.pk},' in text)
    assert [(s["method"], s["path"]) for s in line["sent_answer_unknown"]] == [("POST", path)]
