"""An admin releases a number: sees what routes to it, types its digits, and it is gone."""

import html
import re

import pytest

from audit.constants import Action, Outcome
from audit.models import ChangeSet
from core.phone import numbers_match

pytestmark = pytest.mark.django_db


def _number_id(sandbox, nickname: str) -> int:
    return next(n["id"] for n in sandbox.state.phone_numbers.values() if n["nickname"] == nickname)


def _text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def test_the_page_shows_what_routes_to_the_number(as_admin, sandbox):
    text_line = _number_id(sandbox, "US Text Line")
    page = _text(as_admin.get(f"/numbers/{text_line}/release/"))
    assert "Release <bdi>US Text Line (+1 (415) 555-0178)</bdi>" in page
    # IVR keys that send their text from it stop working: both are named.
    assert "In the IVR 'Main support line', menu 'Main menu', key 4 sends its text message" in page
    assert "In the IVR 'Holiday closure', menu 'Main menu', key 1 sends its text message" in page

    london = _number_id(sandbox, "UK Support London")
    page = _text(as_admin.get(f"/numbers/{london}/release/"))
    assert "Calls to it are answered by the IVR 'Main support line'." in page
    assert 'To confirm, type <strong class="nowrap">+44 20 7946 0321</strong>' in page


def test_a_number_others_fail_over_to_is_flagged(as_admin, sandbox):
    london = _number_id(sandbox, "UK Support London")
    dublin = _number_id(sandbox, "Ireland Support Dublin")
    sandbox.state.phone_numbers[dublin]["failover_number"] = "+442079460321"
    page = _text(as_admin.get(f"/numbers/{london}/release/"))
    assert "The number Ireland Support Dublin (+353 76 680 1410) fails over to this number." in page


def test_digits_that_do_not_match_send_nothing(as_admin, sandbox):
    london = _number_id(sandbox, "UK Support London")
    form = {"confirm_digits": "+44 20 7946 0322", "reason": "Office closed"}
    response = as_admin.post(f"/numbers/{london}/release/", form)
    page = _text(response)
    assert response.status_code == 422
    assert "Type this number, +44 20 7946 0321, to confirm" in page
    assert 'value="+44 20 7946 0322"' in page and "Office closed" in page  # kept
    assert sandbox.requests_to("DELETE", "*") == []
    assert london in sandbox.state.phone_numbers
    assert not ChangeSet.objects.filter(action=Action.RELEASE_PHONE_NUMBER).exists()


def test_a_reason_is_required(as_admin, sandbox):
    london = _number_id(sandbox, "UK Support London")
    response = as_admin.post(f"/numbers/{london}/release/", {"confirm_digits": "442079460321"})
    assert response.status_code == 422
    assert "Say why; the audit log keeps it with the change." in _text(response)
    assert sandbox.requests_to("DELETE", "*") == []


def test_releasing_removes_it_from_zendesk_and_audits_it(as_admin, sandbox):
    london = _number_id(sandbox, "UK Support London")
    form = {"confirm_digits": "+44 (20) 7946-0321", "reason": "London office closed"}
    response = as_admin.post(f"/numbers/{london}/release/", form, follow=True)
    assert response.redirect_chain == [("/numbers/", 303)]
    assert "Released UK Support London (+44 20 7946 0321): it is no longer yours." in _text(
        response
    )
    assert london not in sandbox.state.phone_numbers
    (deleted,) = sandbox.requests_to("DELETE", "*/phone_numbers/*")
    assert deleted.path.endswith(f"/phone_numbers/{london}")
    # What routes to it is read once, by the service, just before the release.
    assert len(sandbox.requests_to("GET", f"*/phone_numbers/{london}")) == 1

    change_set = ChangeSet.objects.get(action=Action.RELEASE_PHONE_NUMBER)
    assert change_set.status == Outcome.APPLIED
    assert change_set.target_id == str(london)
    assert change_set.reason == "London office closed"
    assert change_set.before["number"] == "+442079460321"
    assert change_set.after is None
    assert "answered by the IVR 'Main support line'" in change_set.final_summary
    assert [c.method for c in change_set.api_calls.all() if c.is_write] == ["DELETE"]


