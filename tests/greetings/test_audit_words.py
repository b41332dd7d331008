"""Greeting change sets in the audit log's words: what a reviewer reads on the change set's
page and in the CSV's "what changed"."""

import hashlib

import pytest
from django.urls import reverse

from audit.models import ChangeSet
from tests.audio_files import wav_bytes
from tests.greetings.helpers import audio_file, greeting_named
from tests.ivr.page_html import html, text

pytestmark = pytest.mark.django_db


def upload(client, name="Returns menu", content=None):
    data = {"name": name, "category": "5", "audio": audio_file(content or wav_bytes(2.5))}
    return client.post(reverse("greetings:new"), data)


def detail_text(client, change_set) -> str:
    return text(html(client.get(reverse("audit:detail", args=[change_set.pk]))))


def test_an_upload_reads_as_what_was_uploaded(as_editor, as_viewer, sandbox):
    content = wav_bytes(2.5)
    upload(as_editor, content=content)
    change_set = ChangeSet.objects.get(action="create_greeting")
    shown = detail_text(as_viewer, change_set)
    assert "Uploaded the greeting 'Returns menu' (2.5 s) as a new IVR menu greeting." in shown
    assert "Created the greeting 'Returns menu' (IVR menu greeting)." in shown
    assert hashlib.sha256(content).hexdigest() in shown  # the full fingerprint, in the table
    assert change_set.outcome_row.changes_in_words.startswith(
        "Created the greeting 'Returns menu' (IVR menu greeting). Uploaded a recording of 2.5 s"
    )


def test_an_incomplete_create_says_so(as_editor, as_viewer, sandbox):
    sandbox.fail("PUT", "/api/v2/channels/voice/greetings/*", status=503)
    upload(as_editor)
    change_set = ChangeSet.objects.get(action="create_greeting")
    shown = detail_text(as_viewer, change_set)
    assert "Partly applied" in shown
    assert "The greeting has no recording: its upload did not finish." in shown


def test_words_rename_and_delete_read_plainly(as_editor, as_admin, as_viewer, sandbox):
    upload(as_editor)
    created = greeting_named(sandbox, "Returns menu")
    as_editor.post(reverse("greetings:script", args=[created["id"]]), {"script": "Press 4."})
    as_editor.post(reverse("greetings:rename", args=[created["id"]]), {"name": "Returns"})
    as_admin.post(reverse("greetings:delete", args=[created["id"]]), {"reason": "Not needed"})
    words = {
        change_set.action: change_set.outcome_row.changes_in_words
        for change_set in ChangeSet.objects.all()
    }
    assert words["change_greeting_script"] == "Wrote down the greeting's words: “Press 4.”."
    assert words["rename_greeting"] == "Renamed the greeting from 'Returns menu' to 'Returns'."
    assert words["delete_greeting"] == "Deleted the greeting 'Returns'."
