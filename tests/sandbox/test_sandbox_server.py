"""`python -m sandbox` serves the API over real HTTP, keeps its state and obeys its controls."""

import os

import pytest

from sandbox.process import start_sandbox
from talk.errors import AuthError, Unavailable
from tests.talk.recorder import change_set

# The client as configured by default: its rate budget in the database.
pytestmark = pytest.mark.django_db


@pytest.fixture
def served(settings, sandbox_server):
    settings.TALK_BASE_URL = sandbox_server.base_url
    settings.TALK_EMAIL = sandbox_server.email
    settings.TALK_API_TOKEN = sandbox_server.api_token
    settings.TALK_RETRY_BACKOFF = 0.001
    from talk import get_client

    client = get_client()
    client.transport.budget.clear()  # the budget's rows are committed: none from other tests
    yield client, sandbox_server
    client.transport.budget.clear()


def test_the_client_reads_and_writes_the_served_sandbox(served):
    client, server = served
    assert len(client.list_ivrs()) == 4
    with change_set():
        created = client.create_ivr(name="Served")
    assert client.get_ivr(created.id).name == "Served"
    assert [r["method"] for r in server.requests()] == ["GET", "POST", "GET"]


def test_faults_set_over_http_reach_the_client(served):
    client, server = served
    server.set_faults({"forced": [{"method": "GET", "path": "*/ivr", "status": 503}]})
    with pytest.raises(Unavailable):
        client.list_ivrs()
    assert len(server.requests()) == 4  # the first try and three retries


@pytest.mark.parametrize(
    "lost",
    [
        {"status": 500},
        {"status": None, "timeout": True, "hang_seconds": 3},  # past the 1 s read timeout
        {"status": None, "drop": True},
    ],
    ids=["500", "timeout", "drop"],
)
def test_a_create_applied_with_its_answer_lost_reaches_the_client_as_maybe_made(
    served, settings, lost
):
    client, server = served
    settings.TALK_READ_TIMEOUT = 1.0
    from talk import get_client, reset_client

    reset_client()
    client = get_client()
    rule = {"method": "POST", "path": "*/ivr", "after_applying": True, "times": 1, **lost}
    server.set_faults({"forced": [rule]})

    with change_set() as recorded, pytest.raises(Unavailable) as lost_answer:
        client.create_ivr(name="Answer lost")

    assert lost_answer.value.may_have_applied
    assert lost_answer.value.user_message.startswith("Zendesk did not confirm the change")
    assert [call.attempts for call in recorded.calls] == [1]  # a create is never sent twice
    assert [ivr.name for ivr in client.list_ivrs()].count("Answer lost") == 1


def test_the_applied_answer_lost_fault_can_be_set_when_the_sandbox_starts(settings):
    from sandbox.process import start_sandbox as start

    running = start(env={**os.environ, "SANDBOX_FORCE": "POST */ivr=applied-dropx1"})
    try:
        settings.TALK_BASE_URL = running.base_url
        settings.TALK_EMAIL, settings.TALK_API_TOKEN = running.email, running.api_token
        settings.TALK_RETRY_BACKOFF = 0.001
        from talk import get_client, reset_client

        reset_client()
        with change_set(), pytest.raises(Unavailable) as lost_answer:
            get_client().create_ivr(name="Made, unanswered")
        assert lost_answer.value.may_have_applied
        assert "Made, unanswered" in {ivr.name for ivr in get_client().list_ivrs()}
        assert [r["status"] for r in running.requests() if r["method"] == "POST"] == [0]
    finally:
        running.stop()


def test_other_credentials_are_refused(served, settings):
    settings.TALK_API_TOKEN = "guess"
    from talk import get_client

    with pytest.raises(AuthError):
        get_client().list_ivrs()


def test_the_state_file_keeps_the_account_across_restarts(tmp_path, settings):
    state_file = tmp_path / "sandbox.json"
    first = start_sandbox(state_file=state_file)
    try:
        settings.TALK_BASE_URL = first.base_url
        settings.TALK_EMAIL, settings.TALK_API_TOKEN = first.email, first.api_token
        from talk import get_client

        with change_set():
            get_client().create_ivr(name="Survives restarts")
    finally:
        first.stop()
    second = start_sandbox(state_file=state_file)
    try:
        settings.TALK_BASE_URL = second.base_url
        assert "Survives restarts" in {ivr.name for ivr in get_client().list_ivrs()}
    finally:
        second.stop()
