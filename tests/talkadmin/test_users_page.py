"""Admins manage who can use TalkAdmin; each change is audited; nobody locks the site out."""

import pytest
from django.contrib.auth import get_user_model

from audit.models import ChangeSet
from core.roles import ADMIN, EDITOR, VIEWER, role_of

pytestmark = pytest.mark.django_db

User = get_user_model()
STRONG = "a perfectly long passphrase"
HTMX = {"HX-Request": "true"}


def fresh(user):
    return User.objects.get(pk=user.pk)


def add_form(**changes) -> dict:
    return {
        "display_name": "Erin Example",
        "username": "erin",
        "email": "erin@example.com",
        "role": "editor",
        "password": STRONG,
        "password_again": STRONG,
        "reason": "New starter in the phone team",
        **changes,
    }


def test_the_list_shows_everyone_with_role_state_and_last_sign_in(as_admin, editor, viewer):
    page = as_admin.get("/users/").content.decode()
    assert '<th scope="row"><bdi>Bob Editor</bdi></th>' in page
    assert "<td>carol</td>" in page and "<td>Viewer</td>" in page
    assert "Never" in page  # Bob never signed in
    assert 'href="/users/add/"' in page
    assert '<a href="/users/" aria-current="page">Users</a>' in page


@pytest.mark.parametrize("client", ["as_editor", "as_viewer", "as_outsider"])
def test_only_admins_may_open_or_use_the_users_page(request, client, admin):
    other = request.getfixturevalue(client)
    assert other.get("/users/").status_code == 403
    assert other.get("/users/add/").status_code == 403
    assert other.post("/users/add/", add_form()).status_code == 403
    assert other.post(f"/users/{admin.pk}/role/", {"role": "viewer"}).status_code == 403
    assert other.post(f"/users/{admin.pk}/deactivate/").status_code == 403
    assert role_of(fresh(admin)) == ADMIN and fresh(admin).is_active


def test_non_admins_see_no_users_link(as_editor):
    assert 'href="/users/"' not in as_editor.get("/audit/").content.decode()


@pytest.mark.parametrize("url", ["/users/1/role/", "/users/1/deactivate/", "/users/1/reactivate/"])
def test_changes_need_a_post(as_admin, url):
    assert as_admin.get(url).status_code == 405


def test_an_admin_adds_a_user_who_can_then_sign_in(as_admin, admin, client):
    response = as_admin.post("/users/add/", add_form(), follow=True)
    assert response.redirect_chain[-1][0].startswith("/users/#user-")
    assert "Added Erin Example." in response.content.decode()
    erin = User.objects.get(username="erin")
    assert (erin.get_full_name(), erin.email, role_of(erin)) == (
        "Erin Example",
        "erin@example.com",
        EDITOR,
    )
    recorded = ChangeSet.objects.get(action="add_user", target_id="erin")
    assert recorded.actor_user_id == admin.pk
    assert recorded.reason == "New starter in the phone team"
    assert recorded.after == {
        "username": "erin",
        "display_name": "Erin Example",
        "email": "erin@example.com",
        "role": "Editor",
        "active": True,
    }
    assert STRONG not in str(recorded.after)
    assert client.login(username="erin", password=STRONG)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"password": "short", "password_again": "short"}, "password", "too short"),
        ({"password_again": "something else entirely"}, "password_again", "passwords differ"),
        ({"username": "bob"}, "username", "already exists"),
        ({"username": "bad name!"}, "username", "Enter a valid username"),
        ({"email": "not-an-address"}, "email", "Enter an email address like"),
        ({"role": "owner"}, "role", "Choose one of the roles"),
        ({"display_name": ""}, "display_name", "This field is required"),
    ],
)
def test_bad_input_is_explained_next_to_the_field_and_kept(
    as_admin, editor, changes, field, message
):
    response = as_admin.post("/users/add/", add_form(**changes))
    assert response.status_code == 422
    page = response.content.decode()
    error_block = page.split(f'id="id_{field}_error">')[1].split("</div>")[0]
    assert message in error_block
    assert 'value="Erin Example"' in page or field == "display_name"
    assert "New starter in the phone team" in page  # nothing typed is lost...
    assert add_form()["password"] not in page  # ...but a password is never written back
    assert "type the password again" in page
    assert response["Cache-Control"].startswith("max-age=0")  # the password is not cached
    assert not User.objects.filter(username="erin").exists()
    assert not ChangeSet.objects.filter(action="add_user", target_id="erin").exists()


