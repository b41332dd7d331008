"""A number that needs a verified business: the admin is told plainly where to get it instead."""

import re

from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.windows import save_screenshot


def test_an_admin_is_told_a_number_needs_a_verified_business(admin_page, served_talk):
    page = admin_page
    page.goto("/numbers/new/")
    page.get_by_label("Country").select_option(label="Germany")
    page.get_by_role("button", name="Search numbers").click()
    page.get_by_role("link", name="Choose +49 30 5550 1077").click()
    page.get_by_label("Address registered for this number").select_option(
        label="Northwind Outfitters GmbH, Torstraße 109, Berlin, Germany"
    )
    page.get_by_label("Why you are getting this number").fill("Berlin office")
    page.get_by_role("button", name=re.compile("Get this number")).click()
    notice = page.locator("#get-number .notice-error")
    expect(notice).to_contain_text("Zendesk only gives this number to a business it has verified")
    expect(notice).to_contain_text("Admin Center")
    expect(page.get_by_role("button", name=re.compile("Get this number"))).to_have_count(0)
    expect(page.get_by_role("link", name="Choose another number")).to_be_visible()
    save_screenshot(page, "numbers-provision-business-verification")
    assert_accessible(page)
    assert all(n.number != "+493055501077" for n in served_talk.list_phone_numbers())
