"""A PBX that times out or answers 5xx: reads and updates are sent again, creates, deletes and
token requests never once they may have arrived; the messages say what may have happened."""

import pytest

from core.api_calls.recording import WriteOutsideChangeSet
from tests.talk.recorder import change_set
from yeastar.errors import Unavailable
from yeastar.resources import Ivr
from yeastar.transport import Transport

NEW_IVR = Ivr.from_json(
    {
        "number": "6210", "name": "Spring sale", "prompt": "default", "prompt_repeat": 2,
        "resp_timeout": 4, "digit_timeout": 3, "dial_ext_option": "disable",
    }
)  # fmt: skip


def test_a_read_that_times_out_once_is_sent_again(yeastar_sandbox):
    yeastar_sandbox.time_out("GET", "ivr/get", times=1)
    with change_set() as recorded:
        assert yeastar_sandbox.client.get_ivr(2).name == "Sales"
    assert len(yeastar_sandbox.requests_to("GET", "ivr/get")) == 2
    assert (recorded.calls[0].status, recorded.calls[0].attempts) == (200, 2)


def test_a_read_that_keeps_failing_gives_up_with_a_plain_message(yeastar_sandbox):
    yeastar_sandbox.fail("GET", "ivr/list", status=502)
    with change_set() as recorded, pytest.raises(Unavailable) as raised:
        yeastar_sandbox.client.list_ivrs()
    assert len(yeastar_sandbox.requests_to("GET", "ivr/list")) == 4  # the first and 3 retries
    assert raised.value.user_message == (
        "The Yeastar PBX is not answering right now. Nothing was changed by this attempt; "
        "try again in a minute."
    )
    assert (recorded.calls[0].status, recorded.calls[0].attempts) == (502, 4)


def test_an_update_answered_503_is_sent_again(yeastar_sandbox):
    yeastar_sandbox.fail("POST", "ivr/update", status=503, times=1)
    with change_set():
        yeastar_sandbox.client.update_ivr(2, changes={"name": "Sales & orders"})
    assert [r.status for r in yeastar_sandbox.requests_to("POST", "ivr/update")] == [503, 200]
    assert yeastar_sandbox.state.ivrs[2]["name"] == "Sales & orders"


def test_a_create_answered_503_is_not_sent_twice(yeastar_sandbox):
    yeastar_sandbox.fail("POST", "ivr/create", status=503, times=1)
    with change_set() as recorded, pytest.raises(Unavailable) as raised:
        yeastar_sandbox.client.create_ivr(NEW_IVR)
    assert len(yeastar_sandbox.requests_to("POST", "ivr/create")) == 1
    assert not raised.value.may_have_applied and len(yeastar_sandbox.state.ivrs) == 6
    assert "Nothing was changed" in raised.value.user_message
    assert recorded.calls[0].attempts == 1 and recorded.calls[0].write is True


def test_a_create_that_times_out_is_not_resent_and_may_have_been_made(yeastar_sandbox):
    yeastar_sandbox.time_out("POST", "ivr/create", times=1, after_applying=True)
    with change_set(), pytest.raises(Unavailable) as raised:
        yeastar_sandbox.client.create_ivr(NEW_IVR)
    assert len(yeastar_sandbox.requests_to("POST", "ivr/create")) == 1
    assert raised.value.may_have_applied
    assert "may or may not have been made" in raised.value.user_message
    assert "Spring sale" in {ivr["name"] for ivr in yeastar_sandbox.state.ivrs.values()}


def test_a_delete_answered_500_is_not_resent_and_may_have_been_made(yeastar_sandbox):
    yeastar_sandbox.fail("GET", "ivr/delete", status=500, times=1, after_applying=True)
    with change_set(), pytest.raises(Unavailable) as raised:
        yeastar_sandbox.client.delete_ivr(6)
    assert len(yeastar_sandbox.requests_to("GET", "ivr/delete")) == 1
    assert raised.value.may_have_applied and 6 not in yeastar_sandbox.state.ivrs


def test_a_token_request_that_times_out_is_not_resent(yeastar_sandbox):
    yeastar_sandbox.time_out("POST", "get_token", times=1)
    with pytest.raises(Unavailable):
        yeastar_sandbox.client.list_ivrs()
    assert yeastar_sandbox.endpoints() == ["POST get_token"]
    assert len(yeastar_sandbox.client.list_ivrs()) == 6  # the next call simply tries again


def test_no_write_leaves_without_a_change_set_and_nothing_is_sent(yeastar_sandbox):
    with pytest.raises(WriteOutsideChangeSet):
        yeastar_sandbox.client.delete_ivr(6)
    with pytest.raises(WriteOutsideChangeSet):
        yeastar_sandbox.client.update_ivr(6, changes={"name": "Closed"})
    assert yeastar_sandbox.endpoints() == []


def test_an_unreachable_pbx_is_retried_then_reported_even_for_a_create():
    # Nothing listens on this port: a connection that cannot be opened carries nothing.
    transport = Transport(
        base_url="http://127.0.0.1:9",
        client_id="id",
        client_secret="secret",
        connect_timeout=0.5,
        retries=2,
        backoff_factor=0.001,
    )
    with change_set() as recorded, pytest.raises(Unavailable) as raised:
        from yeastar.transport import CallKind

        transport.call("POST", "ivr/create", kind=CallKind.CREATE, body={"name": "x"})
    assert raised.value.status is None and not raised.value.may_have_applied
    assert "could not connect" in raised.value.description
    assert recorded.calls[0].status is None
