"""Uploading a new greeting, its recording again, renaming, the words and deleting: who may,
what Zendesk then holds, the audit log's story, and every bad input refused before sending."""

import hashlib
import json

import pytest
from django.urls import reverse

from audit.models import ChangeSet
from greetings.models import GreetingScript
from tests.audio_files import demo_mp3, wav_bytes, wav_of_size
from tests.greetings.helpers import (
    HTMX,
    audio_file,
    detail_url,
    greeting_named,
    greeting_writes,
)
from tests.ivr.page_html import html, text

pytestmark = pytest.mark.django_db

NEW = reverse("greetings:new")


def new_greeting(client, *, name="Returns menu", category="5", audio=None, script="", **extra):
    data = {"name": name, "category": category, "script": script, **extra}
    if audio is not False:
        data["audio"] = audio_file(audio if audio is not None else wav_bytes(2.5))
    return client.post(NEW, data)


def field_error(page, name: str) -> str:
    field = page.find(attrs={"name": name})
    return " ".join(text(p) for p in field.find_parent(class_="field").select(".field-error"))


# --- A new greeting ---------------------------------------------------------------------------


def test_an_editor_uploads_a_new_greeting_and_zendesk_holds_its_recording(as_editor, sandbox):
    content = wav_bytes(2.5)
    response = new_greeting(as_editor, audio=content, script="For returns press 4.")

    created = greeting_named(sandbox, "Returns menu")
    assert response.status_code == 303
    assert response["Location"] == detail_url(created["id"])
    assert created["category_id"] == 5
    assert created["audio"]["sha256"] == hashlib.sha256(content).hexdigest()
    assert b"".join(sandbox.state.audio.chunks(created["audio"]["key"])) == content
    script = GreetingScript.objects.get(greeting_id=str(created["id"]))
    assert (script.script, script.updated_by_name) == ("For returns press 4.", "Bob Editor")

    change_set = ChangeSet.objects.get(action="create_greeting")
    assert change_set.status == "applied"
    assert change_set.final_summary == (
        "Uploaded the greeting 'Returns menu' (2.5 s) as a new IVR menu greeting."
    )
    assert change_set.recorded_target_id == str(created["id"])
    recording = change_set.after["recording"]
    assert recording == {
        "file_name": "returns.wav",
        "content_type": "audio/wav",
        "size": len(content),
        "seconds": 2.5,
        "sha256": hashlib.sha256(content).hexdigest(),
    }
    assert [(c.method, c.status) for c in change_set.api_calls.order_by("sequence")] == [
        ("POST", 201),
        ("PUT", 200),
    ]
    # The ledger keeps what was sent, never the audio's bytes.
    upload = change_set.api_calls.get(method="PUT")
    assert "RIFF" not in str(upload.request_body)


def test_the_new_greetings_page_plays_it_and_shows_its_words(as_editor, sandbox):
    new_greeting(as_editor, script="For returns press 4.")
    created = greeting_named(sandbox, "Returns menu")
    page = html(as_editor.get(detail_url(created["id"])))
    assert page.select_one("audio")["src"] == reverse("greetings:audio", args=[created["id"]])
    assert "For returns press 4." in text(page.select_one(".greeting-script"))
    assert "Nothing plays it" in text(page)


