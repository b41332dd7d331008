"""An admin gets a new number: search, choose, give an address when the law asks, get it."""

import html
import re

import pytest
from django.urls import reverse

from audit.constants import Action, Outcome
from audit.models import ChangeSet
from sandbox.faults import parse_forced
from tests.security.hostile_names import HOSTILE_NAMES, assert_shown_as_text

pytestmark = pytest.mark.django_db

NEW = "/numbers/new/"
IRISH_TOLL_FREE = "+3531800555012"  # needs an address outside Ireland
UK_ADDRESS = "AD9b3e7f1a2c4d6e8f0a1b3c5d7e9f1a2b"  # the demo account's Manchester address


def _offered(sandbox, number: str) -> dict:
    return next(a for a in sandbox.state.available_numbers if a["number"] == number)


def _text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def test_an_admin_searches_and_sees_price_kind_and_address_rule(as_admin, sandbox):
    response = as_admin.get(NEW, {"country": "IE", "kind": "toll_free"})
    assert response.status_code == 200
    page = _text(response)
    assert "1 number in Ireland, toll-free." in page
    assert "+353 1800 555 012" in page
    assert "$4.00" in page
    assert "Needs an address outside Ireland" in page
    assert "+353 76 680 1420" not in page  # a local number
    (search,) = sandbox.requests_to("GET", "*/phone_numbers/search")
    assert search.query == {"country": "IE", "toll_free": "true"}


def test_a_search_without_a_kind_looks_for_either(as_admin, sandbox):
    page = _text(as_admin.get(NEW, {"country": "GB"}))
    assert '<input type="radio" name="kind" value="any" id="id_kind_0" checked>' in page.replace(
        " required", ""
    )
    assert "3 numbers in United Kingdom." in page
    (search,) = sandbox.requests_to("GET", "*/phone_numbers/search")
    assert search.query == {"country": "GB"}


def test_search_by_area_code_and_digits(as_admin, sandbox):
    page = _text(as_admin.get(NEW, {"country": "US", "kind": "local", "area_code": "510"}))
    assert "+1 (510) 555-0117" in page and "+1 (510) 555-0129" in page
    assert "+1 (415) 555-0142" not in page
    page = _text(as_admin.get(NEW, {"country": "US", "contains": "0185"}))
    assert "1 number in United States, containing “0185”." in page


def test_bad_search_shows_messages_by_the_fields_and_asks_zendesk_nothing(as_admin, sandbox):
    response = as_admin.get(NEW, {"country": "GB", "area_code": "020", "contains": "55%"})
    assert response.status_code == 422
    page = _text(response)
    assert "Nothing was searched" in page
    assert "area codes in the United States and Canada only" in page
    assert "Use only digits, letters and *" in page
    assert 'value="020"' in page  # what was typed is kept
    assert sandbox.requests_to("GET", "*/phone_numbers/search") == []


def test_every_search_names_its_country_and_none_is_sent_without_one(as_admin, sandbox):
    """Zendesk may answer a search without a country with an empty list (sandbox/__init__.py):
    TalkAdmin asks for the country itself and never leaves it out."""
    refused = as_admin.get(NEW, {"country": "", "kind": "local"})
    assert refused.status_code == 422
    assert "Choose the country the number should be in." in _text(refused)
    assert "Choose a country" in _text(as_admin.get(NEW, {"kind": "local"}))  # the blank form
    assert sandbox.requests_to("GET", "*/phone_numbers/search") == []

    token = _offered(sandbox, "+14155550142")["token"]
    as_admin.get(NEW, {"country": "US", "contains": "0142"})  # search
    as_admin.get(NEW, {"country": "US", "token": token})  # choose
    as_admin.post(NEW, {"country": "US", "token": token, "reason": "Sales line"})  # get it
    searches = sandbox.requests_to("GET", "*/phone_numbers/search")
    assert len(searches) >= 3  # getting a number searches again first
    assert {search.query.get("country") for search in searches} == {"US"}
    assert sandbox.requests_to("POST", "*/phone_numbers")  # the number was got


