"""The client against the Dialpad sandbox served as its own process: real HTTP, real sockets,
real timeouts."""

import time

import pytest

import dialpad
from dialpad.audio import RecordingFile
from dialpad.errors import Unavailable
from dialpad.resources import Target, TargetType
from dialpad.situations import IvrType
from sandbox.dialpad.demo import NEW_YORK
from tests.audio_files import demo_mp3
from tests.talk.recorder import change_set

NEW_YORK_OFFICE = Target(TargetType.OFFICE, NEW_YORK)


def _received(server, method: str, path: str, *, at_least: int) -> list[dict]:
    """The requests the sandbox logged; a hung request is logged once its hang ends."""
    deadline = time.monotonic() + 10
    while True:
        found = [r for r in server.requests() if (r["method"], r["path"]) == (method, path)]
        if len(found) >= at_least or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def test_upload_assign_and_unassign_over_http(dialpad_server):
    client = dialpad.get_client()
    assert [o.name for o in client.list_offices()] == ["London", "New York"]
    with change_set() as recorded:
        made = client.upload_recording(
            target=NEW_YORK_OFFICE,
            ivr_type=IvrType.CLOSED,
            recording=RecordingFile.checked(demo_mp3()),
            name="Easter closed",
        )
        usual = next(
            r
            for r in client.list_recordings(NEW_YORK_OFFICE).situation(IvrType.CLOSED).recordings
            if r.name == "New York closed"
        )
        client.assign_recording(
            target=NEW_YORK_OFFICE, ivr_type=IvrType.CLOSED, recording_id=usual.id
        )
        client.unassign_recording(
            target=NEW_YORK_OFFICE, ivr_type=IvrType.CLOSED, recording_id=made.id
        )
    closed = client.list_recordings(NEW_YORK_OFFICE).situation(IvrType.CLOSED)
    assert closed.playing.name == "New York closed"
    assert [r.name for r in closed.recordings] == ["New York closed", "Christmas closed"]
    assert [c.method for c in recorded.calls] == ["POST", "GET", "PATCH", "DELETE"]
    assert [r["method"] for r in dialpad_server.requests()][-3:] == ["PATCH", "DELETE", "GET"]


def test_a_read_that_hangs_times_out_and_is_sent_again(dialpad_server, settings):
    settings.DIALPAD_READ_TIMEOUT = 0.5
    dialpad.reset_client()
    dialpad_server.set_faults(
        {"forced": [{"path": "/api/v2/offices", "timeout": True, "hang_seconds": 2, "times": 1}]}
    )
    assert len(dialpad.get_client().list_offices()) == 2
    assert len(_received(dialpad_server, "GET", "/api/v2/offices", at_least=2)) == 2


def test_an_upload_that_hangs_is_not_sent_again(dialpad_server, settings):
    settings.DIALPAD_READ_TIMEOUT = 0.5
    dialpad.reset_client()
    dialpad_server.set_faults(
        {"forced": [{"method": "POST", "path": "/api/v2/customivrs", "timeout": True,
                     "hang_seconds": 2}]}
    )  # fmt: skip
    with change_set(), pytest.raises(Unavailable) as raised:
        dialpad.get_client().upload_recording(
            target=NEW_YORK_OFFICE,
            ivr_type=IvrType.CLOSED,
            recording=RecordingFile.checked(demo_mp3()),
            name="Easter closed",
        )
    assert raised.value.may_have_applied
    # The client has given up: any resend would be in the log beside the hung one.
    assert len(_received(dialpad_server, "POST", "/api/v2/customivrs", at_least=1)) == 1
