"""The client gets its token from the client id and secret, keeps one, and renews it: before it
expires with the refresh token, at once when the PBX calls it expired, from the credentials
when the refresh token is refused too."""

import pytest

from tests.talk.recorder import change_set
from yeastar.errors import AuthError


def test_the_first_call_gets_a_token_and_later_calls_reuse_it(yeastar_sandbox):
    client = yeastar_sandbox.client
    client.list_ivrs()
    client.get_ivr(5)
    assert yeastar_sandbox.endpoints() == ["POST get_token", "GET ivr/list", "GET ivr/get"]
    sent = yeastar_sandbox.requests_to("GET", "ivr/*")
    assert all(r.query["access_token"] == "********" for r in sent)  # sent, and masked in the log
    assert yeastar_sandbox.app.tokens.valid_count() == 1


def test_a_token_near_its_expiry_is_renewed_with_the_refresh_token(yeastar_sandbox):
    client = yeastar_sandbox.client
    client.get_ivr(1)
    yeastar_sandbox.client_clock.advance(1800 - 60)  # renewed a minute before the PBX drops it
    yeastar_sandbox.pbx_clock.advance(1800 - 60)
    client.get_ivr(1)
    assert yeastar_sandbox.endpoints() == [
        "POST get_token", "GET ivr/get", "POST refresh_token", "GET ivr/get",
    ]  # fmt: skip
    assert yeastar_sandbox.app.tokens.valid_count() == 1


def test_a_token_the_pbx_calls_expired_is_renewed_and_the_call_sent_once_more(yeastar_sandbox):
    client = yeastar_sandbox.client
    client.get_ivr(1)
    yeastar_sandbox.app.tokens.expire_access_tokens()  # e.g. the PBX restarted
    with change_set() as recorded:
        ivr = client.get_ivr(2)
    assert ivr.name == "Sales"
    assert yeastar_sandbox.endpoints()[1:] == [
        "GET ivr/get", "GET ivr/get", "POST refresh_token", "GET ivr/get",
    ]  # fmt: skip
    assert [r.status for r in yeastar_sandbox.requests_to("GET", "ivr/get")] == [200] * 3
    (call,) = recorded.calls
    assert (call.attempts, call.error, call.response_body["data"]["name"]) == (2, "", "Sales")


def test_a_write_refused_for_its_token_is_sent_again_because_the_pbx_did_nothing(yeastar_sandbox):
    yeastar_sandbox.client.get_ivr(3)
    yeastar_sandbox.app.tokens.expire_access_tokens()
    with change_set():
        yeastar_sandbox.client.update_ivr(3, changes={"name": "Support"})
    assert yeastar_sandbox.state.ivrs[3]["name"] == "Support"
    assert len(yeastar_sandbox.requests_to("POST", "ivr/update")) == 2


def test_when_the_refresh_token_has_expired_too_the_credentials_get_a_new_one(yeastar_sandbox):
    client = yeastar_sandbox.client
    client.list_ivrs()
    yeastar_sandbox.pbx_clock.advance(86400)
    yeastar_sandbox.client_clock.advance(1800)
    client.list_ivrs()
    assert yeastar_sandbox.endpoints() == [
        "POST get_token", "GET ivr/list", "POST refresh_token", "POST get_token", "GET ivr/list",
    ]  # fmt: skip


def test_a_pbx_that_keeps_refusing_the_token_is_reported_after_one_resend(yeastar_sandbox):
    yeastar_sandbox.fail("GET", "ivr/list", body={"errcode": 10004, "errmsg": "TOKEN EXPIRED"})
    with pytest.raises(AuthError) as raised:
        yeastar_sandbox.client.list_ivrs()
    assert len(yeastar_sandbox.requests_to("GET", "ivr/list")) == 2
    assert raised.value.errcode == 10004 and raised.value.status == 200
    assert "YEASTAR_CLIENT_ID and YEASTAR_CLIENT_SECRET" in raised.value.user_message


def test_wrong_credentials_are_refused_before_any_api_call(yeastar_sandbox, settings):
    settings.YEASTAR_CLIENT_SECRET = "not-the-secret"
    import yeastar
    from talk.wsgi_transport import WsgiAdapter

    client = yeastar.get_client()
    client.transport.mount(WsgiAdapter(yeastar_sandbox.app))
    with pytest.raises(AuthError) as raised:
        client.list_ivrs()
    assert yeastar_sandbox.endpoints() == ["POST get_token"]
    assert raised.value.errcode == -1
    assert raised.value.details == {"username or password": ["is not accepted"]}
    assert raised.value.user_message.endswith("Nothing was changed.")


def test_a_stopping_process_gives_its_token_back(yeastar_sandbox):
    yeastar_sandbox.client.list_ivrs()
    assert yeastar_sandbox.app.tokens.valid_count() == 1
    yeastar_sandbox.client.transport.revoke_token()
    assert yeastar_sandbox.app.tokens.valid_count() == 0
    assert yeastar_sandbox.endpoints()[-1] == "GET del_token"
    yeastar_sandbox.client.list_ivrs()  # and a later call simply gets a new one
    assert yeastar_sandbox.endpoints()[-2:] == ["POST get_token", "GET ivr/list"]
