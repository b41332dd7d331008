"""Who may see the IVR pages: every role from Viewer up; nobody changes anything here."""

import pytest
from django.urls import reverse


@pytest.fixture
def main_line_url(sandbox) -> str:
    main = sandbox.state.ivr_named("Main support line")
    return reverse("ivr:detail", args=[main["id"]])


@pytest.mark.parametrize("persona", ["as_viewer", "as_editor", "as_admin"])
def test_every_role_sees_the_ivr_list_and_an_ivr(request, db, persona, sandbox, main_line_url):
    client = request.getfixturevalue(persona)

    listed = client.get(reverse("ivr:list"))
    shown = client.get(main_line_url)

    assert listed.status_code == 200
    assert "Main support line" in listed.content.decode()
    assert shown.status_code == 200
    assert "Call flow" in shown.content.decode()


def test_the_top_navigation_links_the_ivr_list(as_viewer, sandbox):
    page = as_viewer.get(reverse("ivr:list")).content.decode()

    assert f'<a href="{reverse("ivr:list")}" aria-current="page">IVRs</a>' in page


def test_a_user_without_a_role_is_refused_and_told_which_role_is_needed(
    as_outsider, sandbox, main_line_url
):
    for url in (reverse("ivr:list"), main_line_url):
        response = as_outsider.get(url)

        assert response.status_code == 403
        assert "Viewer" in response.content.decode()
    assert sandbox.requests == []  # refused before anything is asked of Zendesk


def test_signed_out_visitors_are_sent_to_sign_in(client, sandbox, main_line_url):
    for url in (reverse("ivr:list"), main_line_url):
        response = client.get(url)

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_pages_only_read(as_admin, sandbox, main_line_url):
    for url in (reverse("ivr:list"), main_line_url):
        assert as_admin.post(url).status_code == 405
    as_admin.get(main_line_url + "?call=1-9-2&press=1")

    assert {request.method for request in sandbox.requests} == {"GET"}


def test_viewers_see_no_editing_controls(as_viewer, sandbox, main_line_url):
    main = as_viewer.get(main_line_url).content.decode().split("<main", 1)[1]

    assert 'method="post"' not in main  # the only form that posts is "Sign out", above
