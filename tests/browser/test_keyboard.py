"""The keyboard alone (Tab, Enter, Space, and typing): changing a user's role, and reaching a
key deep in an IVR's call flow through the skip links."""

import re

from playwright.sync_api import expect

from core.roles import VIEWER, role_of
from tests.browser.keyboard import is_focused, tab_to
from tests.browser.test_ivr_editor import open_main_line, start_editing


def test_an_admin_changes_a_role_without_a_mouse(admin_page, editor):
    page = admin_page
    page.goto("/users/")
    row = page.get_by_role("row", name=re.compile("Bob Editor"))
    summary = row.get_by_text("Change Bob Editor")

    tab_to(page, summary)
    page.keyboard.press("Enter")  # opens the row's form
    page.keyboard.press("Tab")
    assert is_focused(row.get_by_label("Role for Bob Editor"))
    page.keyboard.type("Viewer")  # a list picks the option whose name is typed
    expect(row.get_by_label("Role for Bob Editor")).to_have_value("viewer")
    page.keyboard.press("Tab")
    page.keyboard.type("Moved to the audit team")
    page.keyboard.press("Tab")
    assert is_focused(row.get_by_role("button", name="Change role"))
    page.keyboard.press("Space")

    expect(row.get_by_role("cell", name="Viewer", exact=True)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Bob Editor now has the Viewer role.")
    # Focus comes back to the row that changed, so the next Tab continues from there.
    expect(row.get_by_text("Change Bob Editor")).to_be_focused()
    assert role_of(type(editor).objects.get(pk=editor.pk)) == VIEWER


def test_route_3_of_the_main_line_is_a_few_tab_presses_away(editor_page):
    """Without skip links it took 83 Tab presses from the top of the page to the third key of
    the first menu (the header, the draft banner, the checks, the keypad and two sub-menus come
    first); with "Skip to the call flow" and "Skip the menu ..." it took 13, and 4 Enters. The
    main menu's greeting can now be played on the page, and Chromium gives an `<audio controls>`
    player three Tab stops of its own (play, timeline, options): 17 since then."""
    page = editor_page
    open_main_line(page)
    start_editing(page)
    page.reload()  # the keyboard starts from the top of the page
    change = page.get_by_role("link", name="Change Press 3 in Main menu")

    presses = tab_to(page, page.get_by_role("link", name="Skip to the call flow"))
    page.keyboard.press("Enter")
    expect(page.locator("#call-flow")).to_be_focused()
    for submenu in ("Orders & billing", "Technical support"):
        presses += tab_to(page, page.get_by_role("link", name=f"Skip the menu {submenu}"))
        page.keyboard.press("Enter")
    presses += tab_to(page, change)

    assert presses <= 17, f"{presses} Tab presses to route 3"
    page.keyboard.press("Enter")
    expect(page.locator("#route-change-form")).to_be_visible()


def test_landmarks_name_the_parts_of_the_ivr_page(viewer_page):
    page = viewer_page
    open_main_line(page)

    expect(page.get_by_role("main")).to_have_count(1)
    expect(page.get_by_role("navigation", name="More for this IVR")).to_be_visible()
    expect(page.get_by_role("region", name="Call flow")).to_be_visible()
    expect(page.get_by_role("region", name="Checks")).to_be_visible()
    expect(page.get_by_role("complementary", name="Try it")).to_be_visible()
