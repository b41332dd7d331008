"""The Dialpad sandbox as its own process: python -m sandbox.dialpad serves the API over real
HTTP, keeps its company in the --state file across restarts, and its controls work."""

import base64
import json
import urllib.error
import urllib.request

from sandbox.dialpad.demo import NEW_YORK
from sandbox.dialpad.process import start_dialpad_sandbox
from tests.audio_files import demo_mp3


def _api(running, method, path, body=None, key=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{running.base_url}/api/v2/{path}", data=data, method=method)
    request.add_header("Content-Type", "application/json")
    request.add_header("Authorization", f"Bearer {key or running.api_key}")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as refused:
        content = refused.read()
        try:
            return refused.code, json.loads(content or b"null")
        except ValueError:
            return refused.code, content.decode()


def test_an_upload_survives_a_restart_and_no_save_keeps_the_file_as_it_was(tmp_path):
    state_file = tmp_path / "dialpad.json"
    running = start_dialpad_sandbox(state_file=state_file)
    try:
        assert running.control("GET", "/sandbox/health") == {"status": "ok"}
        assert _api(running, "GET", "offices", key="wrong")[0] == 401
        body = {
            "file": base64.b64encode(demo_mp3()).decode(),
            "ivr_type": "CLOSED",
            "target_type": "office",
            "target_id": NEW_YORK,
            "name": "Easter closed",
        }
        status, made = _api(running, "POST", "customivrs", body)
        assert (status, made["selected"]) == (200, True)
    finally:
        running.stop()
    assert "Easter closed" in state_file.read_text()
    saved = state_file.read_text()
    again = start_dialpad_sandbox(state_file=state_file, save=False)
    try:
        path = f"customivrs?target_type=office&target_id={NEW_YORK}"
        items = {i["ivr_type"]: i["ivrs"] for i in _api(again, "GET", path)[1]["items"]}
        assert [r["name"] for r in items["CLOSED"] if r["selected"]] == ["Easter closed"]
        usual = next(r for r in items["CLOSED"] if r["name"] == "New York closed")
        path = f"customivrs/office/{NEW_YORK}/CLOSED"
        assigned = _api(again, "PATCH", path, {"ivr_id": usual["id"]})
        assert assigned[0] == 200
    finally:
        again.stop()
    assert state_file.read_text() == saved


def test_faults_reset_and_the_request_log_over_http(dialpad_server):
    dialpad_server.set_faults(
        {"forced": [{"method": "GET", "path": "/api/v2/offices", "status": 503, "times": 1}]}
    )
    assert _api(dialpad_server, "GET", "offices")[0] == 503
    assert _api(dialpad_server, "GET", "offices")[0] == 200
    assert [r["status"] for r in dialpad_server.requests()] == [503, 200]
    dialpad_server.reset()
    assert dialpad_server.requests() == []
    assert dialpad_server.control("GET", "/sandbox/faults")["forced"] == []
