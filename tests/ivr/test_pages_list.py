"""The IVR list: every IVR with its numbers, menus and checks; search; Zendesk failing."""

from django.core.cache import cache
from django.urls import reverse

from tests.ivr.page_html import HTMX_SEARCH, html, text

LIST = reverse("ivr:list")


def list_rows(response) -> dict[str, str]:
    """Each IVR's row as a reader sees it, by IVR name."""
    return {text(row.th): text(row) for row in html(response).select(".ivr-table tbody tr")}


def test_every_demo_ivr_is_listed_with_its_numbers_menus_and_checks(as_viewer, sandbox):
    rows = list_rows(as_viewer.get(LIST))

    assert list(rows) == [
        "Holiday closure",
        "Ireland & EU line",
        "Main support line",
        "Sales & orders",
    ]
    main = rows["Main support line"]
    assert "US Main Support +1 (415) 555-0134" in main
    assert "UK Support London +44 20 7946 0321" in main
    assert " 4 " in main  # menus
    # Its numbers' settings have not been read yet (see the callback tests below).
    assert "⚠ 1 warning" in main
    assert "Callback checks run when you open this IVR" in main
    assert "US Sales (toll-free) +1 (888) 555-0199" in rows["Sales & orders"]


def test_an_ivr_no_number_uses_says_so_in_words(as_viewer, sandbox):
    rows = list_rows(as_viewer.get(LIST))

    assert "No phone number: no caller hears it" in rows["Holiday closure"]


def test_an_ivr_whose_route_lost_its_group_shows_an_error(as_viewer, sandbox):
    sales = sandbox.state.ivr_named("Sales & orders")
    menu = sandbox.state.default_menu(sales["id"])
    sandbox.state.add_route(menu["id"], "3", "group", {"group_ids": [987_654]})

    rows = list_rows(as_viewer.get(LIST))

    assert "✖ 1 error" in rows["Sales & orders"]
    assert "error" not in rows["Ireland & EU line"]


def test_an_ivr_without_problems_says_so(as_viewer, sandbox):
    ireland = sandbox.state.ivr_named("Ireland & EU line")
    dublin = sandbox.state.number_named("Ireland Support Dublin")
    assert sandbox.state.phone_numbers[dublin["id"]]["ivr_id"] == ireland["id"]
    as_viewer.get(reverse("ivr:detail", args=[ireland["id"]]))  # reads its numbers' settings
    before = list_rows(as_viewer.get(LIST))
    # Its only warning: callers may ask to be called back, and the IVR does not tell them how.
    sandbox.state.phone_numbers[dublin["id"]]["settings"]["callback_from_queue"] = False
    cache.clear()  # numbers' settings are kept as long as the other lookups
    as_viewer.get(reverse("ivr:detail", args=[ireland["id"]]))

    after = list_rows(as_viewer.get(LIST))

    assert "⚠ 1 warning" in before["Ireland & EU line"]
    assert "✓ No problems found" in after["Ireland & EU line"]


def test_the_list_reads_no_number_settings_and_never_claims_checks_it_skipped(as_viewer, sandbox):
    """Reading every number's settings would cost a call per number: the list uses only those
    an IVR page already read, and says so where it lacks them."""
    ireland = sandbox.state.ivr_named("Ireland & EU line")
    dublin = sandbox.state.number_named("Ireland Support Dublin")
    sandbox.state.phone_numbers[dublin["id"]]["settings"]["callback_from_queue"] = False

    row = list_rows(as_viewer.get(LIST))["Ireland & EU line"]

    assert sandbox.requests_to("GET", "*/phone_numbers/*") == []
    assert "No problems found" not in row
    assert "Callback checks run when you open this IVR" in row
    as_viewer.get(reverse("ivr:detail", args=[ireland["id"]]))
    row = list_rows(as_viewer.get(LIST))["Ireland & EU line"]
    assert "✓ No problems found" in row
    assert "Callback checks" not in row


def test_the_list_counts_the_same_checks_as_the_ivr_page(as_viewer, sandbox):
    """Once an IVR's page has read its numbers' settings, the list counts the same checks."""
    for ivr in sandbox.state.ivrs.values():
        page = html(as_viewer.get(reverse("ivr:detail", args=[ivr["id"]])))
        row = list_rows(as_viewer.get(LIST))[ivr["name"]]

        warnings = len(page.select("#checks .check-warning"))
        assert warnings > 0
        assert f"{warnings} warning" in row
        assert "Callback checks" not in row


def test_search_by_name_keeps_the_matching_ivrs(as_viewer, sandbox):
    response = as_viewer.get(LIST, {"q": "sales"})

    assert list(list_rows(response)) == ["Sales & orders"]
    assert "1 of 4 IVRs match “sales”." in text(html(response))
    assert html(response).select_one("#id_q")["value"] == "sales"


