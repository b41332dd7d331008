"""The client secret and the access tokens never show: not in logs (at any level, urllib3's
included), error messages, records, reprs or the sandbox's request log."""

import logging

import pytest

import yeastar
from sandbox.yeastar import build_app
from talk.wsgi_transport import WsgiAdapter
from tests.talk.recorder import change_set
from yeastar.errors import YeastarError

SECRET = "ZLcXl63S9EtMnYoHUnjbVo6sA8CbQ7x2"
CLIENT_ID = "UEnH9Dmv6uBJEXsYcag1trNfQThYk4m1"


@pytest.fixture
def secret_pbx(yeastar_sandbox, settings):
    settings.YEASTAR_CLIENT_ID, settings.YEASTAR_CLIENT_SECRET = CLIENT_ID, SECRET
    app = build_app(
        env={"YEASTAR_SANDBOX_CLIENT_ID": CLIENT_ID, "YEASTAR_SANDBOX_CLIENT_SECRET": SECRET}
    )
    client = yeastar.get_client()
    client.transport.mount(WsgiAdapter(app))
    return client, app


def _tokens(app) -> list[str]:
    return [t for pair in app.tokens._pairs for t in (pair.access_token, pair.refresh_token)]


def test_secrets_never_appear_in_logs_errors_records_or_reprs(secret_pbx, caplog):
    client, app = secret_pbx
    caplog.set_level(logging.DEBUG)
    errors: list[YeastarError] = []
    seen_tokens: list[str] = []
    with change_set() as recorded:
        client.get_ivr(5)
        seen_tokens += _tokens(app)
        app.tokens.expire_access_tokens()
        client.update_ivr(3, changes={"name": "Support"})  # renews the token on the way
        seen_tokens += _tokens(app)
        for body in ({"errcode": 40002, "errmsg": "PARAMETER ERROR"}, None):
            from sandbox.faults import ForcedAnswer

            app.faults.forced.append(
                ForcedAnswer(path="/openapi/v1.0/ivr/get", status=200 if body else 503, body=body)
            )
            try:
                client.get_ivr(3)
            except YeastarError as error:
                errors.append(error)
            app.faults.forced.clear()
    assert len(errors) == 2 and len(set(seen_tokens)) == 4
    shown = [caplog.text, repr(client), repr(client.transport), repr(app.requests)]
    shown += [str(e) for e in errors] + [e.user_message for e in errors] + [repr(recorded.calls)]
    for text in shown:
        for secret in [SECRET, *seen_tokens]:
            assert secret not in text
    assert CLIENT_ID not in repr(recorded.calls)  # the credentials call is never recorded


def test_a_refused_secret_is_not_echoed(secret_pbx, settings, caplog):
    _, app = secret_pbx
    settings.YEASTAR_CLIENT_SECRET = "wrong-" + SECRET
    client = yeastar.get_client()
    client.transport.mount(WsgiAdapter(app))
    caplog.set_level(logging.DEBUG)
    with pytest.raises(YeastarError) as raised:
        client.list_ivrs()
    for text in (caplog.text, str(raised.value), raised.value.user_message, repr(app.requests)):
        assert SECRET not in text
