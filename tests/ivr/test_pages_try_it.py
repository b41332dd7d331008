""" "Try it": pressing keys on the page's keypad walks a call through the IVR, step by step."""

import pytest
from django.urls import reverse

from tests.ivr.page_html import (
    HTMX_PRESS,
    html,
    menu_card,
    row,
    row_marks,
    text,
)


@pytest.fixture
def main_line(sandbox) -> dict:
    return sandbox.state.ivr_named("Main support line")


@pytest.fixture
def url(main_line) -> str:
    return reverse("ivr:detail", args=[main_line["id"]])


def transcript(page) -> list[str]:
    return [text(entry) for entry in page.select(".transcript-list > li")]


def press(client, url: str, call: str, key: str):
    """One press on the keypad as htmx sends it: the presses so far, and the key."""
    response = client.get(url, {"call": call, "press": key}, headers=HTMX_PRESS)
    assert response.status_code == 200
    return response


def test_before_any_press_the_caller_is_about_to_hear_the_first_menu(as_viewer, url):
    page = html(as_viewer.get(url))

    assert transcript(page) == [
        "The call starts in 'Main menu': the caller hears the greeting "
        "'Welcome to Northwind Outfitters'.",
        "The caller is in 'Main menu', waiting for a key. What do they press? "
        "Show in the call flow",
    ]
    assert page.select(".on-path, .route-taken, .caller-here") == []
    labels = [text(b) for b in page.select(".keypad button")]
    assert labels == [*"123456789*0#", "Presses nothing", "Presses a wrong key"]
    assert page.select_one(".keypad-form")["method"] == "get"


def test_each_press_walks_the_call_and_marks_its_path_in_the_tree(as_viewer, url, sandbox):
    as_viewer.get(url)
    reads_for_the_page = len(sandbox.requests)

    first = press(as_viewer, url, "", "2")
    second = press(as_viewer, url, first["HX-Push-Url"].split("call=")[1], "1")

    assert first["HX-Push-Url"] == f"{url}?call=2"
    assert second["HX-Push-Url"] == f"{url}?call=2-1"
    page = html(second)
    # The keypad panel is the target; the tree comes along out of band; no page around them.
    assert page.select_one("#try-it") is not None
    assert page.select_one("header.topbar") is None
    assert page.select_one("#call-flow")["hx-swap-oob"] == "true"
    assert page.select_one('input[name="call"]')["value"] == "2-1"
    assert transcript(page)[1:] == [
        "Step 1 Pressed 2. Press 2 goes to the menu 'Technical support'. Show in the call flow",
        "Now in 'Technical support': the caller hears the greeting 'Technical support menu'.",
        "Step 2 Pressed 1. Press 1 goes to the menu 'Hardware & repairs'. Show in the call flow",
        "Now in 'Hardware & repairs': the caller hears the greeting 'Hardware and repairs menu'.",
        "The caller is in 'Hardware & repairs', waiting for a key. What do they press? "
        "Show in the call flow",
    ]
    main, technical = menu_card(page, "Main menu"), menu_card(page, "Technical support")
    hardware = menu_card(page, "Hardware & repairs")
    assert row_marks(row(main, "Press 2")) == ["Step 1"]
    assert row_marks(row(technical, "Press 1")) == ["Step 2"]
    assert "route-taken" in row(main, "Press 2")["class"]
    assert "route-taken" not in row(main, "Press 1")["class"]
    assert "on-path" in main["class"] and "on-path" in technical["class"]
    assert "Caller is here" in text(hardware.header)
    assert "Caller is here" not in text(technical.header)
    assert "on-path" not in menu_card(page, "Orders & billing")["class"]
    status = page.select_one("#call-status")
    assert status["hx-swap-oob"] == "innerHTML"
    assert "Pressed 1. Press 1 goes to the menu 'Hardware & repairs'." in text(status)
    # Pressing keys costs no Talk API call: it follows the IVR as the page showed it.
    assert len(sandbox.requests) == reads_for_the_page


def test_keyboard_focus_stays_on_the_key_just_pressed(as_viewer, url):
    page = html(press(as_viewer, url, "2", "9"))

    focused = page.select("[data-focus-after-swap]")
    assert [text(element) for element in focused] == ["9"]


def test_a_route_back_continues_in_the_menu_it_links_to(as_viewer, url):
    page = html(press(as_viewer, url, "1", "9"))

    assert row_marks(row(menu_card(page, "Orders & billing"), "Press 9")) == ["Step 2"]
    assert "Caller is here" in text(menu_card(page, "Main menu").header)


def test_a_call_that_reaches_a_group_ends_there(as_viewer, url):
    page = html(press(as_viewer, url, "1", "1"))

    billing = row(menu_card(page, "Orders & billing"), "Press 1")
    assert row_marks(billing) == ["Step 2", "Call ends here"]
    assert transcript(page)[-1] == (
        "✓ Call ends: The caller waits for an agent of the group 'Billing'. Show in the call flow"
    )
    assert page.select_one(".keypad").has_attr("disabled")
    assert [text(e) for e in page.select("[data-focus-after-swap]")] == ["☎ Hang up / start again"]


def test_three_silences_take_the_default_route(as_viewer, url):
    page = html(press(as_viewer, url, "nothing-nothing", "nothing"))

    lines = transcript(page)
    assert "Pressed nothing, so the greeting plays again (play 2 of 3)." in lines[1]
    assert "Pressed nothing, so the greeting plays again (play 3 of 3)." in lines[2]
    assert (
        "Pressed nothing for the third time, so Zendesk takes the default route. "
        "Pressing nothing or a wrong key goes to the group 'Customer Support'."
    ) in lines[3]
    assert row_marks(row(menu_card(page, "Main menu"), "No key or a wrong key")) == [
        "Step 3",
        "Call ends here",
    ]


