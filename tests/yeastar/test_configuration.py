"""Configuration by environment: no YEASTAR_BASE_URL means "not configured" (not shown);
settings that are there but unusable are refused with words that say what to fix."""

import pytest

import yeastar
from yeastar.errors import NotConfigured


@pytest.fixture
def unset(settings):
    settings.YEASTAR_BASE_URL = ""
    settings.YEASTAR_CLIENT_ID = ""
    settings.YEASTAR_CLIENT_SECRET = ""
    return settings


def test_without_a_base_url_the_pbx_is_not_configured_and_nothing_is_wrong(unset):
    assert not yeastar.is_configured()
    assert yeastar.configuration_problem() == ""
    with pytest.raises(NotConfigured) as raised:
        yeastar.get_client()
    assert raised.value.user_message.startswith("TalkAdmin is not connected to the Yeastar PBX")


def test_missing_credentials_are_named(unset):
    unset.YEASTAR_BASE_URL = "https://192.168.5.150:8088"
    unset.YEASTAR_CLIENT_ID = "UEnH9Dmv6uBJEXsYcag1trNfQThYXXXX"
    assert yeastar.is_configured()
    problem = yeastar.configuration_problem()
    assert "YEASTAR_CLIENT_SECRET" in problem and "YEASTAR_CLIENT_ID" not in problem
    assert "Integrations > API" in problem


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://192.168.5.150", "must use https"),
        ("https://192.168.5.150:8088/openapi/v1.0", "without a path"),
        ("https://admin:pw@pbx.example.com", "must not contain a user name"),
        ("pbx.example.com", "must be a full address"),
    ],
)
def test_a_base_url_that_could_leak_or_fail_is_refused(unset, url, words):
    unset.YEASTAR_BASE_URL = url
    unset.YEASTAR_CLIENT_ID, unset.YEASTAR_CLIENT_SECRET = "id", "secret"
    assert words in yeastar.configuration_problem()
    with pytest.raises(NotConfigured):
        yeastar.get_client()


@pytest.mark.parametrize("url", ["https://acme.ras.yeastar.com", "http://127.0.0.1:8766"])
def test_https_or_a_loopback_sandbox_is_accepted(unset, url):
    unset.YEASTAR_BASE_URL = url + "/"
    unset.YEASTAR_CLIENT_ID, unset.YEASTAR_CLIENT_SECRET = "id", "secret"
    assert yeastar.configuration_problem() == ""
    assert yeastar.get_client().base_url == url


def test_changing_a_setting_builds_a_new_client(unset):
    unset.YEASTAR_BASE_URL = "https://pbx-one.example.com"
    unset.YEASTAR_CLIENT_ID, unset.YEASTAR_CLIENT_SECRET = "id", "secret"
    first = yeastar.get_client()
    unset.YEASTAR_BASE_URL = "https://pbx-two.example.com"
    assert yeastar.get_client() is not first
    assert yeastar.get_client().base_url == "https://pbx-two.example.com"