def test_a_number_needing_an_address_is_provisioned_with_the_chosen_one(as_admin, sandbox):
    token = _offered(sandbox, IRISH_TOLL_FREE)["token"]
    query = {"country": "IE", "kind": "toll_free", "token": token}
    chosen = _text(as_admin.get(NEW, query))
    assert "Get +353 1800 555 012" in chosen
    # The rule is "outside Ireland": the UK address is offered, the Irish one is not.
    assert "Northwind Outfitters UK Ltd, 48 Ancoats Street, Manchester, United Kingdom" in chosen
    assert "Northwind Outfitters Ireland Ltd" not in chosen

    form = {"country": "IE", "kind": "toll_free", "token": token, "reason": "EU freephone"}
    refused = as_admin.post(NEW, form)
    assert refused.status_code == 422
    assert "needs an address outside Ireland: choose one of your addresses" in _text(refused)
    assert "EU freephone" in _text(refused)  # the reason typed is kept
    assert sandbox.requests_to("POST", "*/phone_numbers") == []

    address_id = next(
        a["id"] for a in sandbox.state.addresses.values() if a["provider_reference"] == UK_ADDRESS
    )
    response = as_admin.post(NEW, {**form, "address": address_id})
    (created,) = [n for n in sandbox.state.phone_numbers.values() if n["number"] == IRISH_TOLL_FREE]
    assert response.status_code == 303
    assert response["Location"] == reverse("numbers:detail", args=[created["id"]])
    (sent,) = sandbox.requests_to("POST", "*/phone_numbers")
    assert sent.body == {"phone_number": {"token": token}, "address_sid": UK_ADDRESS}
    assert all(a["number"] != IRISH_TOLL_FREE for a in sandbox.state.available_numbers)

    change_set = ChangeSet.objects.get(action=Action.PROVISION_PHONE_NUMBER)
    assert change_set.status == Outcome.APPLIED
    assert change_set.reason == "EU freephone"
    assert change_set.actor_username == "alice"
    assert change_set.before["number"] == IRISH_TOLL_FREE
    assert change_set.before["price"] == "$4.00"
    assert change_set.after["id"] == created["id"]
    assert change_set.recorded_target_id == str(created["id"])  # the new number's history
    assert "registered to the address 'Northwind Outfitters UK Ltd'" in change_set.final_summary
    assert [call.method for call in change_set.api_calls.all()].count("POST") == 1


def test_a_number_without_an_address_rule_needs_only_a_reason(as_admin, sandbox):
    token = _offered(sandbox, "+14155550142")["token"]
    form = {"country": "US", "kind": "local", "area_code": "415", "token": token}
    page = _text(as_admin.get(NEW, form))
    assert "No address needed" in page
    assert "Address registered for this number" not in page
    blank = as_admin.post(NEW, {**form, "reason": "  "})
    assert blank.status_code == 422
    assert "Say why; the audit log keeps it" in _text(blank)
    assert sandbox.requests_to("POST", "*/phone_numbers") == []
    done = as_admin.post(NEW, {**form, "reason": "New west-coast line"}, follow=True)
    assert done.redirect_chain[0][1] == 303
    assert "+1 (415) 555-0142 is now one of your numbers" in _text(done)


def test_a_number_that_needs_a_verified_business_is_explained(as_admin, sandbox):
    token = _offered(sandbox, "+493055501077")["token"]
    address_id = next(
        a["id"] for a in sandbox.state.addresses.values() if a["country_code"] == "DE"
    )
    form = {"country": "DE", "token": token, "address": address_id, "reason": "Berlin office"}
    response = as_admin.post(NEW, form)
    page = _text(response)
    assert response.status_code == 422
    assert "Zendesk only gives this number to a business it has verified" in page
    assert "Admin Center" in page
    assert "Get this number for" not in page  # trying again cannot help
    assert "Choose another number" in page
    assert not any(n["number"] == "+493055501077" for n in sandbox.state.phone_numbers.values())
    change_set = ChangeSet.objects.get(action=Action.PROVISION_PHONE_NUMBER)
    assert change_set.status == Outcome.FAILED
    assert "a business it has verified" in change_set.ending.error


def test_a_country_needing_an_address_the_account_lacks_says_what_to_do(as_admin, sandbox):
    with sandbox.state.lock:  # as if the German address were deleted in Admin Center
        for address_id in [
            i for i, a in sandbox.state.addresses.items() if a["country_code"] == "DE"
        ]:
            del sandbox.state.addresses[address_id]
    token = _offered(sandbox, "+493055501077")["token"]
    page = _text(as_admin.get(NEW, {"country": "DE", "token": token}))
    assert "needs an address in Germany, and your Zendesk account has no such address yet" in page
    assert "Get this number for" not in page  # no button that can only fail


def test_a_number_no_longer_offered_sends_nothing(as_admin, sandbox):
    form = {"country": "US", "token": "gone-token", "reason": "Spare line"}
    response = as_admin.post(NEW, form)
    assert response.status_code == 422
    assert "Zendesk no longer offers the number you chose" in _text(response)
    assert sandbox.requests_to("POST", "*/phone_numbers") == []


