"""The API key never shows: not in logs (at any level, urllib3's included), errors, audit
records, reprs or the sandbox's request log; it travels only in the Authorization header."""

import json
import logging

import pytest

import dialpad
from dialpad.audio import RecordingFile
from dialpad.errors import DialpadError
from dialpad.resources import Target, TargetType
from dialpad.situations import IvrType
from sandbox.dialpad import build_app
from sandbox.dialpad.demo import LONDON
from talk.wsgi_transport import WsgiAdapter
from tests.audio_files import demo_mp3
from tests.talk.recorder import change_set

KEY = "dpk_9Zc4ZLcXl63S9EtMnYoHUnjbVo6sA8CbQ7x2u"


@pytest.fixture
def keyed(dialpad_sandbox, settings):
    settings.DIALPAD_API_KEY = KEY
    app = build_app(env={"DIALPAD_SANDBOX_API_KEY": KEY})
    client = dialpad.get_client()
    client.transport.mount(WsgiAdapter(app))
    client.transport.budget = dialpad_sandbox.budget
    return client, app


def test_the_key_never_appears_in_logs_errors_records_or_reprs(keyed, caplog):
    client, app = keyed
    caplog.set_level(logging.DEBUG)
    errors: list[DialpadError] = []
    london = Target(TargetType.OFFICE, LONDON)
    with change_set() as recorded:
        client.list_recordings(london)
        client.upload_recording(
            target=london,
            ivr_type=IvrType.CLOSED,
            recording=RecordingFile.checked(demo_mp3()),
            name="Closed",
        )
        for status in (400, 503):
            from sandbox.faults import ForcedAnswer

            app.faults.forced.append(ForcedAnswer(path="/api/v2/offices", status=status))
            try:
                client.list_offices()
            except DialpadError as error:
                errors.append(error)
            app.faults.forced.clear()
    assert len(errors) == 2
    shown = [caplog.text, repr(client), repr(client.transport), repr(app.requests)]
    shown += [str(e) for e in errors] + [e.user_message for e in errors]
    shown += [repr(recorded.calls), json.dumps([c.request_body for c in recorded.calls])]
    for text in shown:
        assert KEY not in text
    assert all("apikey" not in call.path for call in recorded.calls)
    sent = [r for r in app.requests if r.query]
    assert all("apikey" not in r.query for r in sent)


def test_a_refused_key_is_not_echoed(keyed, settings, caplog):
    _, app = keyed
    settings.DIALPAD_API_KEY = "wrong-" + KEY
    client = dialpad.get_client()
    client.transport.mount(WsgiAdapter(app))
    caplog.set_level(logging.DEBUG)
    with pytest.raises(DialpadError) as raised:
        client.list_offices()
    for text in (caplog.text, str(raised.value), raised.value.user_message, repr(app.requests)):
        assert KEY not in text


def test_the_audit_log_masks_the_key_wherever_a_text_would_carry_it(settings):
    from audit.masking import MASK, configured_secrets, mask_secrets

    settings.DIALPAD_API_KEY = KEY
    assert KEY in configured_secrets()
    echoed = {"error": f"Dialpad said: key {KEY} is not valid", "api_key": "short"}
    assert mask_secrets(echoed) == {
        "error": f"Dialpad said: key {MASK} is not valid",
        "api_key": MASK,
    }