def test_four_wrong_keys_take_the_default_route(as_viewer, url):
    page = html(press(as_viewer, url, "2-wrong-wrong-wrong", "wrong"))

    lines = transcript(page)
    assert any("(wrong key 3 of 4)" in line for line in lines)
    assert any("the fourth wrong key, so Zendesk takes the default route" in line for line in lines)
    technical = menu_card(page, "Technical support")
    assert row_marks(row(technical, "No key or a wrong key")) == ["Step 5", "Call ends here"]


def test_without_a_default_route_silence_ends_in_a_hang_up(as_viewer, sandbox):
    holiday = sandbox.state.ivr_named("Holiday closure")
    menu = sandbox.state.default_menu(holiday["id"])
    sandbox.state.routes = {
        route_id: route
        for route_id, route in sandbox.state.routes.items()
        if not (route["menu_id"] == menu["id"] and route["keypress"] == "default")
    }
    url = reverse("ivr:detail", args=[holiday["id"]])

    page = html(as_viewer.get(url, {"call": "nothing-nothing-nothing"}))

    assert transcript(page)[-1].startswith(
        "✖ Problem: Zendesk hangs up: the caller pressed nothing while the greeting played "
        "3 times in 'Main menu', which has no default route."
    )
    hang_up = row(menu_card(page, "Main menu"), "No key or a wrong key")
    assert row_marks(hang_up)[0] == "Call ends here"


def test_after_the_call_ends_further_presses_are_refused_with_a_reason(as_viewer, url):
    page = html(press(as_viewer, url, "0", "5"))

    assert text(page.select_one(".transcript .notice")) == (
        "The call has already ended. Hang up to start a new call."
    )
    assert page.select_one('input[name="call"]')["value"] == "0"


def test_hanging_up_starts_again(as_viewer, url):
    response = press(as_viewer, url, "2-1", "hang-up")

    page = html(response)
    assert response["HX-Push-Url"] == url
    assert page.select_one('input[name="call"]')["value"] == ""
    assert page.select(".route-taken, .caller-here") == []


def test_without_javascript_the_keypad_is_a_plain_form_that_reloads_the_page(as_viewer, url):
    response = as_viewer.get(url, {"call": "2", "press": "1"})

    page = html(response)
    assert response.status_code == 200
    assert page.select_one("h1").get_text() == "Main support line"
    form = page.select_one(".keypad-form")
    assert form["action"] == f"{url}#try-it"
    assert form.select_one('input[name="call"]')["value"] == "2-1"
    assert "Caller is here" in text(menu_card(page, "Hardware & repairs").header)
    assert page.select_one("#call-flow").get("hx-swap-oob") is None


def test_a_shared_address_replays_the_same_call(as_viewer, url):
    page = html(as_viewer.get(url, {"call": "2-1-2"}))

    assert transcript(page)[-1] == (
        "✓ Call ends: The call is transferred to the outside number +14155550188. Zendesk does "
        "not record it or create a ticket for it. Show in the call flow"
    )


def test_an_address_with_keys_the_keypad_does_not_have_starts_the_call_again(as_viewer, url):
    page = html(as_viewer.get(url, {"call": "1-x-2"}))

    assert text(page.select_one(".transcript .notice")) == (
        "The keys in this page's address could not be read ('x' is not a key on the keypad.), "
        "so the call starts again."
    )
    assert page.select(".route-taken") == []


def test_the_caller_follows_the_ivr_as_the_page_showed_it(as_viewer, url, main_line, sandbox):
    """An edit in Zendesk after the page was read shows up on reload, not in mid-call."""
    as_viewer.get(url)
    orders = sandbox.state.menu_named(main_line["id"], "Orders & billing")
    orders["name"] = "Orders"

    during = html(press(as_viewer, url, "", "1"))
    reloaded = html(as_viewer.get(url, {"call": "1"}))

    assert "Now in 'Orders & billing'" in " ".join(transcript(during))
    assert "Now in 'Orders'" in " ".join(transcript(reloaded))


def test_a_press_when_the_page_is_no_longer_remembered_reads_zendesk_again(as_viewer, url, sandbox):
    response = press(as_viewer, url, "", "3")  # no page load before: nothing remembered

    assert "voicemail" in transcript(html(response))[-1]
    assert sandbox.requests_to("GET", "*/channels/voice/ivr/*")


def test_a_press_while_zendesk_fails_becomes_a_message_and_the_call_stays(as_viewer, url, sandbox):
    sandbox.fail("GET", "*/channels/voice/ivr/*", status=503)

    response = as_viewer.get(url, {"call": "2", "press": "1"}, headers=HTMX_PRESS)

    assert response.status_code == 503
    assert "Zendesk is not answering right now" in text(
        html(response).select_one("[data-toast-message]")
    )


def test_every_transcript_line_links_to_its_place_in_the_tree(as_viewer, url):
    page = html(as_viewer.get(url, {"call": "1-9-2-1-nothing-nothing-nothing"}))

    links = [a["href"] for a in page.select(".transcript-show")]
    assert len(links) == 8  # seven presses and how the call ended
    for href in links:
        assert page.select_one(href) is not None, href


def test_a_hostile_press_is_refused_and_shown_as_text(as_viewer, url):
    response = as_viewer.get(url, {"press": "<script>alert(1)</script>"}, headers=HTMX_PRESS)

    assert "<script>alert(1)</script>" not in response.content.decode()
    assert text(html(response).select_one(".transcript .notice")) == (
        "'<script>alert(1)</script>' is not a key on the keypad."
    )
