"""The API token never shows: not in logs (at any level), error messages, records or reprs."""

import base64
import logging

import pytest

from sandbox import build_app
from talk import get_client
from talk.errors import TalkError
from talk.wsgi_transport import WsgiAdapter
from tests.talk.recorder import change_set

TOKEN = "tok-7f3c9e2a1b8d4f6a0e5c"
EMAIL = "owner@northwind.example"


@pytest.fixture
def secret_client(sandbox, settings):
    """A client whose token is a recognisable secret, against a sandbox that accepts it."""
    settings.TALK_EMAIL, settings.TALK_API_TOKEN = EMAIL, TOKEN
    app = build_app(env={"SANDBOX_EMAIL": EMAIL, "SANDBOX_API_TOKEN": TOKEN})
    client = get_client()
    client.transport.mount(WsgiAdapter(app))
    return client, app


def _leaks(text: str) -> list[str]:
    encoded = base64.b64encode(f"{EMAIL}/token:{TOKEN}".encode()).decode()
    return [secret for secret in (TOKEN, encoded) if secret in text]


def test_the_token_never_appears_in_logs_errors_or_records(secret_client, caplog, settings):
    client, app = secret_client
    caplog.set_level(logging.DEBUG)  # urllib3 and requests included
    holiday = app.state.ivr_named("Holiday closure")
    app.faults.forced = []
    errors: list[TalkError] = []
    with change_set() as recorded:
        client.list_ivrs()
        client.update_ivr(holiday["id"], name="Closed for the holidays")
        for fault in ("422", "503", "timeout"):
            from sandbox.faults import parse_forced

            app.faults.forced.append(parse_forced(f"* *={fault}"))
            try:
                client.get_ivr(holiday["id"])
            except TalkError as error:
                errors.append(error)
            app.faults.forced.clear()
    settings.TALK_API_TOKEN = "wrong-" + TOKEN  # a refused token must not be echoed either
    refused = get_client()
    refused.transport.mount(WsgiAdapter(app))
    with pytest.raises(TalkError) as auth:
        refused.list_ivrs()
    errors.append(auth.value)

    assert len(errors) == 4
    shown = [caplog.text, repr(client), repr(client.transport.session.auth)]
    for error in errors:
        shown += [str(error), repr(error), error.user_message, repr(error.__dict__)]
    for call in recorded.calls:
        shown.append(repr(call))
    assert "Talk API GET" in caplog.text  # the requests were logged...
    assert [leak for text in shown for leak in _leaks(text)] == []  # ...without the secret
