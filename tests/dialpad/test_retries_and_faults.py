"""Dialpad times out or answers 5xx: reads and updates are sent again; uploads and deletes never
once they may have arrived; the messages say what may have happened."""

import pytest

from dialpad.audio import RecordingFile
from dialpad.errors import Unavailable
from dialpad.resources import Target, TargetType
from dialpad.situations import IvrType
from sandbox.dialpad.demo import NEW_YORK
from tests.audio_files import demo_mp3
from tests.talk.recorder import change_set

NEW_YORK_OFFICE = Target(TargetType.OFFICE, NEW_YORK)


def _upload(client):
    return client.upload_recording(
        target=NEW_YORK_OFFICE,
        ivr_type=IvrType.CLOSED,
        recording=RecordingFile.checked(demo_mp3()),
        name="Easter closed",
    )


def _closed_names(sandbox) -> list[str]:
    return [r["name"] for r in sandbox.state.recordings_of("office", NEW_YORK, "CLOSED")]


def test_a_read_that_times_out_once_is_sent_again(dialpad_sandbox):
    dialpad_sandbox.time_out("GET", "customivrs", times=1)
    with change_set() as recorded:
        new_york = dialpad_sandbox.client.list_recordings(NEW_YORK_OFFICE)
    assert new_york.playing(IvrType.CLOSED).name == "Christmas closed"
    assert len(dialpad_sandbox.requests_to("GET", "customivrs")) == 2
    assert (recorded.calls[0].status, recorded.calls[0].attempts) == (200, 2)


def test_a_read_that_keeps_failing_gives_up_with_a_plain_message(dialpad_sandbox):
    dialpad_sandbox.fail("GET", "offices", status=502)
    with change_set() as recorded, pytest.raises(Unavailable) as raised:
        dialpad_sandbox.client.list_offices()
    assert len(dialpad_sandbox.requests_to("GET", "offices")) == 4  # the first and 3 retries
    assert raised.value.user_message == (
        "Dialpad is not answering right now. Nothing was changed by this attempt; try again "
        "in a minute."
    )
    assert (recorded.calls[0].status, recorded.calls[0].attempts) == (502, 4)
    assert recorded.calls[0].error.startswith("502: Dialpad answered 502")


def test_an_assignment_answered_503_is_sent_again(dialpad_sandbox):
    usual = dialpad_sandbox.state.recording_named("New York closed")
    dialpad_sandbox.fail("PATCH", "customivrs/office/*", status=503, times=1)
    with change_set():
        dialpad_sandbox.client.assign_recording(
            target=NEW_YORK_OFFICE, ivr_type=IvrType.CLOSED, recording_id=usual["id"]
        )
    assert [r.status for r in dialpad_sandbox.requests_to("PATCH")] == [503, 200]
    assert dialpad_sandbox.state.recordings[usual["id"]]["plays_for"]


def test_a_rename_that_times_out_is_sent_again(dialpad_sandbox):
    usual = dialpad_sandbox.state.recording_named("New York closed")
    dialpad_sandbox.time_out("PATCH", f"customivrs/{usual['id']}", times=1, after_applying=True)
    with change_set():
        dialpad_sandbox.client.update_recording(usual["id"], name="NY closed")
    assert len(dialpad_sandbox.requests_to("PATCH")) == 2
    assert dialpad_sandbox.state.recordings[usual["id"]]["name"] == "NY closed"


def test_an_upload_answered_503_is_not_sent_twice(dialpad_sandbox):
    dialpad_sandbox.fail("POST", "customivrs", status=503, times=1)
    with change_set() as recorded, pytest.raises(Unavailable) as raised:
        _upload(dialpad_sandbox.client)
    assert len(dialpad_sandbox.requests_to("POST")) == 1
    assert not raised.value.may_have_applied and "Easter closed" not in _closed_names(
        dialpad_sandbox
    )
    assert "Nothing was changed" in raised.value.user_message
    assert recorded.calls[0].attempts == 1 and recorded.calls[0].write is True


def test_an_upload_that_times_out_is_not_resent_and_may_have_been_made(dialpad_sandbox):
    dialpad_sandbox.time_out("POST", "customivrs", times=1, after_applying=True)
    with change_set() as recorded, pytest.raises(Unavailable) as raised:
        _upload(dialpad_sandbox.client)
    assert len(dialpad_sandbox.requests_to("POST")) == 1
    assert raised.value.may_have_applied
    assert "may or may not have been made" in raised.value.user_message
    assert _closed_names(dialpad_sandbox).count("Easter closed") == 1
    assert recorded.calls[0].status is None and "did not answer in time" in recorded.calls[0].error


def test_a_delete_answered_500_is_not_resent_and_may_have_been_made(dialpad_sandbox):
    christmas = dialpad_sandbox.state.recording_named("Christmas closed")
    dialpad_sandbox.fail("DELETE", "customivrs/*", status=500, times=1, after_applying=True)
    with change_set(), pytest.raises(Unavailable) as raised:
        dialpad_sandbox.client.unassign_recording(
            target=NEW_YORK_OFFICE, ivr_type=IvrType.CLOSED, recording_id=christmas["id"]
        )
    assert len(dialpad_sandbox.requests_to("DELETE")) == 1
    assert raised.value.may_have_applied and christmas["id"] not in dialpad_sandbox.state.recordings


def test_a_refused_connection_is_unavailable_and_nothing_was_changed(settings):
    import dialpad

    settings.DIALPAD_BASE_URL, settings.DIALPAD_API_KEY = "http://127.0.0.1:9", "key"
    settings.DIALPAD_RETRY_BACKOFF = 0.001
    settings.TALK_RATE_BUDGET_STORE = "cache"  # no database in this test: the budget in memory
    dialpad.reset_client()
    with change_set(), pytest.raises(Unavailable) as raised:
        _upload(dialpad.get_client())
    assert raised.value.description == "could not connect to Dialpad"
    assert not raised.value.may_have_applied
    dialpad.reset_client()
