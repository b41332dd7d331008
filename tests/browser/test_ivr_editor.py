"""An editor changes an IVR in a real browser, as a non-technical admin would, by what is on
screen: find the IVR, add a menu, route a key to it, try the call on the keypad, publish with a
reason, read the change in the audit log. Also: a Talk outage while publishing, a route edited
with the keyboard alone, and a viewer who sees no edit controls and is refused anyway."""

import json
import re

from playwright.sync_api import expect

from ivr.models import Draft
from tests.browser.accessibility import assert_accessible
from tests.browser.keyboard import is_focused, tab_to
from tests.browser.windows import save_screenshot

MAIN_LINE = "Main support line"


def open_main_line(page) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", name="IVRs", level=1)).to_be_visible()
    page.get_by_label("Search by IVR name or phone number").fill("main support")
    page.get_by_role("link", name=MAIN_LINE).click()
    expect(page.get_by_role("heading", name=MAIN_LINE, level=1)).to_be_visible()


def start_editing(page) -> None:
    page.get_by_role("button", name="Edit this IVR").click()
    expect(page.get_by_role("heading", name="You are editing a draft")).to_be_visible()


def menu(page, name: str):
    return page.get_by_role("article", name=name, exact=True)


def key_row(page, menu_name: str, label: str):
    return (
        menu(page, menu_name)
        .locator(":scope > .route-list > li")
        .filter(
            has=page.locator(":scope > .route-line > .route-key", has_text=re.compile(f"^{label}$"))
        )
    )


def open_route_form(page, menu_name: str):
    menu(page, menu_name).get_by_role("link", name=f"Add a key to {menu_name}").click()
    form = page.locator("#route-add-form")
    expect(form).to_be_visible()
    return form


def test_an_editor_adds_a_menu_routes_a_key_to_it_tries_it_and_publishes_it(editor_page):
    page = editor_page
    open_main_line(page)
    start_editing(page)
    expect(page.get_by_text("Started by Bob Editor")).to_be_visible()

    # Add a menu: it shows apart, flagged, until a key leads to it.
    page.get_by_role("link", name="Add a menu").click()
    page.get_by_label("Menu name").fill("Spring sale")
    page.get_by_label("Greeting callers hear").select_option(label="Sales welcome")
    page.get_by_role("button", name="Add the menu").click()
    expect(page.get_by_role("region", name="Menus no caller reaches")).to_contain_text(
        "Spring sale"
    )

    # Its default route: only the group fields show once "a group" is chosen.
    form = open_route_form(page, "Spring sale")
    expect(form.get_by_label("Menu", exact=True)).to_be_hidden()
    form.get_by_label("No key or a wrong key").check()
    form.get_by_label("Put the caller through to a group of agents").check()
    expect(form.get_by_label("Outside number", exact=True)).to_be_hidden()
    form.get_by_role("group", name=re.compile("^Groups")).get_by_label("Sales", exact=True).check()
    form.get_by_role("button", name="Add the key").click()
    expect(form).to_have_count(0)

    # Route key 5 of the first menu to it; the picker shows which keys are taken.
    form = open_route_form(page, "Main menu")
    expect(form.get_by_label("1 taken", exact=True)).to_be_disabled()
    form.get_by_label("5", exact=True).check()
    form.get_by_label("Go to another menu").check()
    form.get_by_label("Menu", exact=True).select_option(label="Spring sale")
    form.get_by_role("button", name="Add the key").click()
    expect(key_row(page, "Main menu", "Press 5")).to_contain_text("Spring sale")
    expect(page.get_by_role("region", name="Menus no caller reaches")).to_have_count(0)
    expect(page.get_by_text("It has 3 changes that callers do not hear yet.")).to_be_visible()
    save_screenshot(page, "ivr-editor-tree-in-edit")

    # Try the call on the keypad.
    try_it = page.get_by_role("complementary", name="Try it")
    try_it.get_by_role("button", name="5", exact=True).click()
    expect(try_it).to_contain_text("Now in 'Spring sale'")

    # Review and publish with a reason.
    page.get_by_role("link", name="Review and publish").click()
    expect(page.get_by_role("heading", name=re.compile("^Review and publish"))).to_be_visible()
    changes = page.get_by_role("region", name="What publishing changes")
    expect(changes).to_contain_text("'Spring sale'")
    after = page.get_by_role("region", name="After publishing")
    expect(after.get_by_text("Added").first).to_be_visible()
    save_screenshot(page, "ivr-publish-preview")
    assert_accessible(page)
    page.get_by_label("Why are you making this change?").fill("Spring sale campaign starts")
    page.get_by_role("button", name="Publish to Zendesk").click()
    expect(page.get_by_role("heading", name="Published", exact=True)).to_be_visible()
    save_screenshot(page, "ivr-publish-done")

    # The change in the audit log, with its reason and before/after.
    page.get_by_role("link", name="See this change in the audit log").click()
    expect(page.get_by_role("heading", name=re.compile("Main support line"))).to_be_visible()
    expect(page.get_by_role("region", name="Why")).to_contain_text("Spring sale campaign starts")
    expect(page.locator("main")).to_contain_text("Spring sale")
    save_screenshot(page, "ivr-publish-audit-entry")
    assert not Draft.objects.exists()


