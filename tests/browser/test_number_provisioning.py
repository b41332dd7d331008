"""An admin gets a new number that needs an address, then releases it by typing its digits."""

import re

from playwright.sync_api import expect

from audit.constants import Action, Outcome
from audit.models import ChangeSet
from tests.browser.accessibility import assert_accessible
from tests.browser.windows import save_screenshot

LONDON = "+442079460874"


def test_an_admin_gets_a_number_needing_an_address_then_releases_it(admin_page, served_talk):
    page = admin_page
    page.goto("/numbers/")
    save_screenshot(page, "numbers-list-for-an-admin")
    page.get_by_role("link", name="Get a new number").click()
    expect(page.get_by_role("heading", name="Get a new number", level=1)).to_be_visible()

    page.get_by_label("Country").select_option(label="United Kingdom")
    page.get_by_label("Local", exact=True).check()
    page.get_by_role("button", name="Search numbers").click()
    results = page.get_by_role("table")
    row = results.get_by_role("row", name=re.compile(r"\+44 20 7946 0874"))
    expect(row).to_contain_text("$1.50")
    expect(row).to_contain_text("Needs an address in United Kingdom")
    save_screenshot(page, "numbers-provision-search")
    assert_accessible(page)

    row.get_by_role("link", name=re.compile("Choose")).click()
    expect(page.get_by_role("heading", name="Get +44 20 7946 0874")).to_be_visible()
    page.get_by_label("Why you are getting this number").fill("Second London line")
    page.get_by_role("button", name=re.compile("Get this number")).click()
    expect(page.get_by_role("alert")).to_contain_text("The number was not added")
    expect(page.locator("#id_address_error")).to_contain_text("choose one of your addresses")
    expect(page.get_by_label("Why you are getting this number")).to_have_value("Second London line")
    save_screenshot(page, "numbers-provision-address-missing")
    assert_accessible(page)

    page.get_by_label("Address registered for this number").select_option(
        label="Northwind Outfitters UK Ltd, 48 Ancoats Street, Manchester, United Kingdom"
    )
    page.get_by_role("button", name=re.compile("Get this number")).click()
    expect(page.get_by_role("status")).to_contain_text(
        "+44 20 7946 0874 is now one of your numbers"
    )
    expect(page).to_have_url(re.compile(r"/numbers/\d+/$"))
    (number,) = [n for n in served_talk.list_phone_numbers() if n.number == LONDON]
    save_screenshot(page, "numbers-after-provisioning")

    page.get_by_role("link", name="Release this number").click()
    expect(page.get_by_role("heading", name="Release +44 20 7946 0874")).to_be_visible()
    page.get_by_label("Type the number to confirm").fill("020 7946 0875")
    page.get_by_label("Why you are releasing it").fill("Got it by mistake")
    page.get_by_role("button", name="Release this number").click()
    expect(page.locator("#id_confirm_digits_error")).to_contain_text(
        "Type this number, +44 20 7946 0874, to confirm"
    )
    expect(page.get_by_label("Why you are releasing it")).to_have_value("Got it by mistake")
    save_screenshot(page, "numbers-release-mismatch")
    assert_accessible(page)

    page.get_by_label("Type the number to confirm").fill("020 7946 0874")
    page.get_by_role("button", name="Release this number").click()
    expect(page.locator("#toasts")).to_contain_text("Released +44 20 7946 0874")
    expect(page).to_have_url(re.compile(r"/numbers/$"))
    assert all(n.number != LONDON for n in served_talk.list_phone_numbers())

    page.goto(f"/numbers/{number.id}/history/")
    history = page.locator(".history-list")
    expect(history.get_by_role("link")).to_have_count(2)
    expect(history.get_by_role("link").first).to_contain_text("Released the number")
    save_screenshot(page, "numbers-history")
    assert_accessible(page)
    provisioned = ChangeSet.objects.get(action=Action.PROVISION_PHONE_NUMBER)
    released = ChangeSet.objects.get(action=Action.RELEASE_PHONE_NUMBER)
    assert provisioned.status == released.status == Outcome.APPLIED
    assert released.target_id == str(number.id)