def test_zendesk_failing_keeps_what_was_typed(as_admin, sandbox):
    token = _offered(sandbox, "+14155550142")["token"]
    sandbox.fail("POST", "*/phone_numbers", status=503)
    form = {"country": "US", "token": token, "reason": "New west-coast line"}
    response = as_admin.post(NEW, form)
    page = _text(response)
    assert response.status_code == 503
    assert "Zendesk is not answering right now. Nothing was changed" in page
    assert "New west-coast line" in page
    assert "Traceback" not in page
    assert ChangeSet.objects.get(action=Action.PROVISION_PHONE_NUMBER).status == Outcome.FAILED


def test_zendesk_failing_the_search_is_a_plain_message(as_admin, sandbox):
    sandbox.fail("GET", "*/phone_numbers/search", status=429, retry_after=30)
    response = as_admin.get(NEW, {"country": "US"})
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "too many requests right now" in _text(response)


def test_an_editor_cannot_get_a_number(as_editor, sandbox):
    token = _offered(sandbox, "+14155550142")["token"]
    assert as_editor.get(NEW).status_code == 403
    refused = as_editor.post(NEW, {"country": "US", "token": token, "reason": "Mine"})
    assert refused.status_code == 403
    assert sandbox.requests == []


def test_names_from_zendesk_on_the_page_are_plain_text(as_admin, sandbox):
    for index, name in enumerate(HOSTILE_NAMES):
        sandbox.state.add_address(
            name=name, street="1 Test Street", zip="M1 1AA", city="Manchester",
            country_code="GB", provider_reference=f"ADhostile{index}",
        )  # fmt: skip
    offered = _offered(sandbox, "+442079460874")
    offered["location"] = HOSTILE_NAMES[3]  # right-to-left controls in the location
    query = {"country": "GB", "kind": "local", "token": offered["token"]}
    page = as_admin.get(NEW, query).content.decode()
    assert_shown_as_text(page, [*HOSTILE_NAMES, offered["location"]], where=NEW)


def test_the_list_searched_as_you_type_shows_a_new_number(as_admin, sandbox):
    htmx = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "number-results"}
    as_admin.get("/numbers/", {"q": "415"}, **htmx)  # the list kept for searching as you type
    token = _offered(sandbox, "+14155550142")["token"]
    created = as_admin.post(NEW, {"country": "US", "token": token, "reason": "West line"})
    row_link = f'href="{created["Location"]}"'
    assert row_link in _text(as_admin.get("/numbers/", {"q": "415"}, **htmx))


def test_a_create_whose_answer_was_lost_is_found_made_and_not_sent_again(as_admin, sandbox):
    token = _offered(sandbox, "+14155550142")["token"]
    sandbox.time_out("POST", "*/phone_numbers", times=1, after_applying=True)
    response = as_admin.post(NEW, {"country": "US", "token": token, "reason": "West line"})
    (created,) = [n for n in sandbox.state.phone_numbers.values() if n["number"] == "+14155550142"]
    assert response.status_code == 303
    assert response["Location"] == reverse("numbers:detail", args=[created["id"]])
    assert len(sandbox.requests_to("POST", "*/phone_numbers")) == 1
    change_set = ChangeSet.objects.get(action=Action.PROVISION_PHONE_NUMBER)
    assert change_set.status == Outcome.APPLIED
    assert change_set.after["id"] == created["id"]


@pytest.mark.parametrize("lost", ["applied-500x1", "applied-timeoutx1", "applied-dropx1"])
def test_a_number_made_with_its_answer_lost_in_any_way_is_found_and_got_once(
    as_admin, sandbox, lost
):
    token = _offered(sandbox, "+14155550142")["token"]
    sandbox.app.faults.forced.append(parse_forced(f"POST */phone_numbers={lost}"))
    response = as_admin.post(NEW, {"country": "US", "token": token, "reason": "West line"})
    made = [n for n in sandbox.state.phone_numbers.values() if n["number"] == "+14155550142"]
    assert len(made) == 1
    assert response.status_code == 303
    assert response["Location"] == reverse("numbers:detail", args=[made[0]["id"]])
    assert len(sandbox.requests_to("POST", "*/phone_numbers")) == 1  # never sent twice
    change_set = ChangeSet.objects.get(action=Action.PROVISION_PHONE_NUMBER)
    assert change_set.status == Outcome.APPLIED
    assert change_set.outcome_row.target_id == str(made[0]["id"])


def test_a_create_whose_answer_was_lost_and_not_made_says_so(as_admin, sandbox):
    token = _offered(sandbox, "+14155550142")["token"]
    sandbox.time_out("POST", "*/phone_numbers", times=1)
    response = as_admin.post(NEW, {"country": "US", "token": token, "reason": "West line"})
    assert response.status_code == 503
    assert "may or may not have been made" in _text(response)
    assert "West line" in _text(response)
    assert not any(n["number"] == "+14155550142" for n in sandbox.state.phone_numbers.values())
    assert len(sandbox.requests_to("POST", "*/phone_numbers")) == 1
