"""The client reads a target's recordings by situation, uploads, renames, assigns and
un-assigns them, every write inside an audit change set with the audio kept out of the record,
and refuses before sending what Dialpad's documents rule out."""

import hashlib
import json
from datetime import UTC, datetime

import pytest

from core.api_calls.recording import WriteOutsideChangeSet
from dialpad.audio import MAX_RECORDING_BYTES, RecordingFile
from dialpad.errors import NotFound, NotSendable
from dialpad.resources import SelectOption, Target, TargetType
from dialpad.situations import IvrType
from sandbox.dialpad.demo import LONDON, NEW_YORK, SUPPORT_QUEUE
from tests.audio_files import demo_mp3, wav_bytes
from tests.talk.recorder import change_set

LONDON_OFFICE = Target(TargetType.OFFICE, LONDON)
NEW_YORK_OFFICE = Target(TargetType.OFFICE, NEW_YORK)
QUEUE = Target(TargetType.CALL_CENTER, SUPPORT_QUEUE)


def test_a_targets_recordings_come_by_situation_with_what_plays(dialpad_sandbox):
    london = dialpad_sandbox.client.list_recordings(LONDON_OFFICE)
    menu = london.situation(IvrType.MENU)
    assert [r.name for r in menu.recordings] == ["London main menu (2023)", "London main menu"]
    assert menu.playing.name == "London main menu" and not menu.plays_default
    assert london.situation(IvrType.CLOSED_MENU).plays_default  # Dialpad's default plays
    assert london.playing(IvrType.CLOSED_MENU) is None
    old = menu.recordings[0]
    assert (old.selected, old.date_added) == (False, datetime(2023, 2, 1, tzinfo=UTC))
    assert isinstance(old.id, int) and old.id > 2**32  # 64-bit ids sent as strings
    assert london.find(old.id) == (IvrType.MENU, old)
    assert dialpad_sandbox.endpoints() == ["GET customivrs"]


def test_a_call_centres_two_recording_notices_and_a_spoken_text(dialpad_sandbox):
    queue = dialpad_sandbox.client.list_recordings(QUEUE)
    notices = queue.situation(IvrType.AUTO_RECORDING)
    assert [r.name for r in notices.selected] == [
        "Recording notice (inbound)",
        "Recording notice (outbound)",
    ]
    survey = queue.playing(IvrType.CSAT_QUESTION)
    assert survey.text.startswith("On a scale of 1 to 5")


def test_every_page_of_a_targets_recordings_is_read(dialpad_sandbox):
    dialpad_sandbox.app.page_size = 2
    queue = dialpad_sandbox.client.list_recordings(QUEUE)
    assert len(queue.by_type) == 8
    assert len(dialpad_sandbox.requests_to("GET", "customivrs")) == 4


def test_an_ivr_type_the_client_does_not_know_is_kept_aside_not_dropped(dialpad_sandbox):
    with dialpad_sandbox.state.lock:
        dialpad_sandbox.state.recording_named("London closed")["ivr_type"] = "HOLD_NEW_THING"
    london = dialpad_sandbox.client.list_recordings(LONDON_OFFICE)
    assert london.situation(IvrType.CLOSED).plays_default
    assert [item["ivr_type"] for item in london.unknown] == ["HOLD_NEW_THING"]


