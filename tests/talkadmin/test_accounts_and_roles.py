import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from audit.actor import Actor
from audit.models import ChangeSet
from core.roles import ADMIN, EDITOR, VIEWER, has_role, role_of
from talkadmin.accounts import change_role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "role", "can_edit", "can_manage"),
    [
        ("viewer", VIEWER, False, False),
        ("editor", EDITOR, True, False),
        ("admin", ADMIN, True, True),
    ],
)
def test_each_role_holds_exactly_its_permissions(request, persona, role, can_edit, can_manage):
    user = request.getfixturevalue(persona)
    assert role_of(user) == role
    assert user.has_perm("talkadmin.view_lines")
    assert user.has_perm("talkadmin.edit_lines") is can_edit
    assert user.has_perm("talkadmin.manage_lines") is can_manage
    assert user.has_perm("talkadmin.manage_users") is can_manage


def test_a_user_without_a_role_can_see_nothing(outsider):
    assert role_of(outsider) is None
    assert not has_role(outsider, VIEWER)


def test_changing_a_role_replaces_the_old_one_and_is_audited(editor, admin):
    change_set = change_role(user=editor, role=VIEWER, actor=Actor.for_user(admin))
    editor = get_user_model().objects.get(pk=editor.pk)
    assert role_of(editor) == VIEWER
    assert not editor.has_perm("talkadmin.edit_lines")
    assert (change_set.action, change_set.actor_username) == ("change_role", "alice")
    assert (change_set.before["role"], change_set.after["role"]) == ("Editor", "Viewer")


def test_adduser_reads_the_password_from_the_environment(monkeypatch, capsys):
    monkeypatch.setenv("TALKADMIN_PASSWORD", "a long enough passphrase")
    call_command("adduser", "erin", "--role", "editor", "--name", "Erin Example")
    user = get_user_model().objects.get(username="erin")
    assert user.check_password("a long enough passphrase")
    assert user.get_full_name() == "Erin Example"
    assert role_of(user) == EDITOR
    output = capsys.readouterr().out
    assert "Created erin with the Editor role." in output
    assert "a long enough passphrase" not in output
    recorded = ChangeSet.objects.get(action="add_user", target_id="erin")
    assert (recorded.actor_user_id, recorded.actor_display_name) == (None, "manage.py adduser")
    assert recorded.after["role"] == "Editor"
    assert "a long enough passphrase" not in str(recorded.after)


def test_adduser_refuses_a_weak_password_and_creates_nothing(monkeypatch):
    monkeypatch.setenv("TALKADMIN_PASSWORD", "short")
    with pytest.raises(CommandError, match="too short"):
        call_command("adduser", "erin", "--role", "viewer")
    assert not get_user_model().objects.filter(username="erin").exists()


def test_adduser_without_a_password_or_terminal_explains(monkeypatch):
    monkeypatch.delenv("TALKADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("os.isatty", lambda fd: False)
    with pytest.raises(CommandError, match="set TALKADMIN_PASSWORD"):
        call_command("adduser", "erin", "--role", "viewer")


def test_adduser_has_no_password_option():
    with pytest.raises(CommandError):
        call_command("adduser", "erin", "--role", "viewer", "--password", "secret-in-argv")


def test_sign_in_with_the_right_password_lands_in_the_app(client, viewer, sandbox):
    """The first page is the IVR list, which reads Zendesk (here the sandbox)."""
    from tests.conftest import PERSONA_PASSWORD

    response = client.post(
        "/sign-in/", {"username": "carol", "password": PERSONA_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert response.context["user"] == viewer
    assert b"Carol Viewer" in response.content


def test_sign_in_with_a_wrong_password_says_so_next_to_the_form(client, viewer):
    response = client.post("/sign-in/", {"username": "carol", "password": "wrong"})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    assert b'value="carol"' in response.content


def test_sign_out_needs_post_and_ends_the_session(as_viewer):
    assert as_viewer.get("/sign-out/").status_code == 405
    response = as_viewer.post("/sign-out/")
    assert response.status_code == 302
    assert as_viewer.get("/").status_code == 302
