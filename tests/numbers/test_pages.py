"""The phone-number list and one number's page, as a viewer reads them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from numbers.services.selectors import PER_PAGE
from tests.numbers.forms import page, text

pytestmark = pytest.mark.django_db

LIST = reverse("numbers:list")
HTMX_LIST = {"HX-Request": "true", "HX-Target": "number-results"}


def rows(response) -> dict[str, str]:
    return {text(row.th): text(row) for row in page(response).select(".number-table tbody tr")}


def test_every_number_is_listed_with_what_routes_it_and_recording(as_viewer, sandbox):
    found = rows(as_viewer.get(LIST))

    assert len(found) == len(sandbox.state.phone_numbers) == 12
    assert found["UK Support London"] == (
        "UK Support London +44 20 7946 0321 United Kingdom ( London ) Local Voice, SMS "
        "IVR Main support line Recorded"
    )
    assert "Toll-free" in found["US Sales (toll-free)"]
    assert "Billing" in found["US Billing Direct"] and "Off" in found["US Billing Direct"]
    assert "+353 76 680 1412" in found  # no nickname: shown by its number
    assert "12 phone numbers in Zendesk." in text(page(as_viewer.get(LIST)))


def test_search_by_name(as_viewer, sandbox):
    assert list(rows(as_viewer.get(LIST, {"q": "uk retur"}))) == ["UK Returns Manchester"]


def test_search_by_digits_ignores_spacing(as_viewer, sandbox):
    assert list(rows(as_viewer.get(LIST, {"q": "555 0147"}))) == ["US Billing Direct"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"country": "IE"}, {"Ireland Support Dublin", "Soporte en Español", "+353 76 680 1412"}),
        ({"recording": "on", "country": "US"}, {"US Main Support", "US Sales (toll-free)"}),
        ({"capability": "sms", "country": "GB"}, {"UK Support London", "UK Returns Manchester"}),
    ],
)
def test_filters(as_viewer, sandbox, filters, expected):
    assert set(rows(as_viewer.get(LIST, filters))) == expected


def test_filter_by_ivr_and_by_no_ivr(as_viewer, sandbox):
    sales = sandbox.state.ivr_named("Sales & orders")
    with_ivr = set(rows(as_viewer.get(LIST, {"ivr": str(sales["id"])})))
    without = set(rows(as_viewer.get(LIST, {"ivr": "none"})))

    assert with_ivr == {"US Sales (toll-free)"}
    assert "US Billing Direct" in without and not with_ivr & without


def test_search_as_you_type_answers_with_the_results_only_and_updates_the_address(
    as_viewer, sandbox
):
    as_viewer.get(LIST)
    sandbox.clear_requests()

    response = as_viewer.get(LIST, {"q": "dublin", "country": "IE"}, headers=HTMX_LIST)

    assert response.status_code == 200
    assert page(response).select_one("main") is None
    assert list(rows(response)) == ["Ireland Support Dublin"]
    assert response["HX-Replace-Url"] == "/numbers/?q=dublin&country=IE"
    assert sandbox.requests_to("GET", "*/phone_numbers") == []  # typing reuses the list


def test_the_list_pages_through_many_numbers(as_viewer, sandbox):
    for index in range(30):
        sandbox.state.add_phone_number(
            number=f"+1415555{index:04d}",
            display_number=f"+1 (415) 555-{index:04d}",
            nickname=f"Zz extra line {index:02d}",
        )
    first = as_viewer.get(LIST)
    second = as_viewer.get(LIST, {"page": "2"})

    assert len(rows(first)) == PER_PAGE
    assert len(rows(second)) == 42 - PER_PAGE
    assert "Page 2 of 2" in text(page(second))
    assert page(first).select_one("a[href='/numbers/?page=2']") is not None
    # Zendesk's pages were followed: 42 numbers at 100 a page is one call; at more, several.
    assert sandbox.requests_to("GET", "*/phone_numbers")


def test_the_list_follows_zendesk_s_pages(as_viewer, sandbox):
    for index in range(120):
        sandbox.state.add_phone_number(
            number=f"+1415556{index:04d}",
            display_number=f"+1 (415) 556-{index:04d}",
            nickname=f"Bulk line {index:03d}",
        )
    sandbox.clear_requests()

    response = as_viewer.get(LIST, {"q": "bulk line 119"})

    assert list(rows(response)) == ["Bulk line 119"]
    assert "1 of 132 phone numbers match." in text(page(response))
    reads = sandbox.requests_to("GET", "*/phone_numbers")
    assert len(reads) == 2  # 132 numbers, 100 a page


def test_bad_search_says_so(as_viewer, sandbox):
    response = as_viewer.get(LIST, {"q": "x" * 101})

    assert response.status_code == 422
    assert "at most 100 characters" in text(page(response))


def test_the_list_when_zendesk_is_down(as_viewer, sandbox):
    sandbox.fail("GET", "*/phone_numbers", status=503)

    response = as_viewer.get(LIST)

    assert response.status_code == 503
    assert "could not read this from Zendesk" in text(page(response))  # the one failure page


# --- The number page ----------------------------------------------------------------------------


def detail(client, sandbox, name):
    number = sandbox.state.number_named(name)
    return page(client.get(reverse("numbers:detail", args=[number["id"]])))


def test_the_page_starts_with_what_happens_to_a_call(as_viewer, sandbox):
    summary = text(detail(as_viewer, sandbox, "US After-hours").select_one("#call-summary"))

    assert summary == (
        "Calls to +1 (617) 555-0121 go to the group 'After-hours On-call'. "
        "Calls are not recorded. "
        "When no agent is free, callers can leave a voicemail, transcribed. "
        "Outside business hours (schedule 'US Eastern business hours') callers can leave a "
        "voicemail, transcribed."
    )


def test_the_summary_names_the_ivr_and_the_overflow(as_viewer, sandbox):
    main = text(detail(as_viewer, sandbox, "US Main Support").select_one("#call-summary"))
    vip = text(detail(as_viewer, sandbox, "US VIP Accounts").select_one("#call-summary"))

    assert "go to the IVR 'Main support line'" in main
    assert "Calls are recorded and callers are told." in main
    assert "Callers waiting can ask to be called back." in main
    assert "When no agent can take a call, it goes on to +13125550170." in vip


def test_values_are_shown_by_name(as_viewer, sandbox):
    shown = detail(as_viewer, sandbox, "US After-hours")

    assert text(shown.select_one("#value-group_ids")) == "After-hours On-call"
    assert text(shown.select_one("#value-greeting_1")) == "After-hours voicemail"
    assert text(shown.select_one("#value-greeting_2")) == "Default"  # Zendesk's own name
    assert text(shown.select_one("#value-voicemail_recording_delete_after")) == (
        "Deleted after 3 months"
    )
    assert "US Eastern" in text(shown.select_one("#value-schedule_id"))


def test_read_only_facts_are_shown(as_viewer, sandbox):
    facts = text(detail(as_viewer, sandbox, "UK Freephone").select_one(".facts"))

    assert "Kind Toll-free" in facts
    assert "Country United Kingdom" in facts
    assert "Can do Voice" in facts


def test_interplays_are_shown_as_warnings(as_viewer, sandbox):
    dublin = detail(as_viewer, sandbox, "Ireland Support Dublin")

    assert "press 2 to be called back" in text(dublin.select_one("#section-queue"))


def test_a_viewer_sees_no_edit_controls(as_viewer, sandbox):
    shown = detail(as_viewer, sandbox, "UK Support London")

    assert shown.select("#number-page a[href*='/settings/']") == []
    assert shown.select("form.settings-form") == []


def test_an_editor_sees_a_change_link_per_section(as_editor, sandbox):
    shown = detail(as_editor, sandbox, "UK Support London")

    assert len(shown.select("#number-page a[href*='/settings/']")) == 10


def test_a_viewer_cannot_open_or_save_a_settings_form(as_viewer, sandbox):
    number = sandbox.state.number_named("UK Support London")
    url = reverse("numbers:edit", args=[number["id"], "recording"])

    assert as_viewer.get(url).status_code == 403
    assert as_viewer.post(url, {"recorded": "", "reason": "x"}).status_code == 403
    assert sandbox.requests_to("PUT") == []


def test_an_unknown_section_is_not_found(as_editor, sandbox):
    number = sandbox.state.number_named("UK Support London")

    response = as_editor.get(reverse("numbers:edit", args=[number["id"], "colour"]))

    assert response.status_code == 404


def test_the_form_shows_the_section_s_warnings(as_editor, sandbox):
    dublin = sandbox.state.number_named("Ireland Support Dublin")

    response = as_editor.get(
        reverse("numbers:edit", args=[dublin["id"], "queue"]), headers={"HX-Request": "true"}
    )

    assert "press 2 to be called back" in text(page(response).select_one("#section-queue form"))


def test_countries_are_offered_and_shown_by_name(as_viewer, sandbox):
    choices = page(as_viewer.get(LIST)).select("select[name=country] option")
    assert {(option["value"], text(option)) for option in choices} >= {
        ("", "Every country"),
        ("IE", "Ireland"),
        ("GB", "United Kingdom"),
        ("US", "United States"),
    }