def test_an_upload_sends_the_mp3_and_records_what_it_was_not_the_audio(dialpad_sandbox):
    audio = demo_mp3()
    recording = RecordingFile.checked(audio, file_name="easter.mp3")
    with change_set() as recorded:
        made = dialpad_sandbox.client.upload_recording(
            target=NEW_YORK_OFFICE,
            ivr_type=IvrType.CLOSED,
            recording=recording,
            name="  Easter closed ",
            description="Good Friday to Easter Monday",
        )
    assert (made.name, made.description, made.selected) == (
        "Easter closed",
        "Good Friday to Easter Monday",
        True,
    )
    kept = dialpad_sandbox.state.recordings[made.id]
    assert kept["audio"]["sha256"] == hashlib.sha256(audio).hexdigest()
    (call,) = recorded.calls
    assert (call.method, call.path, call.status) == ("POST", "/api/v2/customivrs", 200)
    assert call.write is True
    assert call.request_body["file"] == {
        "content_type": "audio/mpeg",
        "bytes": len(audio),
        "sha256": hashlib.sha256(audio).hexdigest(),
        "file_name": "easter.mp3",
    }
    assert recording.base64()[:40] not in json.dumps(call.request_body)
    assert call.request_body["target_id"] == NEW_YORK and call.request_body["ivr_type"] == "CLOSED"
    plays = dialpad_sandbox.client.list_recordings(NEW_YORK_OFFICE).playing(IvrType.CLOSED)
    assert plays.name == "Easter closed"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (wav_bytes(0.5), "this is a WAV file; Dialpad takes MP3 recordings only"),
        (b"%PDF-1.7 not audio", "this is not an MP3 recording"),
        (b"", "the file is empty"),
        (b"\xff\xe3" * (MAX_RECORDING_BYTES // 2 + 1), "TalkAdmin sends recordings of up to 10 MB"),
    ],
)
def test_a_file_dialpad_cannot_take_is_refused_before_sending(dialpad_sandbox, content, words):
    with pytest.raises(NotSendable) as raised:
        RecordingFile.checked(content)
    assert words in raised.value.user_message
    assert raised.value.field_messages() == [("Recording", raised.value.details["file"][0])]
    assert "Nothing was sent" in raised.value.user_message


def test_an_mp3_with_an_id3_tag_is_recognised_by_its_first_frame():
    frame = demo_mp3()
    tagged = b"ID3\x04\x00\x00\x00\x00\x00\x0a" + b"T" * 10 + frame
    assert RecordingFile.checked(tagged).size == len(tagged)
    with pytest.raises(NotSendable):
        RecordingFile.checked(b"ID3\x04\x00\x00\x00\x00\x00\x0a" + b"T" * 10 + b"not audio")


@pytest.mark.parametrize(
    ("target", "name", "description", "field"),
    [
        (Target(TargetType.ROOM, 6_614_661_952_700_416), "Boardroom hold", "", "target_type"),
        (LONDON_OFFICE, "x" * 101, "", "name"),
        (LONDON_OFFICE, "  ", "", "name"),
        (LONDON_OFFICE, "Closed", "two\nlines", "description"),
        (LONDON_OFFICE, "Closed", "d" * 257, "description"),
    ],
)
def test_an_upload_the_documents_rule_out_sends_nothing(
    dialpad_sandbox, target, name, description, field
):
    with change_set() as recorded, pytest.raises(NotSendable) as raised:
        dialpad_sandbox.client.upload_recording(
            target=target,
            ivr_type=IvrType.CLOSED,
            recording=RecordingFile.checked(demo_mp3()),
            name=name,
            description=description,
        )
    assert list(raised.value.details) == [field]
    assert recorded.calls == [] and dialpad_sandbox.endpoints() == []


def test_renaming_changes_the_name_and_not_what_plays(dialpad_sandbox):
    usual = dialpad_sandbox.state.recording_named("New York closed")
    with change_set() as recorded:
        renamed = dialpad_sandbox.client.update_recording(usual["id"], name="NY closed (usual)")
    assert (renamed.name, renamed.selected) == ("NY closed (usual)", False)
    assert recorded.calls[0].request_body == {"name": "NY closed (usual)"}
    assert recorded.calls[0].path == f"/api/v2/customivrs/{usual['id']}"
    with pytest.raises(ValueError, match="nothing to change"):
        dialpad_sandbox.client.update_recording(usual["id"])
    with change_set(), pytest.raises(NotFound):
        dialpad_sandbox.client.update_recording(42, description="gone")


