"""Dialpad's limit (20 requests a second per company): TalkAdmin spends only its share, across
workers, and a 429 is waited out (safe even for an upload), or reported when the wait is long."""

import threading

import pytest

import dialpad
from dialpad.audio import RecordingFile
from dialpad.config import client_from_settings
from dialpad.errors import RateLimited
from dialpad.pacing import shared_budget
from dialpad.resources import Target, TargetType
from dialpad.situations import IvrType
from sandbox.dialpad.demo import NEW_YORK
from talk.wsgi_transport import WsgiAdapter
from tests.audio_files import demo_mp3
from tests.talk.recorder import change_set


def _most_in_any_window(moments: list[float], window: float) -> int:
    moments = sorted(moments)
    return max(
        sum(1 for later in moments[i:] if later - moment < window)
        for i, moment in enumerate(moments)
    )


def test_a_429_without_retry_after_holds_every_worker_back_a_second_then_retries(
    dialpad_sandbox,
):
    dialpad_sandbox.fail("GET", "offices", status=429, times=1)
    assert [o.name for o in dialpad_sandbox.client.list_offices()] == ["London", "New York"]
    assert [r.status for r in dialpad_sandbox.requests_to("GET", "offices")] == [429, 200]
    assert dialpad_sandbox.budget.blocked == [1.0]  # Dialpad's window: one second


def test_a_retry_after_is_honoured_when_dialpad_sends_one(dialpad_sandbox):
    dialpad_sandbox.fail("GET", "offices", status=429, times=1, retry_after=0)
    dialpad_sandbox.client.list_offices()
    assert dialpad_sandbox.budget.blocked == [0.0]


def test_a_pause_longer_than_a_page_waits_is_reported_not_waited(dialpad_sandbox):
    dialpad_sandbox.fail("GET", "offices", status=429, retry_after=60)
    with pytest.raises(RateLimited) as raised:
        dialpad_sandbox.client.list_offices()
    assert len(dialpad_sandbox.requests_to("GET", "offices")) == 1
    assert raised.value.retry_after == 60
    assert "try again in 60 seconds" in raised.value.user_message
    assert dialpad_sandbox.budget.blocked == [60.0]  # the other workers hold back too


def test_an_upload_refused_with_429_is_sent_again_and_made_once(dialpad_sandbox):
    dialpad_sandbox.fail("POST", "customivrs", status=429, times=1)
    with change_set() as recorded:
        made = dialpad_sandbox.client.upload_recording(
            target=Target(TargetType.OFFICE, NEW_YORK),
            ivr_type=IvrType.CLOSED,
            recording=RecordingFile.checked(demo_mp3()),
            name="Easter closed",
        )
    assert [r.status for r in dialpad_sandbox.requests_to("POST")] == [429, 200]
    names = [r["name"] for r in dialpad_sandbox.state.recordings.values()]
    assert names.count("Easter closed") == 1 and made.selected
    assert recorded.calls[0].attempts == 2


def test_two_workers_together_stay_within_talkadmins_share_of_the_second(dialpad_sandbox):
    """Two clients (two workers) on the one shared budget never send more than `limit` in any
    second, so the sandbox, limited to the same, never answers 429."""
    limit = 4
    dialpad_sandbox.app.faults.rate_limit_per_minute = limit  # per second, as Dialpad counts
    workers = [dialpad_sandbox.client]
    second = client_from_settings()
    second.transport.mount(WsgiAdapter(dialpad_sandbox.app))
    workers.append(second)
    dialpad_sandbox.paced(limit=limit)
    # Its own budget object, as another worker process builds: they share the cache's counts.
    second.transport.budget = shared_budget(limit=limit, namespace="dialpad:test")
    assert second.transport.budget is not dialpad_sandbox.client.transport.budget
    second.transport.max_wait = 30
    errors: list[Exception] = []

    def spend(client):
        try:
            for _ in range(limit):
                client.get_office(NEW_YORK)
        except Exception as error:  # reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=spend, args=(client,)) for client in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    received = dialpad_sandbox.requests_to("GET", "offices/*")
    assert [r.status for r in received] == [200] * (2 * limit)
    assert _most_in_any_window([r.at for r in received], 1.0) <= limit


def test_when_the_share_is_spent_a_call_is_not_sent(dialpad_sandbox):
    dialpad_sandbox.paced(limit=2, max_wait=0)
    dialpad_sandbox.client.get_office(NEW_YORK)
    dialpad_sandbox.client.get_office(NEW_YORK)
    with pytest.raises(RateLimited) as raised:
        dialpad_sandbox.client.get_office(NEW_YORK)
    assert "the request was not sent" in raised.value.description
    assert len(dialpad_sandbox.requests_to("GET")) == 2
    assert 0 < raised.value.retry_after <= 1.2
    dialpad.reset_client()