def test_zendesk_failing_keeps_what_was_typed(as_admin, sandbox):
    london = _number_id(sandbox, "UK Support London")
    sandbox.fail("DELETE", "*/phone_numbers/*", status=503)
    form = {"confirm_digits": "442079460321", "reason": "London office closed"}
    response = as_admin.post(f"/numbers/{london}/release/", form)
    page = _text(response)
    assert response.status_code == 503
    assert "Zendesk is not answering right now. Nothing was changed" in page
    assert 'value="442079460321"' in page and "London office closed" in page
    assert london in sandbox.state.phone_numbers
    change_set = ChangeSet.objects.get(action=Action.RELEASE_PHONE_NUMBER)
    assert change_set.status == Outcome.FAILED


def test_a_number_already_gone_is_a_plain_not_found(as_admin, sandbox):
    response = as_admin.get("/numbers/987654/release/")
    assert response.status_code == 404
    assert "This number is not in Zendesk" in _text(response)


def test_an_editor_cannot_release(as_editor, sandbox):
    london = _number_id(sandbox, "UK Support London")
    assert as_editor.get(f"/numbers/{london}/release/").status_code == 403
    form = {"confirm_digits": "442079460321", "reason": "Mine now"}
    assert as_editor.post(f"/numbers/{london}/release/", form).status_code == 403
    assert sandbox.requests == []
    assert london in sandbox.state.phone_numbers


def test_the_number_page_offers_release_to_admins_only(as_admin, as_editor, sandbox):
    london = _number_id(sandbox, "UK Support London")
    assert f'href="/numbers/{london}/release/"' in _text(as_admin.get(f"/numbers/{london}/"))
    editor_page = _text(as_editor.get(f"/numbers/{london}/"))
    assert f'href="/numbers/{london}/release/"' not in editor_page
    assert f'href="/numbers/{london}/history/"' in editor_page


@pytest.mark.parametrize(
    ("typed", "matches"),
    [
        ("+44 20 7946 0321", True),
        ("44-20-7946-0321", True),
        ("020 7946 0321", True),  # national form, trunk 0
        ("20 7946 0321", True),
        ("7946 0321", False),  # only part of it
        ("+44 20 7946 0322", False),
        ("+1 20 7946 0321", False),
        ("", False),
    ],
)
def test_typed_digits_tolerate_spacing_and_the_country_code(typed, matches):
    assert numbers_match(typed, "+442079460321") is matches


def test_the_list_searched_as_you_type_forgets_a_released_number(as_admin, sandbox):
    london = _number_id(sandbox, "UK Support London")
    htmx = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "number-results"}
    row_link = f'href="/numbers/{london}/"'
    assert row_link in _text(as_admin.get("/numbers/", {"q": "UK"}, **htmx))
    form = {"confirm_digits": "442079460321", "reason": "London office closed"}
    as_admin.post(f"/numbers/{london}/release/", form)
    assert row_link not in _text(as_admin.get("/numbers/", {"q": "UK"}, **htmx))


def test_a_release_whose_answer_was_lost_is_found_done(as_admin, sandbox):
    london = _number_id(sandbox, "UK Support London")
    sandbox.time_out("DELETE", "*/phone_numbers/*", times=1, after_applying=True)
    form = {"confirm_digits": "442079460321", "reason": "London office closed"}
    response = as_admin.post(f"/numbers/{london}/release/", form)
    assert response.status_code == 303
    assert london not in sandbox.state.phone_numbers
    change_set = ChangeSet.objects.get(action=Action.RELEASE_PHONE_NUMBER)
    assert change_set.status == Outcome.APPLIED
    assert "Zendesk answered that it was already gone" in change_set.final_summary
