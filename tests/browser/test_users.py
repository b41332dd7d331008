"""An admin adds a user and changes a role in place, and finds both in the audit log."""

import re

from playwright.sync_api import expect

from core.roles import VIEWER, role_of
from tests.browser.accessibility import assert_accessible
from tests.browser.windows import save_screenshot

PASSWORD = "a long and memorable passphrase"


def test_an_admin_adds_a_user_then_changes_their_role_and_sees_both_in_the_log(admin_page):
    page = admin_page
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", name="Users", level=1)).to_be_visible()
    page.get_by_role("link", name="Add a user").click()

    page.get_by_label("Display name").fill("Erin Example")
    page.get_by_label("Username").fill("erin")
    page.get_by_label("Role").select_option(label="Editor")
    page.get_by_label("Initial password", exact=True).fill(PASSWORD)
    page.get_by_label("Initial password again").fill(PASSWORD + " typo")
    page.get_by_label("Why (optional)").fill("New starter in the phone team")
    page.get_by_role("button", name="Add the user").click()
    expect(page.get_by_role("alert")).to_contain_text("Nobody was added")
    expect(page.get_by_text("The two passwords differ")).to_be_visible()
    expect(page.get_by_label("Display name")).to_have_value("Erin Example")  # nothing lost
    save_screenshot(page, "users-add-with-errors")
    assert_accessible(page)

    expect(page.get_by_label("Initial password", exact=True)).to_have_value("")  # never shown
    page.get_by_label("Initial password", exact=True).fill(PASSWORD)
    page.get_by_label("Initial password again").fill(PASSWORD)
    page.get_by_role("button", name="Add the user").click()
    expect(page.get_by_role("status")).to_contain_text("Added Erin Example.")
    erin_row = page.get_by_role("row", name=re.compile("Erin Example"))
    expect(erin_row.get_by_role("cell", name="Editor", exact=True)).to_be_visible()

    erin_row.get_by_text("Change Erin Example").click()
    erin_row.get_by_label("Role for Erin Example").select_option(label="Viewer")
    erin_row.get_by_label("Why you are changing Erin Example (optional)").fill("Moved to audit")
    erin_row.get_by_role("button", name="Change role").click()
    expect(erin_row.get_by_role("cell", name="Viewer", exact=True)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Erin Example now has the Viewer role.")
    save_screenshot(page, "users")
    assert_accessible(page)  # after the row was swapped in place

    page.get_by_role("link", name="Audit log").click()
    log = page.locator("#log-results")
    expect(log.get_by_role("link", name="Give Erin Example (erin) the Viewer role")).to_be_visible()
    expect(log).to_contain_text("Why: Moved to audit")
    expect(
        log.get_by_role("link", name="Add user erin (Erin Example) with the Editor role")
    ).to_be_visible()

    from django.contrib.auth import get_user_model

    assert role_of(get_user_model().objects.get(username="erin")) == VIEWER
