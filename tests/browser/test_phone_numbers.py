"""An editor changes a number's recording and reads the new summary; a viewer only reads."""

import re

from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.windows import save_screenshot


def test_an_editor_turns_recording_off_and_the_summary_says_so(editor_page, site):
    page = editor_page
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Phone numbers").click()
    expect(page.get_by_role("heading", name="Phone numbers", level=1)).to_be_visible()
    save_screenshot(page, "numbers-list")
    page.get_by_role("link", name="UK Support London").click()
    summary = page.locator("#call-summary")
    expect(summary).to_contain_text("Calls are recorded only when the caller agrees.")
    number_url = page.url

    page.get_by_role("link", name="Change recording and transcription settings").click()
    form = page.locator("#section-recording form")
    form.get_by_label("Call recording", exact=True).uncheck()
    form.get_by_label("Why are you making this change?").fill("Recording paused for review")
    save_screenshot(page, "number-recording-form")
    form.get_by_role("button", name="Save recording and transcription").click()

    expect(summary).to_contain_text("Calls are not recorded.")
    expect(page.locator("#toasts")).to_contain_text(
        "Turned call recording off on 'UK Support London' (+44 20 7946 0321)."
    )
    expect(page.locator("#value-recorded")).to_have_text("off")
    assert page.url == number_url  # updated in place
    save_screenshot(page, "number-page-after-save")
    puts = [r for r in site.sandbox.requests() if r["method"] == "PUT"]
    assert [r["body"] for r in puts] == [{"phone_number": {"recorded": False}}]
    assert_accessible(page)


def test_an_editor_sees_the_message_beside_a_bad_value_and_keeps_it(editor_page, site):
    page = editor_page
    page.goto("/numbers/")
    page.get_by_role("link", name="US Billing Direct").click()
    page.get_by_role("link", name="Change queue settings").click()
    form = page.locator("#section-queue form")
    form.get_by_label("Most callers waiting").fill("99")
    form.get_by_label("Why are you making this change?").fill("Busy season")
    form.get_by_role("button", name="Save queue").click()

    expect(form.get_by_text("Enter a whole number from 1 to 50.")).to_be_visible()
    expect(form.get_by_label("Most callers waiting")).to_have_value("99")
    expect(form.get_by_label("Why are you making this change?")).to_have_value("Busy season")
    save_screenshot(page, "number-queue-form-error")
    assert not [r for r in site.sandbox.requests() if r["method"] == "PUT"]


def test_a_viewer_sees_no_edit_controls_on_a_number(viewer_page, site):
    page = viewer_page
    page.goto("/numbers/")
    page.get_by_label("Search by name or digits").fill("manchester")
    expect(page).to_have_url(re.compile(r"q=manchester"))
    expect(page.locator(".number-table tbody tr")).to_have_count(1)
    page.get_by_role("link", name="UK Returns Manchester").click()

    expect(page.locator("#call-summary")).to_contain_text("Calls to +44 161 496 0555")
    expect(page.get_by_role("heading", name="Queue")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Change"))).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("^Save"))).to_have_count(0)
    save_screenshot(page, "number-page-viewer")