def test_search_by_a_phone_number_finds_the_ivr_that_answers_it(as_viewer, sandbox):
    by_digits = as_viewer.get(LIST, {"q": "415 555 0134"})
    by_nickname = as_viewer.get(LIST, {"q": "dublin"})

    assert list(list_rows(by_digits)) == ["Main support line"]
    assert list(list_rows(by_nickname)) == ["Ireland & EU line"]


def test_a_search_that_matches_nothing_says_so(as_viewer, sandbox):
    response = as_viewer.get(LIST, {"q": "payroll"})

    assert "No IVR matches “payroll”." in text(html(response))
    assert html(response).select_one(".ivr-table") is None


def test_searching_as_you_type_returns_only_the_results_and_updates_the_address(as_viewer, sandbox):
    as_viewer.get(LIST)  # the page itself: read from Zendesk
    reads_for_the_page = len(sandbox.requests)

    response = as_viewer.get(LIST, {"q": "line"}, headers=HTMX_SEARCH)

    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<section id="ivr-results"')
    assert list(list_rows(response)) == ["Ireland & EU line", "Main support line"]
    assert response["HX-Replace-Url"] == f"{LIST}?q=line"
    # The count goes to the page's status line, which screen readers announce.
    status = html(response).select_one("#ivr-search-status")
    assert (status["hx-swap-oob"], text(status)) == ("innerHTML", "2 of 4 IVRs match “line”.")
    # Typing reuses what the page was built from: no new Talk API call per keystroke.
    assert len(sandbox.requests) == reads_for_the_page


def test_clearing_the_search_shows_every_ivr_at_the_plain_address(as_viewer, sandbox):
    response = as_viewer.get(LIST, {"q": ""}, headers=HTMX_SEARCH)

    assert len(list_rows(response)) == 4
    assert response["HX-Replace-Url"] == LIST


def test_a_too_long_search_is_explained_next_to_the_search_box(as_viewer, sandbox):
    response = as_viewer.get(LIST, {"q": "x" * 101})

    page = html(response)
    assert response.status_code == 422
    assert "Search for at most 100 characters (this has 101)." in text(page.select_one(".field"))
    assert page.select_one("#id_q")["value"] == "x" * 101


def test_the_list_reads_fresh_from_zendesk_on_each_visit(as_viewer, sandbox):
    as_viewer.get(LIST)
    sandbox.state.ivr_named("Holiday closure")["name"] = "Winter closure"

    assert "Winter closure" in list_rows(as_viewer.get(LIST))


def test_zendesk_not_answering_is_said_plainly(as_viewer, sandbox):
    sandbox.fail("GET", "*/channels/voice/ivr", status=503)

    response = as_viewer.get(LIST)

    page = text(html(response))
    assert response.status_code == 503
    assert "TalkAdmin could not read this from Zendesk" in page
    assert "Zendesk is not answering right now" in page
    assert "Try again" in page
    assert "Traceback" not in page


def test_a_timeout_is_said_plainly(as_viewer, sandbox):
    sandbox.time_out("GET", "*/channels/voice/phone_numbers")

    response = as_viewer.get(LIST)

    assert response.status_code == 503
    assert "Zendesk is not answering right now" in text(html(response))


def test_too_many_requests_says_when_to_try_again(as_viewer, sandbox):
    sandbox.fail("GET", "*/channels/voice/ivr", status=429, retry_after=120)

    response = as_viewer.get(LIST)

    assert response.status_code == 503
    assert response["Retry-After"] == "120"
    assert "try again in 120 seconds" in text(html(response))


def test_a_failure_while_searching_becomes_a_message_and_the_list_stays(as_viewer, sandbox):
    sandbox.fail("GET", "*/channels/voice/ivr", status=500)

    response = as_viewer.get(LIST, {"q": "main"}, headers=HTMX_SEARCH)

    # htmx does not swap an error answer; talkadmin.js shows its marked message as a toast.
    assert response.status_code == 503
    message = html(response).select_one("[data-toast-message]")
    assert "Zendesk is not answering right now" in text(message)


def test_without_zendesk_settings_the_page_says_who_must_set_what(as_viewer, settings):
    settings.TALK_SUBDOMAIN = settings.TALK_BASE_URL = ""
    settings.TALK_EMAIL = settings.TALK_API_TOKEN = settings.TALK_OAUTH_TOKEN = ""

    response = as_viewer.get(LIST)

    assert response.status_code == 503
    assert "TalkAdmin is not connected to Zendesk yet" in text(html(response))
