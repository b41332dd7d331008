"""Dialpad is shown only when configured, refuses settings that could leak the key, and paces
its calls with the shared budget the project lends it."""

import pytest
from django.core.cache import cache

import dialpad
from dialpad.config import client_from_settings
from dialpad.errors import NotConfigured
from dialpad.pacing import BudgetExhausted
from talk.budget_database import DatabaseBudgetStore
from talk.pacing import RateBudget
from talkadmin.rate_budgets import LentBudget


def test_without_a_base_url_dialpad_is_not_configured_and_says_nothing(settings):
    settings.DIALPAD_BASE_URL = ""
    dialpad.reset_client()
    assert not dialpad.is_configured()
    assert dialpad.configuration_problem() == ""
    with pytest.raises(NotConfigured) as raised:
        dialpad.get_client()
    assert "DIALPAD_BASE_URL" in raised.value.user_message


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://dialpad.com", "must use https"),
        ("https://dialpad.com/api/v2", "without a path"),
        ("https://me:secret@dialpad.com", "must not contain a user name"),
        ("dialpad.com", "full address"),
    ],
)
def test_a_base_url_that_could_leak_the_key_is_refused(settings, url, words):
    settings.DIALPAD_BASE_URL, settings.DIALPAD_API_KEY = url, "key"
    assert dialpad.is_configured()
    assert words in dialpad.configuration_problem()


@pytest.mark.parametrize(
    ("key", "limit", "words"),
    [
        ("", 10, "DIALPAD_API_KEY (a company admin makes one"),
        ("two words", 10, "contains spaces"),
        ("key", 0, "DIALPAD_RATE_LIMIT_PER_SECOND to a number from 1 to 20"),
        ("key", 21, "DIALPAD_RATE_LIMIT_PER_SECOND to a number from 1 to 20"),
    ],
)
def test_a_missing_key_or_an_impossible_limit_is_named(settings, key, limit, words):
    settings.DIALPAD_BASE_URL = "https://dialpad.com"
    settings.DIALPAD_API_KEY, settings.DIALPAD_RATE_LIMIT_PER_SECOND = key, limit
    assert words in dialpad.configuration_problem()
    with pytest.raises(NotConfigured):
        client_from_settings()


def test_plain_http_is_allowed_for_a_sandbox_on_this_machine(settings):
    settings.DIALPAD_BASE_URL, settings.DIALPAD_API_KEY = "http://127.0.0.1:8767", "key"
    assert dialpad.configuration_problem() == ""
    assert dialpad.get_client().base_url == "http://127.0.0.1:8767"


@pytest.mark.django_db(transaction=True)
def test_the_client_spends_from_the_shared_budget_at_the_configured_rate(settings):
    settings.DIALPAD_BASE_URL, settings.DIALPAD_API_KEY = "https://dialpad.com", "key"
    settings.DIALPAD_RATE_LIMIT_PER_SECOND = 3
    cache.clear()
    dialpad.reset_client()
    budget = dialpad.get_client().transport.budget
    assert isinstance(budget, LentBudget) and isinstance(budget.budget, RateBudget)
    assert (budget.budget.limit, budget.budget.window_seconds) == (3, 1.0)
    # Kept where Zendesk's budget is (the database by default): shared by every process.
    assert isinstance(budget.budget.store, DatabaseBudgetStore)
    assert budget.budget.store.account.startswith("dialpad:")
    for _ in range(3):
        budget.acquire(max_wait=0)
    with pytest.raises(BudgetExhausted) as raised:  # dialpad's own exception, not talk's
        budget.acquire(max_wait=0)
    assert 0 < raised.value.wait_seconds <= 1.2
    cache.clear()


def test_changed_settings_make_a_new_client(settings):
    settings.DIALPAD_BASE_URL, settings.DIALPAD_API_KEY = "https://dialpad.com", "key"
    first = dialpad.get_client()
    settings.DIALPAD_BASE_URL = "https://sandbox.dialpad.com"
    assert dialpad.get_client() is not first
    assert dialpad.get_client().base_url == "https://sandbox.dialpad.com"
