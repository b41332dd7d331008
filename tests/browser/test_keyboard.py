"""Changing a user's role with the keyboard only (Tab, Enter, Space, and typing)."""

import re

from playwright.sync_api import expect

from core.roles import VIEWER, role_of
from tests.browser.keyboard import is_focused, tab_to


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