def test_assigning_switches_what_a_situation_plays(dialpad_sandbox):
    usual = dialpad_sandbox.state.recording_named("New York closed")
    with change_set() as recorded:
        situation = dialpad_sandbox.client.assign_recording(
            target=NEW_YORK_OFFICE, ivr_type=IvrType.CLOSED, recording_id=usual["id"]
        )
    assert situation.playing.name == "New York closed"
    assert [r.name for r in situation.recordings if not r.selected] == ["Christmas closed"]
    (call,) = recorded.calls
    assert (call.method, call.path, call.request_body) == (
        "PATCH",
        f"/api/v2/customivrs/office/{NEW_YORK}/CLOSED",
        {"ivr_id": usual["id"]},
    )


def test_a_call_centres_recording_notice_is_assigned_for_one_direction(dialpad_sandbox):
    outbound = dialpad_sandbox.state.recording_named("Recording notice (outbound)")
    with change_set() as recorded:
        situation = dialpad_sandbox.client.assign_recording(
            target=QUEUE,
            ivr_type=IvrType.AUTO_RECORDING,
            recording_id=outbound["id"],
            select_option=SelectOption.INBOUND,
        )
    assert [r.name for r in situation.selected] == ["Recording notice (outbound)"]
    assert recorded.calls[0].request_body == {"ivr_id": outbound["id"], "select_option": "inbound"}


def test_inbound_or_outbound_elsewhere_is_refused_before_sending(dialpad_sandbox):
    closed = dialpad_sandbox.state.recording_named("London closed")
    with change_set(), pytest.raises(NotSendable) as raised:
        dialpad_sandbox.client.assign_recording(
            target=LONDON_OFFICE,
            ivr_type=IvrType.CLOSED,
            recording_id=closed["id"],
            select_option=SelectOption.OUTBOUND,
        )
    assert raised.value.field_messages()[0][0] == "Inbound or outbound"
    assert dialpad_sandbox.endpoints() == []


def test_assigning_a_recording_of_another_situation_is_not_found(dialpad_sandbox):
    menu = dialpad_sandbox.state.recording_named("London main menu")
    with change_set(), pytest.raises(NotFound):
        dialpad_sandbox.client.assign_recording(
            target=LONDON_OFFICE, ivr_type=IvrType.CLOSED, recording_id=menu["id"]
        )
    assert dialpad_sandbox.state.recording_named("London closed")["plays_for"]


def test_unassigning_deletes_the_recording_and_the_default_plays(dialpad_sandbox):
    christmas = dialpad_sandbox.state.recording_named("Christmas closed")
    with change_set() as recorded:
        gone = dialpad_sandbox.client.unassign_recording(
            target=NEW_YORK_OFFICE, ivr_type=IvrType.CLOSED, recording_id=christmas["id"]
        )
    assert (gone.name, gone.selected) == ("Christmas closed", False)
    assert recorded.calls[0].method == "DELETE" and recorded.calls[0].write
    closed = dialpad_sandbox.client.list_recordings(NEW_YORK_OFFICE).situation(IvrType.CLOSED)
    assert closed.plays_default and [r.name for r in closed.recordings] == ["New York closed"]


def test_no_write_is_sent_outside_an_audit_change_set(dialpad_sandbox):
    recording_id = dialpad_sandbox.state.recording_named("London closed")["id"]
    writes = [
        lambda c: c.upload_recording(
            target=LONDON_OFFICE,
            ivr_type=IvrType.CLOSED,
            recording=RecordingFile.checked(demo_mp3()),
            name="Closed",
        ),
        lambda c: c.update_recording(recording_id, name="Closed"),
        lambda c: c.assign_recording(
            target=LONDON_OFFICE, ivr_type=IvrType.CLOSED, recording_id=recording_id
        ),
        lambda c: c.unassign_recording(
            target=LONDON_OFFICE, ivr_type=IvrType.CLOSED, recording_id=recording_id
        ),
    ]
    for write in writes:
        with pytest.raises(WriteOutsideChangeSet, match="audit change set"):
            write(dialpad_sandbox.client)
    assert dialpad_sandbox.endpoints() == []