def test_an_mp3_is_taken_and_its_length_read_from_its_frames(as_editor, sandbox):
    new_greeting(as_editor, audio=demo_mp3("callback-offer.mp3"), name="Callback again")
    change_set = ChangeSet.objects.get(action="create_greeting")
    assert change_set.after["recording"]["content_type"] == "audio/mpeg"
    assert 3 < change_set.after["recording"]["seconds"] < 15


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": ""}, "name", "Give the greeting a name"),
        ({"name": "x" * 256}, "name", "at most 255 characters"),
        ({"category": ""}, "category", "Choose when callers hear this greeting"),
        ({"category": "12"}, "category", "Choose when callers hear this greeting"),
        ({"audio": False}, "audio", "Choose the MP3 or WAV recording"),
        ({"audio": b"%PDF-1.4 not audio at all"}, "audio", "not MP3 or WAV audio"),
        ({"audio": b"RIFF\x10\x00\x00\x00WAVEjunk" + b"\0" * 64}, "audio", "cannot be played"),
        ({"audio": b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\0" * 600}, "audio", "cannot be played"),
        ({"audio": wav_bytes(0)}, "audio", "holds no sound"),
        ({"audio": wav_of_size(10 * 1024 * 1024 + 4096)}, "audio", "larger than Zendesk's"),
        ({"script": "x" * 2001}, "script", "2000 characters"),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_sent(
    as_editor, sandbox, data, field, message
):
    response = new_greeting(as_editor, **data)
    assert response.status_code == 422
    page = html(response)
    assert message in field_error(page, field)
    assert "Nothing was sent to Zendesk" in text(page.select_one(".form-error"))
    assert greeting_writes(sandbox) == []
    assert not ChangeSet.objects.filter(action="create_greeting").exists()


def test_an_empty_file_is_refused(as_editor, sandbox):
    response = new_greeting(as_editor, audio=b"")
    assert "empty" in field_error(html(response), "audio")
    assert greeting_writes(sandbox) == []


def test_zendesk_failing_after_the_create_leaves_an_incomplete_greeting_in_plain_sight(
    as_editor, sandbox
):
    sandbox.fail("PUT", "/api/v2/channels/voice/greetings/*", status=503)
    response = new_greeting(as_editor)

    created = greeting_named(sandbox, "Returns menu")
    assert created["audio"] is None  # pending in Zendesk
    assert response.status_code == 303
    assert response["Location"] == detail_url(created["id"])
    change_set = ChangeSet.objects.get(action="create_greeting")
    assert change_set.status == "partly_applied"
    assert "Zendesk did not take its recording" in change_set.final_summary
    assert change_set.recorded_target_id == str(created["id"])
    assert [(c.method, c.status) for c in change_set.api_calls.order_by("sequence")][:2] == [
        ("POST", 201),
        ("PUT", 503),
    ]

    page = html(as_editor.get(detail_url(created["id"])))
    assert "did not take its recording" in text(page.select_one("#toasts"))
    assert page.find("a", string="Try the upload again")
    listed = html(as_editor.get(reverse("greetings:list")))
    assert "1 greeting has no recording" in text(listed)

    # Trying again completes it: a change set of its own.
    sandbox.app.faults.forced.clear()
    retry = as_editor.post(
        reverse("greetings:upload", args=[created["id"]]), {"audio": audio_file(wav_bytes(1))}
    )
    assert retry.status_code == 303
    assert created["audio"] is not None
    upload = ChangeSet.objects.get(action="upload_greeting")
    assert upload.status == "applied"
    assert upload.final_summary == "Uploaded the greeting 'Returns menu' (1 s)."


def test_a_create_zendesk_refuses_creates_nothing_and_keeps_what_was_typed(as_editor, sandbox):
    sandbox.fail("POST", "/api/v2/channels/voice/greetings", status=503)
    response = new_greeting(as_editor, name="Returns menu", script="Press 4")
    assert response.status_code == 422
    page = html(response)
    assert "Nothing was created" in text(page.select_one(".form-error"))
    assert page.find(attrs={"name": "name"})["value"] == "Returns menu"
    assert not [g for g in sandbox.state.greetings.values() if g["name"] == "Returns menu"]
    assert ChangeSet.objects.get(action="create_greeting").status == "failed"


def test_uploading_with_htmx_answers_with_a_client_redirect(as_editor, sandbox):
    data = {"name": "Returns menu", "category": "5", "audio": audio_file(wav_bytes(1))}
    response = as_editor.post(NEW, data, headers=HTMX)
    created = greeting_named(sandbox, "Returns menu")
    assert response["HX-Redirect"] == detail_url(created["id"])


def test_from_a_menu_form_the_new_greeting_is_handed_to_its_picker(as_editor, sandbox):
    data = {
        "new-greeting-name": "Returns menu",
        "new-greeting-category": "5",
        "new-greeting-audio": audio_file(wav_bytes(1)),
    }
    response = as_editor.post(f"{NEW}?for=menu", data, headers=HTMX)
    created = greeting_named(sandbox, "Returns menu")
    assert response.status_code == 200
    trigger = json.loads(response["HX-Trigger"])
    assert trigger["greetingUploaded"] == {
        "id": str(created["id"]),
        "name": "Returns menu",
        "category": 5,
        "audioUrl": reverse("greetings:audio", args=[created["id"]]),
    }
    assert "It is now chosen above as this menu's greeting" in text(html(response))


def test_viewers_cannot_upload(as_viewer, sandbox):
    response = new_greeting(as_viewer)
    assert response.status_code == 403
    assert greeting_writes(sandbox) == []


# --- Recording again, renaming, words ----------------------------------------------------------


def test_replacing_a_recording_callers_hear_needs_a_reason(as_editor, sandbox):
    welcome = greeting_named(sandbox, "Welcome to Northwind Outfitters")
    url = reverse("greetings:upload", args=[welcome["id"]])
    refused = as_editor.post(url, {"audio": audio_file(wav_bytes(1))})
    assert refused.status_code == 422
    assert "Say why" in field_error(html(refused), "reason")
    assert greeting_writes(sandbox) == []
    done = as_editor.post(url, {"audio": audio_file(wav_bytes(3)), "reason": "New menu keys"})
    assert done.status_code == 303
    change_set = ChangeSet.objects.get(action="upload_greeting")
    assert change_set.reason == "New menu keys"
    assert "Callers hear the new recording from now on" in change_set.final_summary
    assert change_set.after["recording"]["seconds"] == 3


def test_renaming(as_editor, sandbox):
    welcome = greeting_named(sandbox, "Welcome to Northwind Outfitters")
    url = reverse("greetings:rename", args=[welcome["id"]])
    assert "Give the greeting a name" in field_error(
        html(as_editor.post(url, {"name": " "})), "name"
    )
    assert greeting_writes(sandbox) == []
    response = as_editor.post(url, {"name": "Main welcome"})
    assert response.status_code == 303
    assert welcome["name"] == "Main welcome"
    change_set = ChangeSet.objects.get(action="rename_greeting")
    assert change_set.final_summary == (
        "Renamed the greeting 'Welcome to Northwind Outfitters' to 'Main welcome'."
    )


def test_zendesk_defaults_cannot_be_renamed(as_editor, sandbox):
    response = as_editor.post(reverse("greetings:rename", args=["voicemail_en"]), {"name": "X"})
    assert response.status_code == 422
    assert "one of Zendesk's default greetings" in text(html(response))
    assert greeting_writes(sandbox) == []


def test_writing_down_the_words_is_audited_without_any_call(as_editor, sandbox):
    welcome = greeting_named(sandbox, "Welcome to Northwind Outfitters")
    url = reverse("greetings:script", args=[welcome["id"]])
    as_editor.post(url, {"script": "For orders press 1."})
    as_editor.post(url, {"script": "For orders press 1. For support press 2."})
    sets = list(ChangeSet.objects.filter(action="change_greeting_script").order_by("id"))
    assert [s.final_summary or s.summary for s in sets] == [
        "Wrote down the words of the greeting 'Welcome to Northwind Outfitters'.",
        "Changed the words of the greeting 'Welcome to Northwind Outfitters'.",
    ]
    assert sets[1].before == {"script": "For orders press 1."}
    assert sets[1].after == {"script": "For orders press 1. For support press 2."}
    assert not sets[1].api_calls.exists()
    assert greeting_writes(sandbox) == []


def test_viewers_cannot_change_words_or_names(as_viewer, sandbox):
    welcome = greeting_named(sandbox, "Welcome to Northwind Outfitters")
    for name in ("greetings:script", "greetings:rename", "greetings:upload"):
        assert as_viewer.post(reverse(name, args=[welcome["id"]]), {}).status_code == 403


# --- Deleting -----------------------------------------------------------------------------------


def test_deleting_is_refused_while_a_menu_plays_it_and_lists_the_uses(as_admin, sandbox):
    welcome = greeting_named(sandbox, "Welcome to Northwind Outfitters")
    url = reverse("greetings:delete", args=[welcome["id"]])
    page = html(as_admin.get(url))
    assert "cannot be deleted while it is used" in text(page)
    assert "Menu 'Main menu' of the IVR 'Main support line'" in text(page)
    assert page.find("button", string="Delete the greeting") is None
    response = as_admin.post(url, {"reason": "Tidy up"})
    assert response.status_code == 422
    assert greeting_writes(sandbox) == []
    assert welcome["id"] in sandbox.state.greetings


def test_an_unused_greeting_is_deleted_with_its_words(as_admin, sandbox):
    spare = sandbox.state.add_greeting("Old promo", category_id=5)
    GreetingScript.objects.create(greeting_id=str(spare["id"]), script="Old words")
    url = reverse("greetings:delete", args=[spare["id"]])
    assert "Say why" in field_error(html(as_admin.post(url, {"reason": ""})), "reason")
    response = as_admin.post(url, {"reason": "The promotion is over"})
    assert response.status_code == 303
    assert spare["id"] not in sandbox.state.greetings
    assert not GreetingScript.objects.filter(greeting_id=str(spare["id"])).exists()
    change_set = ChangeSet.objects.get(action="delete_greeting")
    assert change_set.final_summary == "Deleted the greeting 'Old promo' (IVR menu greeting)."
    assert change_set.before["script"] == "Old words"


def test_editors_cannot_delete(as_editor, sandbox):
    spare = sandbox.state.add_greeting("Old promo", category_id=5)
    response = as_editor.post(reverse("greetings:delete", args=[spare["id"]]), {"reason": "x"})
    assert response.status_code == 403
    assert spare["id"] in sandbox.state.greetings


def test_a_greeting_zendesk_is_still_preparing_is_asked_about_until_it_has_it(as_viewer, sandbox):
    pending = sandbox.state.add_greeting("Returns menu", category_id=5, recording=None)
    status = reverse("greetings:status", args=[pending["id"]])
    waiting = html(as_viewer.get(status, headers=HTMX)).select_one("#greeting-status")
    assert waiting["hx-trigger"] == "every 5s"
    assert "No recording yet" in text(waiting)

    recorded = greeting_named(sandbox, "Welcome to Northwind Outfitters")
    with sandbox.state.lock:
        pending["audio"] = dict(recorded["audio"], upload_id=pending["id"])
        pending["audio_name"] = recorded["audio_name"]
    ready = html(as_viewer.get(status, headers=HTMX)).select_one("#greeting-status")
    assert not ready.has_attr("hx-trigger")
    assert ready.select_one("audio")["src"] == reverse("greetings:audio", args=[pending["id"]])


def test_a_create_whose_answer_was_lost_says_it_may_have_been_made(as_editor, sandbox):
    sandbox.time_out("POST", "/api/v2/channels/voice/greetings", times=1, after_applying=True)
    response = new_greeting(as_editor)
    assert response.status_code == 422
    message = text(html(response).select_one(".form-error"))
    assert "may or may not have been made" in message
    assert "Nothing was created" not in message
    assert "Greetings page" in message
    # Sent once, never twice; the greeting Zendesk made shows as incomplete.
    assert len(sandbox.requests_to("POST", "/api/v2/channels/voice/greetings")) == 1
    listed = html(as_editor.get(reverse("greetings:list")))
    assert "1 greeting has no recording" in text(listed)
