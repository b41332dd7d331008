"""Dialpad's refusals and failures become typed errors on core's bases, in plain words."""

import pytest

from core.errors import (
    PhoneSystemBusy,
    PhoneSystemDown,
    PhoneSystemError,
    PhoneSystemGone,
    PhoneSystemRefused,
)
from dialpad.errors import (
    AuthError,
    Forbidden,
    Invalid,
    NotFound,
    NotOffered,
    RateLimited,
    TooLarge,
    Unavailable,
)
from sandbox.dialpad.envelope import error


def _refusal(status, message):
    return error(status, message).answer.body


def test_a_wrong_api_key_is_an_auth_error_naming_the_setting(dialpad_sandbox, settings):
    settings.DIALPAD_API_KEY = "an-old-key"
    import dialpad
    from talk.wsgi_transport import WsgiAdapter

    client = dialpad.get_client()
    client.transport.mount(WsgiAdapter(dialpad_sandbox.app))
    with pytest.raises(AuthError) as raised:
        client.list_offices()
    assert raised.value.status == 401 and isinstance(raised.value, PhoneSystemError)
    assert "DIALPAD_API_KEY" in raised.value.user_message
    assert "Nothing was changed" in raised.value.user_message
    assert len(dialpad_sandbox.requests_to("GET", "offices")) == 1  # never retried


@pytest.mark.parametrize(
    ("status", "kind", "base", "words"),
    [
        (400, Invalid, PhoneSystemRefused, "Dialpad did not accept the change: Missing name"),
        (409, Invalid, PhoneSystemRefused, "Dialpad did not accept the change: Missing name"),
        (403, Forbidden, PhoneSystemError, "does not allow it to do this"),
        (404, NotFound, PhoneSystemGone, "Dialpad no longer has this"),
        (413, TooLarge, PhoneSystemRefused, "refused the recording as too large"),
    ],
)
def test_each_refusal_has_its_kind_and_words(dialpad_sandbox, status, kind, base, words):
    dialpad_sandbox.fail("GET", "offices", status=status, body=_refusal(status, "Missing name"))
    with pytest.raises(kind) as raised:
        dialpad_sandbox.client.list_offices()
    assert isinstance(raised.value, base) and raised.value.status == status
    assert words in raised.value.user_message
    assert raised.value.message == "Missing name"
    assert "answered" in str(raised.value) and "GET /api/v2/offices" in str(raised.value)


def test_a_404_that_is_not_dialpads_json_means_the_address_is_wrong(dialpad_sandbox):
    dialpad_sandbox.fail("GET", "offices", status=404)  # plain text, as a web server sends it
    with pytest.raises(NotOffered) as raised:
        dialpad_sandbox.client.list_offices()
    assert "DIALPAD_BASE_URL" in raised.value.user_message


@pytest.mark.parametrize(
    "body", [{"message": "Quota exceeded"}, {"error": "Quota exceeded"}, "Quota exceeded\n"]
)
def test_dialpads_own_words_are_read_from_the_usual_shapes(dialpad_sandbox, body):
    dialpad_sandbox.fail("GET", "offices", status=400, body=body)
    with pytest.raises(Invalid) as raised:
        dialpad_sandbox.client.list_offices()
    assert raised.value.message == "Quota exceeded"


def test_an_answer_that_is_not_dialpads_json_is_unavailable(dialpad_sandbox):
    dialpad_sandbox.fail("GET", "offices", status=200)  # "OK" in plain text
    with pytest.raises(Unavailable) as raised:
        dialpad_sandbox.client.list_offices()
    assert isinstance(raised.value, PhoneSystemDown) and not raised.value.may_have_applied


def test_a_429_that_keeps_coming_is_busy_with_a_plain_message(dialpad_sandbox):
    dialpad_sandbox.fail("GET", "offices", status=429, body=_refusal(429, "Rate limit"))
    with pytest.raises(RateLimited) as raised:
        dialpad_sandbox.client.list_offices()
    assert isinstance(raised.value, PhoneSystemBusy) and raised.value.retryable
    assert raised.value.user_message == (
        "Dialpad is receiving too many requests from your company right now. Nothing was "
        "changed by this attempt; try again in a moment."
    )
    assert len(dialpad_sandbox.requests_to("GET", "offices")) == 4  # the first and 3 retries
