"""An IVR's name counts its characters as it is typed: nothing is cut at Zendesk's limit of
255, the field says when the limit is reached and passed, and a name over it is refused beside
the field with what was typed kept (issue 20)."""

from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.test_ivr_editor import open_main_line, start_editing
from tests.browser.windows import SCREENSHOTS, save_screenshot


def test_the_ivr_name_counts_to_zendesks_limit_and_keeps_a_longer_name_to_shorten(editor_page):
    page = editor_page
    open_main_line(page)
    start_editing(page)
    page.get_by_role("link", name="Rename the IVR").click()
    name = page.get_by_label("IVR name")
    counter = page.locator("#id_name_count")
    status = page.locator("#id_name_limit")
    expect(status).to_have_attribute("role", "status")  # said by screen readers as it changes

    expect(counter).to_have_text("17 of 255 characters")  # "Main support line"
    name.fill("x" * 255)
    expect(counter).to_have_text("255 of 255 characters")
    expect(status).to_have_text("You have reached the limit of 255 characters.")
    name.press("End")
    name.press_sequentially("yz")  # typing on is not cut off
    expect(name).to_have_value("x" * 255 + "yz")
    expect(counter).to_have_text("257 characters: 2 over the limit of 255")
    expect(status).to_contain_text("This is 2 characters too long")
    assert_accessible(page, within="#ivr-name-form")

    page.get_by_role("button", name="Save the change").click()

    expect(page.locator("#ivr-name-form .field-error")).to_have_text(
        "Use at most 255 characters, Zendesk's limit (this has 257)."
    )
    expect(page.get_by_label("IVR name")).to_have_value("x" * 255 + "yz")
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        save_screenshot(page, f"ivr-name-over-the-limit-{width}")
        form = page.locator("#ivr-name-form")
        form.screenshot(path=str(SCREENSHOTS / f"ivr-name-form-over-the-limit-{width}.png"))
