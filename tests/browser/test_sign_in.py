"""Signing in, as a person does it in a browser."""

import re

from playwright.sync_api import expect

from audit.actor import Actor
from core.roles import VIEWER
from talkadmin.accounts import create_user
from tests.browser.accessibility import assert_accessible
from tests.browser.windows import save_screenshot

PASSWORD = "a long and memorable passphrase"


def _erin():
    return create_user(
        username="erin",
        password=PASSWORD,
        role=VIEWER,
        display_name="Erin Example",
        actor=Actor.system("test set-up"),
    )


def _sign_in(page, username: str, password: str) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_a_wrong_password_is_explained_and_the_right_one_opens_the_page_asked_for(
    new_page, real_password_hashing
):
    _erin()
    page = new_page()
    page.goto("/audit/")
    expect(page).to_have_url(re.compile(r"/sign-in/\?next=/audit/"))
    expect(page.get_by_role("heading", name="Sign in to TalkAdmin")).to_be_visible()
    save_screenshot(page, "sign-in")
    assert_accessible(page)

    _sign_in(page, "erin", "not my password")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Please enter a correct username and password")
    expect(page.get_by_label("Username")).to_have_value("erin")  # nothing typed is lost
    save_screenshot(page, "sign-in-wrong-password")
    assert_accessible(page)

    _sign_in(page, "erin", PASSWORD)
    expect(page.get_by_role("heading", name="Audit log", level=1)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/audit/$"))
    expect(page.get_by_role("banner")).to_contain_text("Erin Example")
    expect(page.get_by_role("banner")).to_contain_text("Viewer")


def test_repeated_wrong_passwords_pause_signing_in_with_a_plain_message(new_page, settings):
    page = new_page()
    page.goto("/sign-in/")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(page, "erin", f"guess number {attempt}")
    expect(page.get_by_role("alert")).to_contain_text(
        "Too many failed sign-ins for this username or from this network address"
    )
    expect(page.get_by_role("alert")).to_contain_text("try again in 15 minutes")
    save_screenshot(page, "sign-in-paused")
    assert_accessible(page)