def test_a_talk_outage_while_publishing_says_so_plainly_and_keeps_the_draft(editor_page, site):
    page = editor_page
    open_main_line(page)
    start_editing(page)
    page.get_by_role("link", name="Rename the IVR").click()
    page.get_by_label("IVR name").fill("Main support line (spring)")
    page.get_by_role("button", name="Save the change").click()
    renamed = page.get_by_role("heading", name="Main support line (spring)", level=1)
    expect(renamed).to_be_focused()  # the keyboard focus follows the change
    page.get_by_role("link", name="Review and publish").click()
    page.get_by_label("Why are you making this change?").fill("Seasonal name")

    site.sandbox.set_faults(
        {"forced": [{"method": "PUT", "path": "/api/v2/channels/voice/ivr/*", "status": 503}]}
    )
    page.get_by_role("button", name="Publish to Zendesk").click()

    expect(page.get_by_role("heading", name="Not published")).to_be_visible()
    outcome = page.locator(".outcome")
    expect(outcome).to_contain_text("Your draft is kept with everything still to do.")
    expect(outcome).not_to_contain_text("Traceback")
    expect(page.get_by_role("button", name="Publish again")).to_be_visible()
    expect(page.get_by_label("Why are you making this change?")).to_have_value("Seasonal name")
    save_screenshot(page, "ivr-publish-failure")
    assert_accessible(page)

    site.sandbox.set_faults({})
    page.get_by_role("link", name="Back to the draft").first.click()
    expect(page.get_by_role("heading", name="You are editing a draft")).to_be_visible()
    expect(page.get_by_role("heading", name="Main support line (spring)", level=1)).to_be_visible()
    assert Draft.objects.get().name == "Main support line (spring)"


