"""Settings become one client per process, and no setting can send the token elsewhere."""

import pytest

from talk import get_client, reset_client
from talk.budget_database import DatabaseBudgetStore
from talk.budget_stores import CacheBudgetStore
from talk.config import base_url_from_settings
from talk.errors import NotConfigured
from talk.transport import BearerAuth
from talk.wsgi_transport import WsgiAdapter


@pytest.fixture
def talk_settings(settings):
    settings.TALK_BASE_URL = ""
    settings.TALK_SUBDOMAIN = "acme"
    settings.TALK_EMAIL = "admin@acme.example"
    settings.TALK_API_TOKEN = "token"
    settings.TALK_OAUTH_TOKEN = ""
    reset_client()
    yield settings
    reset_client()


def test_the_subdomain_makes_the_zendesk_address(talk_settings):
    talk_settings.TALK_SUBDOMAIN = "Acme-Support"
    assert base_url_from_settings() == "https://acme-support.zendesk.com"


@pytest.mark.parametrize(
    "subdomain",
    ["acme.evil.example", "evil.example/acme", "acme:8080", "-acme", "acme-", "a" * 64, "ac me"],
)
def test_a_subdomain_that_is_not_a_plain_label_is_refused(talk_settings, subdomain):
    talk_settings.TALK_SUBDOMAIN = subdomain
    with pytest.raises(NotConfigured) as raised:
        get_client()
    assert "TALK_SUBDOMAIN" in raised.value.user_message


@pytest.mark.parametrize(
    ("base_url", "expected"),
    [
        ("https://acme.zendesk.com/", "https://acme.zendesk.com"),
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765"),
        ("http://localhost:8765", "http://localhost:8765"),
    ],
)
def test_a_base_url_overrides_the_subdomain(talk_settings, base_url, expected):
    talk_settings.TALK_BASE_URL = base_url
    assert get_client().base_url == expected


@pytest.mark.parametrize(
    ("base_url", "words"),
    [
        ("http://acme.example", "https"),
        ("https://user:pass@acme.zendesk.com", "user name or password"),
        ("https://acme.zendesk.com/api/v2", "without a path"),
        ("ftp://acme.zendesk.com", "full address"),
        ("acme.zendesk.com", "full address"),
    ],
)
def test_an_unsafe_base_url_is_refused(talk_settings, base_url, words):
    talk_settings.TALK_BASE_URL = base_url
    with pytest.raises(NotConfigured) as raised:
        get_client()
    assert "TALK_BASE_URL" in raised.value.user_message and words in raised.value.user_message


def test_missing_credentials_name_the_setting_to_set(talk_settings):
    talk_settings.TALK_EMAIL = ""
    with pytest.raises(NotConfigured, match="TALK_EMAIL"):
        get_client()
    talk_settings.TALK_API_TOKEN = ""
    with pytest.raises(NotConfigured, match="TALK_API_TOKEN"):
        get_client()
    talk_settings.TALK_SUBDOMAIN = ""
    with pytest.raises(NotConfigured) as raised:
        get_client()
    assert "not connected to Zendesk yet" in raised.value.user_message


def test_one_client_per_process_rebuilt_when_settings_change(talk_settings):
    first = get_client()
    assert get_client() is first
    talk_settings.TALK_SUBDOMAIN = "other"
    assert get_client() is not first
    assert get_client().base_url == "https://other.zendesk.com"


def test_an_oauth_token_is_sent_as_a_bearer_token(talk_settings, db):
    from sandbox import build_app

    talk_settings.TALK_OAUTH_TOKEN = "oauth-access-token"
    client = get_client()
    assert isinstance(client.transport.session.auth, BearerAuth)
    app = build_app(env={"SANDBOX_OAUTH_TOKEN": "oauth-access-token"})
    client.transport.mount(WsgiAdapter(app))
    assert len(client.list_ivrs()) == 4
    client.transport.budget.clear()


def test_the_rate_budget_is_kept_in_the_database_unless_the_cache_is_asked_for(talk_settings):
    assert talk_settings.TALK_RATE_BUDGET_STORE == "database"  # CACHE_URL is not Redis here
    store = get_client().transport.budget.store
    assert isinstance(store, DatabaseBudgetStore)
    assert store.account == "https://acme.zendesk.com"
    talk_settings.TALK_RATE_BUDGET_STORE = "cache"
    assert isinstance(get_client().transport.budget.store, CacheBudgetStore)
