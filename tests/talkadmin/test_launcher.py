"""`make run`'s decisions: sandbox or Zendesk, and demo accounts only with the sandbox."""

import os

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from core.roles import role_of
from sandbox.dialpad import DEFAULT_API_KEY
from sandbox.process import free_port
from talkadmin.launcher import ConfigurationProblem, start_demo_sandboxes, stop_children, talk_mode


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


def _demo_environment(monkeypatch, tmp_path, **settings):
    from talkadmin.launcher import prepare_environment

    for name in ("TALK_API_TOKEN", "TALK_OAUTH_TOKEN", "YEASTAR_BASE_URL", "DIALPAD_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ENV_FILE", os.devnull)
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    return prepare_environment()


def test_a_demo_points_dialpad_at_its_local_sandbox(monkeypatch, tmp_path):
    env, mode = _demo_environment(monkeypatch, tmp_path)
    assert mode == "sandbox"
    assert env["DIALPAD_SANDBOX"] == "true"
    assert env["DIALPAD_BASE_URL"] == "http://127.0.0.1:8767"
    assert env["DIALPAD_API_KEY"] == DEFAULT_API_KEY  # the key the sandbox accepts
    assert env["DIALPAD_SANDBOX_STATE"] == str(tmp_path / "dialpad-sandbox-state.json")


def test_a_configured_dialpad_gets_no_sandbox(monkeypatch, tmp_path):
    env, _ = _demo_environment(
        monkeypatch, tmp_path, DIALPAD_BASE_URL="https://dialpad.com", DIALPAD_API_KEY="real"
    )
    assert "DIALPAD_SANDBOX" not in env
    assert (env["DIALPAD_BASE_URL"], env["DIALPAD_API_KEY"]) == ("https://dialpad.com", "real")


def test_the_talk_sandbox_is_announced_whatever_the_other_systems_use(
    monkeypatch, tmp_path, capsys
):
    """With Yeastar and Dialpad configured for real, only the Talk sandbox starts, and the demo
    does not claim that no Talk API is configured (it did, once the Yeastar block had come
    between the Talk sandbox's `if` and its `else`)."""
    env, _ = _demo_environment(
        monkeypatch,
        tmp_path,
        YEASTAR_BASE_URL="https://pbx.example.com",
        DIALPAD_BASE_URL="https://dialpad.com",
        SANDBOX_PORT=str(free_port()),
    )
    started = start_demo_sandboxes(env)
    try:
        assert len(started) == 1
        output = capsys.readouterr().out
        assert "Using the local Talk sandbox" in output
        assert "No Talk API is configured" not in output
        assert "Yeastar sandbox" not in output and "Dialpad sandbox" not in output
    finally:
        stop_children(started)
    assert all(child.poll() is not None for child in started)
