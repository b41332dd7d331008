"""Greetings in a real browser: an editor uploads a WAV from the menu form without losing what
was typed, plays it (the audio element loads and knows its length), uses it in a new menu,
publishes, and reads the upload in the audit log. Also: the Greetings page plays a greeting."""

import re

from playwright.sync_api import expect

from tests.audio_files import wav_bytes
from tests.browser.accessibility import assert_accessible
from tests.browser.test_ivr_editor import open_main_line, start_editing
from tests.browser.windows import save_screenshot


def duration_of(audio) -> float:
    """Play the audio element until the browser knows its length (its metadata has loaded)."""
    audio.evaluate("a => { a.muted = true; a.play().catch(() => {}); }")
    audio.page.wait_for_function(
        "a => a.readyState >= 1 && isFinite(a.duration) && a.duration > 0",
        arg=audio.element_handle(),
    )
    return audio.evaluate("a => a.duration")


def test_an_editor_uploads_a_greeting_from_the_menu_form_and_publishes_a_menu_with_it(
    editor_page,
):
    page = editor_page
    open_main_line(page)
    start_editing(page)

    page.get_by_role("link", name="Add a menu").click()
    page.get_by_label("Menu name").fill("Returns")
    page.get_by_role("link", name="Upload a new greeting").click()
    upload = page.locator("#new-greeting-form")
    expect(
        upload.get_by_role("heading", name="Upload a new greeting for this menu")
    ).to_be_visible()
    upload.get_by_label("Name").fill("Returns menu")
    upload.get_by_label("Recording (MP3 or WAV, up to 10 MB)").set_input_files(
        files=[{"name": "returns.wav", "mimeType": "audio/wav", "buffer": wav_bytes(2.5)}]
    )
    upload.get_by_label("Its words (optional)").fill(
        "Returns. To send an item back, press 1. For the main menu, press 9."
    )
    save_screenshot(page, "greeting-upload-from-menu-form")
    upload.get_by_role("button", name="Upload the greeting").click()
    expect(page.get_by_text("It is now chosen above as this menu's greeting")).to_be_visible()

    # The menu form kept what was typed, and its picker now holds the new greeting, chosen.
    expect(page.get_by_label("Menu name")).to_have_value("Returns")
    picker = page.get_by_label("Greeting callers hear")
    expect(picker.locator("option:checked")).to_have_text("Returns menu")
    player = page.locator("#menu-add-form [data-greeting-player-for] audio")
    expect(player).to_be_visible()
    assert abs(duration_of(player) - 2.5) < 0.1
    save_screenshot(page, "greeting-chosen-in-menu-form")

    page.get_by_role("button", name="Add the menu").click()
    returns = page.get_by_role("article", name="Returns", exact=True)
    expect(returns).to_contain_text("Returns menu")
    expect(returns.locator(".greeting-script")).to_contain_text("To send an item back, press 1")

    # Route key 6 of the first menu to it, then publish.
    page.get_by_role("article", name="Main menu", exact=True).get_by_role(
        "link", name="Add a key to Main menu"
    ).click()
    form = page.locator("#route-add-form")
    form.get_by_label("6", exact=True).check()
    form.get_by_label("Go to another menu").check()
    form.get_by_label("Menu", exact=True).select_option(label="Returns")
    form.get_by_role("button", name="Add the key").click()
    expect(page.get_by_role("region", name="Menus no caller reaches")).to_have_count(0)
    # Its words say 1 and 9, which the new menu does not route yet: the checks say so.
    expect(page.locator("#checks")).to_contain_text(
        "tells callers to press 1, but 1 does nothing in 'Returns'"
    )
    # Key 1 of the new menu, which its words announce: the warning about 1 goes.
    returns.get_by_role("link", name="Add a key to Returns").click()
    form = page.locator("#route-add-form")
    form.get_by_label("1", exact=True).check()
    form.get_by_label("Put the caller through to a group of agents").check()
    form.get_by_role("group", name=re.compile("^Groups")).get_by_label("Sales", exact=True).check()
    form.get_by_role("button", name="Add the key").click()
    expect(page.locator("#checks")).not_to_contain_text("1 does nothing in 'Returns'")
    expect(page.locator("#checks")).to_contain_text("9 does nothing in 'Returns'")
    page.get_by_role("link", name="Review and publish").click()
    page.get_by_label("Why are you making this change?").fill("Returns line opens")
    page.get_by_role("button", name="Publish to Zendesk").click()
    expect(page.get_by_role("heading", name="Published", exact=True)).to_be_visible()

    # The upload in the audit log, with its length and fingerprint.
    page.goto("/audit/")
    page.get_by_label("What").select_option(label="Created a greeting")
    expect(page).to_have_url(re.compile(r"action=create_greeting"))
    page.get_by_role("link", name=re.compile("Returns menu")).first.click()
    main = page.locator("main")
    expect(main).to_contain_text("Uploaded the greeting 'Returns menu' (2.5 s)")
    expect(main).to_contain_text("SHA-256")
    save_screenshot(page, "greeting-upload-audit-entry")


def test_the_greetings_page_plays_a_greeting(viewer_page):
    page = viewer_page
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Greetings").click()
    expect(page.get_by_role("heading", name="Greetings", level=1)).to_be_visible()
    player = page.get_by_label("Play the greeting Welcome to Northwind Outfitters")
    assert duration_of(player) > 5
    page.get_by_label("Find a greeting by name or words").fill("hold music")
    expect(page.get_by_text("Showing 1 of")).to_be_visible()
    save_screenshot(page, "greetings-page")
    assert_accessible(page)


def test_the_greeting_pages_fit_a_laptop_and_a_phone(editor_page):
    page = editor_page
    page.goto("/greetings/")
    welcome = page.get_by_role("link", name="Welcome to Northwind Outfitters", exact=True)
    detail = welcome.get_attribute("href")
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        for name, path in (
            ("greetings-page", "/greetings/"),
            ("greeting-detail", detail),
            ("greeting-new", "/greetings/new/"),
        ):
            page.goto(path)
            wide = page.evaluate("document.documentElement.scrollWidth")
            assert wide <= width, f"{path} is {wide} px wide at {width} px"
            save_screenshot(page, f"{name}-{width}")
