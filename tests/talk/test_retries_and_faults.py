"""Zendesk misbehaving: timeouts, 5xx and 429 are retried where that is safe, and only there."""

import pytest

from talk.budget_stores import CacheBudgetStore
from talk.errors import RateLimited, Unavailable
from talk.pacing import RateBudget
from talk.transport import BasicTokenAuth, Transport
from tests.talk.recorder import change_set

IVRS = "/api/v2/channels/voice/ivr"


def test_a_read_that_times_out_once_is_retried_and_succeeds(sandbox):
    sandbox.time_out("GET", IVRS, times=1)
    with change_set() as recorded:
        ivrs = sandbox.client.list_ivrs()
    assert len(ivrs) == 4
    assert len(sandbox.requests_to("GET", IVRS)) == 2
    assert (recorded.calls[0].status, recorded.calls[0].attempts) == (200, 2)


def test_a_read_answered_503_is_retried_and_succeeds(sandbox):
    sandbox.fail("GET", IVRS, status=503, times=2)
    with change_set() as recorded:
        assert len(sandbox.client.list_ivrs()) == 4
    assert [r.status for r in sandbox.requests_to("GET", IVRS)] == [503, 503, 200]
    assert recorded.calls[0].attempts == 3 and recorded.calls[0].error == ""


def test_a_read_that_keeps_failing_gives_up_with_a_plain_message(sandbox):
    sandbox.fail("GET", IVRS, status=502)
    with change_set() as recorded, pytest.raises(Unavailable) as raised:
        sandbox.client.list_ivrs()
    assert len(sandbox.requests_to("GET", IVRS)) == 4  # the first try and three retries
    assert raised.value.retryable and raised.value.status == 502
    assert raised.value.user_message == (
        "Zendesk is not answering right now. Nothing was changed by this attempt; "
        "try again in a minute."
    )
    assert (recorded.calls[0].status, recorded.calls[0].attempts) == (502, 4)
    assert recorded.calls[0].error.startswith("502")


def test_an_update_answered_503_is_retried(sandbox):
    ivr = sandbox.state.ivr_named("Holiday closure")
    sandbox.fail("PUT", f"{IVRS}/*", status=503, times=1)
    with change_set():
        assert sandbox.client.update_ivr(ivr["id"], name="Holidays").name == "Holidays"
    assert [r.status for r in sandbox.requests_to("PUT")] == [503, 200]


def test_a_create_answered_503_is_not_sent_twice(sandbox):
    sandbox.fail("POST", IVRS, status=503, times=1)
    with change_set() as recorded, pytest.raises(Unavailable) as raised:
        sandbox.client.create_ivr(name="Spring campaign")
    assert len(sandbox.requests_to("POST", IVRS)) == 1
    assert len(sandbox.state.ivrs) == 4
    assert not raised.value.may_have_applied
    assert "Nothing was changed" in raised.value.user_message
    assert (recorded.calls[0].method, recorded.calls[0].attempts) == ("POST", 1)


def test_a_create_that_times_out_is_not_resent_and_may_have_been_made(sandbox):
    sandbox.time_out("POST", IVRS, times=1, after_applying=True)
    with change_set(), pytest.raises(Unavailable) as raised:
        sandbox.client.create_ivr(name="Spring campaign")
    assert len(sandbox.requests_to("POST", IVRS)) == 1
    assert raised.value.may_have_applied
    assert "may or may not have been made" in raised.value.user_message
    assert "Spring campaign" in {ivr["name"] for ivr in sandbox.state.ivrs.values()}


def test_a_create_answered_500_may_have_been_made(sandbox):
    sandbox.fail("POST", IVRS, status=500, times=1)
    with change_set(), pytest.raises(Unavailable) as raised:
        sandbox.client.create_ivr(name="Spring campaign")
    assert raised.value.may_have_applied
    assert len(sandbox.requests_to("POST", IVRS)) == 1


def test_a_429_with_retry_after_is_waited_out(sandbox):
    sandbox.fail("GET", IVRS, status=429, times=1, retry_after=1)
    with change_set() as recorded:
        assert len(sandbox.client.list_ivrs()) == 4
    assert [r.status for r in sandbox.requests_to("GET", IVRS)] == [429, 200]
    assert recorded.calls[0].attempts == 2


def test_a_create_refused_with_429_is_sent_again_because_zendesk_did_nothing(sandbox):
    sandbox.fail("POST", IVRS, status=429, times=1, retry_after=1)
    with change_set():
        created = sandbox.client.create_ivr(name="Spring campaign")
    assert created.name == "Spring campaign"
    assert [r.status for r in sandbox.requests_to("POST", IVRS)] == [429, 201]


def test_a_long_retry_after_is_not_waited_out_inside_a_page(sandbox):
    sandbox.fail("GET", IVRS, status=429, times=1, retry_after=120)
    with pytest.raises(RateLimited) as raised:
        sandbox.client.list_ivrs()
    assert raised.value.retry_after == 120
    assert "try again in 120 seconds" in raised.value.user_message
    assert len(sandbox.requests_to("GET", IVRS)) == 1
    # Every worker now knows: the next call is refused without reaching Zendesk.
    with pytest.raises(RateLimited):
        sandbox.client.list_phone_numbers()
    assert len(sandbox.requests) == 1


def test_the_sandbox_rate_limit_answers_429_like_zendesk(sandbox):
    sandbox.set_rate_limit(2, window_seconds=60)
    sandbox.client.transport.max_wait = 0.5  # shorter than any Retry-After: never waited out
    sandbox.client.list_phone_numbers()
    sandbox.client.get_ivr(sandbox.state.ivr_named("Holiday closure")["id"])
    with pytest.raises(RateLimited) as raised:
        sandbox.client.list_addresses()
    assert 0 < raised.value.retry_after <= 60
    assert sandbox.requests[-1].status == 429
    # Zendesk's 429 is text/plain: read as the description, never as a broken JSON answer.
    assert raised.value.description == "Number of allowed API requests per minute exceeded"
    assert raised.value.status == 429
    assert "try again in" in raised.value.user_message
    assert "Number of allowed" not in raised.value.user_message  # plain words for the admin


def test_an_unreachable_zendesk_is_retried_then_reported_even_for_a_create():
    # Nothing listens on this port: a connection that cannot be opened carries no request,
    # so even a POST may be retried.
    transport = Transport(
        base_url="http://127.0.0.1:9",
        auth=BasicTokenAuth("admin@example.com", "token"),
        budget=RateBudget(
            store=CacheBudgetStore(cache=_cache(), account="unreachable", keep_seconds=60),
            limit=1000,
        ),
        connect_timeout=0.5,
        retries=2,
        backoff_factor=0.001,
    )
    with change_set() as recorded, pytest.raises(Unavailable) as raised:
        transport.request("POST", IVRS, body={"ivr": {"name": "x"}})
    assert raised.value.status is None and not raised.value.may_have_applied
    assert "could not connect" in raised.value.description
    assert (recorded.calls[0].status, recorded.calls[0].attempts) == (None, 3)


def _cache():
    from django.core.cache import cache

    return cache