def test_a_route_is_edited_with_the_keyboard_alone(editor_page):
    page = editor_page
    open_main_line(page)
    start_editing(page)

    change = page.get_by_role("link", name="Change Press 3 in Main menu")
    # ~110 presses by Tab alone: the banner, the header's links (History, Phone numbers,
    # Export, Import), the checks and the keypad come before the tree, and in it each menu
    # above the key has its greeting's player and a link to write down its words (the skip
    # links are tested in test_keyboard.py).
    tab_to(page, change, max_presses=130)
    page.keyboard.press("Enter")
    form = page.locator("#route-change-form")
    expect(form).to_be_visible()
    expect(form.get_by_role("heading", name="Change a key in Main menu")).to_be_focused()

    # Key 3 stays; the action moves from voicemail to an outside number (arrow keys).
    tab_to(page, form.get_by_label("Let the caller leave a voicemail"))
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(form.get_by_label("Transfer the call to an outside number")).to_be_checked()
    page.keyboard.press("Tab")
    number = form.get_by_label("Outside number", exact=True)
    expect(number).to_be_focused()
    page.keyboard.type("415 555 0123")
    expect(form.locator("#id_phone_number_check")).to_contain_text("Start with +")  # as typed
    page.keyboard.press("Enter")

    form = page.locator("#route-change-form")
    expect(form.get_by_role("alert")).to_contain_text("Nothing was changed")
    expect(form.get_by_role("alert")).to_be_focused()
    expect(form.get_by_label("Outside number", exact=True)).to_have_value("415 555 0123")
    expect(form.locator(".field-invalid")).to_contain_text("Start with + and the country code")
    save_screenshot(page, "ivr-route-form-with-an-error")

    tab_to(page, form.get_by_label("Outside number", exact=True))
    page.keyboard.press("Control+A")
    page.keyboard.type("+1 415 555 0123")
    expect(form.locator("#id_phone_number_check")).to_contain_text("is a whole international")
    page.keyboard.press("Enter")

    row = key_row(page, "Main menu", "Press 3")
    expect(row).to_contain_text("Transfer to +14155550123")
    assert is_focused(row)

    # One form in place at a time.
    tab_to(page, page.get_by_role("link", name="Change Press 1 in Main menu"))
    page.keyboard.press("Enter")
    expect(page.locator("#route-change-form")).to_have_count(1)
    # The focus moves to the opened form's heading (as a person sees it) before they move on.
    expect(page.locator("#route-change-form").get_by_role("heading")).to_be_focused()
    # (further up the page: a keyboard user comes back with Shift+Tab)
    page.get_by_role("link", name="Rename or change greeting of Main menu").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#menu-change-form")).to_be_visible()
    expect(page.locator("#route-change-form")).to_have_count(0)
    page.keyboard.press("Escape")

    # Escape closes a form opened in place and gives the focus back to what opened it.
    change = page.get_by_role("link", name="Change Press 0 in Main menu")
    tab_to(page, change)
    page.keyboard.press("Enter")
    form = page.locator("#route-change-form")
    expect(form.get_by_role("heading", name="Change a key in Main menu")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    expect(page.locator("#route-change-form")).to_have_count(0)
    expect(change).to_be_focused()


def test_a_viewer_sees_no_edit_controls_and_is_refused_when_posting_anyway(viewer_page):
    page = viewer_page
    open_main_line(page)
    main = page.locator("main")
    expect(main.get_by_role("button", name="Edit this IVR")).to_have_count(0)
    expect(main.get_by_role("link", name="Rename the IVR")).to_have_count(0)
    expect(main.get_by_role("link", name=re.compile("^Add a key"))).to_have_count(0)
    expect(main.get_by_role("link", name=re.compile("^Change Press"))).to_have_count(0)
    expect(main.locator("form[method=post]")).to_have_count(0)

    ivr_id = re.search(r"/ivrs/(\d+)/", page.url).group(1)
    token = json.loads(page.locator("body").get_attribute("hx-headers"))["X-CSRFToken"]
    for url in (f"/ivrs/{ivr_id}/draft/", f"/ivrs/{ivr_id}/publish/"):
        answer = page.request.post(
            url, form={"version": "1", "reason": "I want to"}, headers={"X-CSRFToken": token}
        )
        assert answer.status == 403, url
        assert "This needs the Editor role; you have the Viewer role." in answer.text()
    assert not Draft.objects.exists()


def test_a_menu_of_the_same_name_added_in_zendesk_meanwhile_is_shown_and_used(
    editor_page, served_talk, editor
):
    from talk.recording import recording_calls
    from tests.talk.recorder import CallList

    page = editor_page
    open_main_line(page)
    start_editing(page)
    page.get_by_role("link", name="Add a menu").click()
    page.get_by_label("Menu name").fill("Spring sale")
    page.get_by_role("button", name="Add the menu").click()
    expect(page.get_by_role("region", name="Menus no caller reaches")).to_contain_text(
        "Spring sale"
    )
    ivr = next(i for i in served_talk.list_ivrs() if i.name == MAIN_LINE)
    with recording_calls(CallList()):  # meanwhile, someone adds one in Zendesk's Admin Center
        served_talk.create_menu(ivr.id, name="Spring sale")

    page.get_by_role("link", name="Review and publish").click()

    same = page.get_by_role("region", name="A menu of the same name was added in Zendesk")
    expect(same).to_contain_text("Your draft adds the menu Spring sale")
    expect(page.get_by_role("button", name="Publish to Zendesk")).to_be_disabled()
    save_screenshot(page, "ivr-publish-same-name-menu")
    assert_accessible(page)
    same.get_by_role("button", name="Use the menu already in Zendesk").click()
    expect(page.get_by_text("is now the one already in Zendesk")).to_be_visible()
    expect(
        page.get_by_role("region", name="A menu of the same name was added in Zendesk")
    ).to_have_count(0)
    expect(page.get_by_role("region", name="What publishing changes")).not_to_contain_text(
        "A new menu"
    )
