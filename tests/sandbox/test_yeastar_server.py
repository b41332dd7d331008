"""`python -m sandbox.yeastar` serves the API over real HTTP, keeps its PBX and obeys its
controls; the client works against it as against a PBX, tokens included."""

import logging
import time

import pytest

import yeastar
from sandbox.yeastar.process import start_yeastar_sandbox
from tests.talk.recorder import change_set
from yeastar.errors import AuthError, Unavailable


def test_the_client_reads_and_writes_the_served_sandbox(yeastar_server):
    client = yeastar.get_client()
    assert len(client.list_ivrs()) == 6
    with change_set():
        client.update_ivr(2, changes={"name": "Sales & orders"})
    assert client.get_ivr(2).name == "Sales & orders"
    assert [(r["method"], r["path"]) for r in yeastar_server.requests()] == [
        ("POST", "/openapi/v1.0/get_token"),
        ("GET", "/openapi/v1.0/ivr/list"),
        ("POST", "/openapi/v1.0/ivr/update"),
        ("GET", "/openapi/v1.0/ivr/get"),
    ]


def test_tokens_expired_on_the_pbx_are_renewed_without_the_caller_noticing(yeastar_server):
    client = yeastar.get_client()
    client.get_ivr(1)
    assert yeastar_server.expire_tokens() == 1
    assert client.get_ivr(1).name == "Main menu"
    paths = [r["path"].removeprefix("/openapi/v1.0/") for r in yeastar_server.requests()]
    assert paths == ["get_token", "ivr/get", "ivr/get", "refresh_token", "ivr/get"]


def test_faults_set_over_http_reach_the_client_and_timeouts_are_real(yeastar_server, settings):
    settings.YEASTAR_READ_TIMEOUT = 0.3
    client = yeastar.get_client()
    client.list_ivrs()
    yeastar_server.set_faults(
        {"forced": [{"method": "GET", "path": "*/ivr/get", "timeout": True, "hang_seconds": 1}]}
    )
    with change_set() as recorded, pytest.raises(Unavailable) as raised:
        client.get_ivr(1)
    assert "did not answer in time" in raised.value.description
    assert recorded.calls[0].attempts == 4 and recorded.calls[0].status is None
    # The sandbox logs each request once it has answered: wait for the held ones to end.
    deadline = time.monotonic() + 10
    while len(_gets(yeastar_server)) < 4 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(_gets(yeastar_server)) == 4


def _gets(server):
    return [r for r in server.requests() if r["path"].endswith("ivr/get")]


def test_urllib3_never_logs_the_token_from_the_query(yeastar_server, caplog):
    caplog.set_level(logging.DEBUG)
    client = yeastar.get_client()
    client.list_ivrs()
    yeastar_server.set_faults({"forced": [{"path": "*/ivr/get", "status": 503, "times": 1}]})
    client.get_ivr(1)
    token = client.transport.tokens.held_token()
    assert token and "access_token=********" in caplog.text  # urllib3 did log the URL
    assert token not in caplog.text


def test_other_credentials_are_refused(yeastar_server, settings):
    settings.YEASTAR_CLIENT_SECRET = "guess"
    with pytest.raises(AuthError):
        yeastar.get_client().list_ivrs()


def test_the_state_file_keeps_the_pbx_across_restarts(tmp_path, settings):
    state_file = tmp_path / "pbx.json"
    for round_number in (1, 2):
        running = start_yeastar_sandbox(state_file=state_file)
        try:
            settings.YEASTAR_BASE_URL = running.base_url
            settings.YEASTAR_CLIENT_ID = running.client_id
            settings.YEASTAR_CLIENT_SECRET = running.client_secret
            client = yeastar.get_client()
            if round_number == 1:
                with change_set():
                    client.update_ivr(6, changes={"name": "Closed for the holidays"})
            else:
                assert client.get_ivr(6).name == "Closed for the holidays"
        finally:
            running.stop()
            yeastar.reset_client()
