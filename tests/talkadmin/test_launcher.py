"""`make run`'s decisions: sandbox or Zendesk, and demo accounts only with the sandbox."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from core.roles import role_of
from talkadmin.launcher import ConfigurationProblem, talk_mode


def test_no_credentials_means_the_sandbox():
    assert talk_mode({}) == "sandbox"


def test_full_credentials_mean_zendesk():
    env = {"TALK_SUBDOMAIN": "acme", "TALK_EMAIL": "a@acme.com", "TALK_API_TOKEN": "t"}
    assert talk_mode(env) == "zendesk"
    assert talk_mode({"TALK_SUBDOMAIN": "acme", "TALK_OAUTH_TOKEN": "t"}) == "zendesk"


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"TALK_API_TOKEN": "t", "TALK_EMAIL": "a@acme.com"}, "TALK_SUBDOMAIN"),
        ({"TALK_API_TOKEN": "t", "TALK_SUBDOMAIN": "acme"}, "TALK_EMAIL"),
    ],
)
def test_half_configured_credentials_name_what_is_missing(env, named):
    with pytest.raises(ConfigurationProblem, match=named):
        talk_mode(env)


@pytest.mark.django_db
def test_demo_accounts_are_created_once_in_sandbox_mode(settings, tmp_path, monkeypatch, capsys):
    settings.TALK_SANDBOX = True
    settings.TALK_SUBDOMAIN = ""
    accounts_file = tmp_path / "demo-accounts.txt"
    monkeypatch.setattr(
        "talkadmin.management.commands.create_demo_accounts.ACCOUNTS_FILE", accounts_file
    )
    call_command("create_demo_accounts")
    first_output = capsys.readouterr().out
    users = get_user_model().objects.filter(username__startswith="demo-")
    assert {(u.username, role_of(u).name) for u in users} == {
        ("demo-admin", "Admin"),
        ("demo-editor", "Editor"),
        ("demo-viewer", "Viewer"),
    }
    saved = accounts_file.read_text()
    for line in saved.splitlines():
        username, password = line.split("username: ")[1].split(" password: ")
        assert get_user_model().objects.get(username=username.strip()).check_password(password)
        assert password in first_output
    call_command("create_demo_accounts")
    assert "exist already" in capsys.readouterr().out
    assert accounts_file.read_text() == saved


@pytest.mark.django_db
def test_demo_accounts_are_never_created_with_real_credentials(settings):
    settings.TALK_SANDBOX = False
    settings.TALK_SUBDOMAIN = "acme"
    with pytest.raises(CommandError, match="never with real Zendesk credentials"):
        call_command("create_demo_accounts")
    assert not get_user_model().objects.filter(username__startswith="demo-").exists()
