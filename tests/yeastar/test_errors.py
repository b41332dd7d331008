"""Errors a Yeastar PBX reports inside an HTTP 200 answer (errcode), and those of its web
server, become typed errors with plain-language messages; nothing is taken for a success."""

import pytest

from tests.talk.recorder import change_set
from yeastar.errors import AuthError, Invalid, NotFound, NotOffered, RateLimited, YeastarError
from yeastar.resources import Ivr


def _ivr(**fields):
    base = {
        "number": "6210", "name": "Spring sale", "prompt": "default", "prompt_repeat": 2,
        "resp_timeout": 4, "digit_timeout": 3, "dial_ext_option": "disable",
    }  # fmt: skip
    return Ivr.from_json({**base, **fields})


def test_invalid_fields_come_back_with_each_field_named_in_words(yeastar_sandbox):
    with change_set() as recorded, pytest.raises(Invalid) as raised:
        yeastar_sandbox.client.create_ivr(
            _ivr(prompt_repeat=9, press1_dest="extension", press1_dest_value="999")
        )
    error = raised.value
    assert (error.status, error.errcode, error.errmsg) == (200, 40002, "PARAMETER ERROR")
    assert error.field_messages() == [
        ("Times the prompt plays", "is not a valid value"),
        ("Key 1", "is not a valid value"),
    ]
    assert error.user_message == (
        "The Yeastar PBX did not accept the change: Times the prompt plays: is not a valid "
        "value; Key 1: is not a valid value. Nothing was changed by this attempt."
    )
    assert len(yeastar_sandbox.state.ivrs) == 6
    (call,) = recorded.calls
    assert call.status == 200 and call.error.startswith("200 errcode 40002 PARAMETER ERROR")


def test_a_number_in_use_is_named_as_such(yeastar_sandbox):
    with change_set(), pytest.raises(Invalid) as raised:
        yeastar_sandbox.client.create_ivr(_ivr(number="6200"))
    assert raised.value.field_messages() == [
        ("Number", "is already used by something else on the PBX (6200)")
    ]


@pytest.mark.parametrize("operation", ["get", "update", "delete"])
def test_an_ivr_that_is_gone_is_not_found(yeastar_sandbox, operation):
    client = yeastar_sandbox.client
    with change_set(), pytest.raises(NotFound) as raised:
        if operation == "get":
            client.get_ivr(99)
        elif operation == "update":
            client.update_ivr(99, changes={"name": "Ghost"})
        else:
            client.delete_ivr(99)
    assert "no longer has this" in raised.value.user_message


def test_an_unknown_errcode_with_http_200_is_an_error_not_a_success(yeastar_sandbox):
    yeastar_sandbox.fail("GET", "ivr/get", body={"errcode": 50001, "errmsg": "SYSTEM BUSY"})
    with pytest.raises(YeastarError) as raised:
        yeastar_sandbox.client.get_ivr(1)
    assert type(raised.value) is YeastarError
    assert (raised.value.errcode, raised.value.status) == (50001, 200)
    assert raised.value.user_message == (
        "The Yeastar PBX refused this request (System busy). Nothing was changed. If it "
        "happens again, tell whoever runs TalkAdmin."
    )


@pytest.mark.parametrize(
    ("status", "error_type", "words"),
    [
        (401, AuthError, "did not accept TalkAdmin's credentials"),
        (404, NotOffered, "does not offer its API"),
        (429, RateLimited, "too many requests right now"),
    ],
)
def test_statuses_from_the_web_server_are_typed_too(yeastar_sandbox, status, error_type, words):
    yeastar_sandbox.fail("GET", "ivr/list", status=status)
    with pytest.raises(error_type) as raised:
        yeastar_sandbox.client.list_ivrs()
    assert raised.value.status == status
    assert words in raised.value.user_message


def test_an_answer_that_is_not_the_pbx_json_is_unavailable(yeastar_sandbox):
    from yeastar.errors import Unavailable

    yeastar_sandbox.fail("GET", "ivr/list", body=["a", "login", "page"])
    with pytest.raises(Unavailable) as raised:
        yeastar_sandbox.client.list_ivrs()
    assert "not its API's JSON" in raised.value.description
    assert "not answering right now" in raised.value.user_message