def test_changing_a_role_with_htmx_updates_the_row_in_place(as_admin, admin, editor):
    response = as_admin.post(
        f"/users/{editor.pk}/role/", {"role": "admin", "reason": "Covers for Alice"}, headers=HTMX
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith(f'<tr id="user-{editor.pk}"')
    assert "<td>Admin</td>" in page
    assert "Bob Editor now has the Admin role." in page  # the toast, out of band
    assert role_of(fresh(editor)) == ADMIN
    recorded = ChangeSet.objects.get(action="change_role")
    assert (recorded.before["role"], recorded.after["role"]) == ("Editor", "Admin")
    assert (recorded.actor_user_id, recorded.reason) == (admin.pk, "Covers for Alice")


def test_changing_a_role_without_javascript_comes_back_to_the_list(as_admin, editor):
    response = as_admin.post(f"/users/{editor.pk}/role/", {"role": "viewer"})
    assert response.status_code == 303
    assert response["Location"] == f"/users/#user-{editor.pk}"
    assert role_of(fresh(editor)) == VIEWER


def test_an_admin_cannot_change_their_own_role(as_admin, admin, editor):
    response = as_admin.post(f"/users/{admin.pk}/role/", {"role": "viewer"}, headers=HTMX)
    assert response.status_code == 422
    assert "You cannot change the role of yourself" in response.content.decode()
    assert role_of(fresh(admin)) == ADMIN
    assert not ChangeSet.objects.filter(action="change_role").exists()


def test_an_admin_cannot_deactivate_themselves(as_admin, admin):
    response = as_admin.post(f"/users/{admin.pk}/deactivate/")
    assert response.status_code == 422
    assert "You cannot deactivate yourself" in response.content.decode()
    assert fresh(admin).is_active


def test_the_last_active_admin_keeps_the_role(admin, editor):
    from audit.actor import Actor
    from talkadmin.accounts import change_role, deactivate_user

    promoted = change_role(user=editor, role=ADMIN, actor=Actor.for_user(admin))
    assert promoted.status == "applied"
    # Bob (now an admin) demotes Alice: fine, Bob is still an admin.
    change_role(user=admin, role=EDITOR, actor=Actor.for_user(editor))
    # Someone else (a command) tries to remove Bob, the last admin.
    with pytest.raises(Exception, match="Bob Editor is the last active admin"):
        deactivate_user(user=fresh(editor), actor=Actor.system("manage.py shell"))
    with pytest.raises(Exception, match="last active admin"):
        change_role(user=fresh(editor), role=VIEWER, actor=Actor.system("manage.py shell"))
    assert role_of(fresh(editor)) == ADMIN and fresh(editor).is_active


def test_a_deactivated_admin_can_be_reactivated_with_their_role(as_admin, admin):
    other = User.objects.create(username="zed", first_name="Zed", is_active=False)
    other.groups.add(*admin.groups.all())
    response = as_admin.post(f"/users/{other.pk}/reactivate/", {"reason": "back from leave"})
    assert response.status_code == 303
    assert fresh(other).is_active
    assert role_of(fresh(other)) == ADMIN


def test_deactivating_stops_sign_in_and_reactivating_restores_it(as_admin, editor, client):
    from tests.conftest import PERSONA_PASSWORD

    response = as_admin.post(
        f"/users/{editor.pk}/deactivate/", {"reason": "Left the company"}, headers=HTMX
    )
    assert response.status_code == 200
    assert '<span class="badge badge-warn">Deactivated</span>' in response.content.decode()
    assert not client.login(username="bob", password=PERSONA_PASSWORD)
    deactivated = ChangeSet.objects.get(action="deactivate_user")
    assert (deactivated.reason, deactivated.after["active"]) == ("Left the company", False)
    assert deactivated.after["role"] == "Editor"  # kept for when they come back

    response = as_admin.post(f"/users/{editor.pk}/reactivate/", headers=HTMX)
    assert "Bob Editor can sign in again." in response.content.decode()
    assert client.login(username="bob", password=PERSONA_PASSWORD)
    assert role_of(fresh(editor)) == EDITOR
    assert ChangeSet.objects.get(action="reactivate_user").status == "applied"


def test_a_deactivated_users_open_session_ends(as_admin, editor, as_editor):
    assert as_editor.get("/audit/").status_code == 200
    as_admin.post(f"/users/{editor.pk}/deactivate/")
    assert as_editor.get("/audit/").status_code == 302  # back to sign-in


def test_choosing_the_role_someone_already_has_changes_nothing(as_admin, editor):
    response = as_admin.post(f"/users/{editor.pk}/role/", {"role": "editor", "reason": "x"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Bob Editor already has the Editor role." in page
    assert 'value="x"' in page
    assert not ChangeSet.objects.filter(action="change_role").exists()


def test_a_user_that_does_not_exist_is_a_404(as_admin):
    assert as_admin.post("/users/999999/role/", {"role": "viewer"}).status_code == 404
