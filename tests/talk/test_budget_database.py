"""The default store under trouble: a connection dropped by the server is opened again; a
database that cannot be reached stops the call before anything reaches Zendesk, said plainly;
the budget is counted on its own connection, outside the caller's transaction."""

import socket

import pytest
from django.db import connections, transaction
from django.db.utils import load_backend

from talk.budget_database import DatabaseBudgetStore
from talk.errors import BudgetUnavailable
from talk.pacing import RateBudget
from tests.database_role import as_database_owner

pytestmark = pytest.mark.django_db

ACCOUNT = "https://budget-trouble.zendesk.com"


@pytest.fixture
def database_budget():
    budget = RateBudget(store=DatabaseBudgetStore(account=ACCOUNT), limit=100)
    budget.clear()
    yield budget
    budget.clear()
    budget.store.close()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the probe is closed


@pytest.fixture
def unreachable_database(monkeypatch):
    """The budget's connections go to a port where no database answers."""
    port = _closed_port()

    def create_connection(alias):
        settings = {**connections.settings[alias], "PORT": port, "OPTIONS": {"connect_timeout": 2}}
        return load_backend(settings["ENGINE"]).DatabaseWrapper(settings, alias)

    monkeypatch.setattr(connections, "create_connection", create_connection)


def test_a_connection_the_server_dropped_is_opened_again(database_budget):
    database_budget.acquire(max_wait=0)
    with as_database_owner() as cursor:  # e.g. PostgreSQL restarted, or an idle timeout
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    database_budget.acquire(max_wait=0)
    assert database_budget.spent_in_window() == 2


def test_the_count_is_committed_at_once_even_inside_a_transaction(database_budget):
    """Another process must see the request before it is sent, whatever the caller does."""
    other = RateBudget(store=DatabaseBudgetStore(account=ACCOUNT), limit=100)
    try:
        with transaction.atomic():
            database_budget.acquire(max_wait=0)
            assert other.spent_in_window() == 1
            transaction.set_rollback(True)
        assert other.spent_in_window() == 1  # the caller's rollback does not undo it
    finally:
        other.store.close()


def test_an_unreachable_database_stops_the_call_before_zendesk_and_says_so(
    sandbox, unreachable_database, caplog
):
    client = sandbox.client
    client.transport.budget = RateBudget(store=DatabaseBudgetStore(account=ACCOUNT), limit=100)

    with pytest.raises(BudgetUnavailable) as raised:
        client.list_ivrs()

    assert sandbox.requests == []  # never sent uncounted
    assert raised.value.user_message.startswith("TalkAdmin's own storage did not answer")
    assert "nothing was sent to Zendesk" in raised.value.user_message
    assert "could not be counted in the database" in caplog.text
    client.transport.budget.store.close()


def test_the_ivr_list_says_plainly_that_nothing_was_sent(as_viewer, sandbox, unreachable_database):
    budget = RateBudget(store=DatabaseBudgetStore(account=ACCOUNT), limit=100)
    sandbox.client.transport.budget = budget

    response = as_viewer.get("/ivrs/")

    page = response.content.decode()
    assert response.status_code == 503
    assert "nothing was sent to Zendesk" in page
    assert "Traceback" not in page
    budget.store.close()


def test_the_health_check_names_the_rate_budget_when_it_cannot_be_counted(
    client, sandbox, unreachable_database
):
    budget = RateBudget(store=DatabaseBudgetStore(account=ACCOUNT), limit=100)
    sandbox.client.transport.budget = budget

    checks = client.get("/healthz").json()["checks"]

    assert checks["talk_api"] == {"ok": False, "detail": "rate budget unavailable"}
    budget.store.close()
