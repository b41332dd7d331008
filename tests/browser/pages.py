"""Which pages the accessibility checks open, beyond those the crawl finds by following links.

The crawl (tests/browser/test_accessibility.py) signs in as an admin, starts at "/", follows
every link, and checks one page per URL name; a new page linked from anywhere is checked with
no change here. Add to this module:
- UNLINKED_PAGES: a page with a role that no link reaches (say where it is checked instead);
- PAGE_STATES: a state links cannot reach: an error shown, a swap done, another role's view.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import expect

# URL name -> why the crawl cannot reach it and which check covers it.
_IN_A_DRAFT = (
    "linked only from an IVR's draft, which the crawl does not start; see the ivr-draft-* states"
)
UNLINKED_PAGES: dict[str, str] = {
    "ivr:ivr_rename": _IN_A_DRAFT,
    "ivr:menu_add": _IN_A_DRAFT,
    "ivr:menu_change": _IN_A_DRAFT,
    "ivr:route_add": _IN_A_DRAFT + " (ivr-draft-form-page)",
    "ivr:route_change": _IN_A_DRAFT + " (ivr-draft-route-form-open)",
    "ivr:publish": _IN_A_DRAFT + " (ivr-draft-publish-preview)",
    "ivr:publish_release": "linked only while a publish of a draft has not finished; see "
    "ivr-draft-publish-stuck",
    "ivr:check_number": "the route form asks it as the number is typed; its page: ivr-number-check",
    "ivr:export": "a JSON download, not a page (linked from the IVR page and the IVR list); "
    "tests/ivr/test_admin_pages.py checks the file",
    "greetings:audio": "a recording, not a page: the players' source (tests/greetings/"
    "test_playing.py; the browser test plays one)",
    "greetings:status": "asked by a greeting's page while Zendesk prepares a recording; its page: "
    "greeting-status",
    "greetings:rename": "a greeting's page holds its rename form; its own page: "
    "greeting-rename-refused",
    "numbers:undo": "linked from a number's page and history once TalkAdmin has changed its "
    "settings (the crawl's demo account has no such change); tests/numbers/test_undo.py opens "
    "it, undoes a change and checks the words",
    "changes:approval": "linked from Waiting for approval once a request exists; "
    "tests/browser/test_change_control.py opens one and checks it with axe",
    "changes:ask": "the publish page of a protected IVR's draft posts to it; it shows again "
    "only with an error (tests/changes/test_approvals.py)",
    "changes:schedule": "the publish page's Publish later form posts to it; it shows again "
    "only with an error (tests/changes/test_schedules.py); Upcoming changes, where it leads, "
    "is checked with axe in tests/browser/test_change_control.py",
}


@dataclass(frozen=True)
class PageState:
    """A page in a given state: `reach(page)` gets there; `persona` is who is signed in
    ("admin", "editor", "viewer", "outsider", or None for nobody)."""

    name: str
    persona: str | None
    reach: Callable[[object], None]

    def __str__(self) -> str:
        return self.name


def _filtered_log(page) -> None:
    page.goto("/audit/")
    page.get_by_label("What").select_option(label="Added a user")
    expect(page).to_have_url(re.compile(r"action=add_user"))


def _bad_filter(page) -> None:
    page.goto("/audit/")
    page.get_by_label("From").fill("2026-02-10")
    page.get_by_label("To", exact=True).fill("2026-02-01")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("Some filters could not be used")).to_be_visible()
    expect(page.get_by_text("The end date is before the start date.")).to_be_visible()


def _add_user_errors(page) -> None:
    page.goto("/users/add/")
    page.get_by_role("button", name="Add the user").click()
    expect(page.get_by_text("Nobody was added")).to_be_visible()


def _role_refused_in_place(page) -> None:
    page.goto("/users/")
    row = page.get_by_role("row", name=re.compile("Bob Editor"))
    row.get_by_text("Change Bob Editor").click()
    row.get_by_role("button", name="Change role").click()  # he already has that role
    expect(row.get_by_role("alert")).to_contain_text("already has the Editor role")


def _verified(page) -> None:
    page.goto("/audit/verify/")
    expect(page.get_by_text("The audit log is intact.")).to_be_visible()


def _main_line(page) -> str:
    """The IVR page of "Main support line", reached from the IVR list; returns its address."""
    page.goto("/ivrs/")
    page.get_by_role("link", name="Main support line", exact=True).click()
    expect(page.get_by_role("heading", name="Main support line", level=1)).to_be_visible()
    return page.url


def _create_ivr_errors(page) -> None:
    page.goto("/ivrs/new/")
    page.get_by_label("Name").fill("Main support line")
    page.get_by_label("Why").fill("A second line")
    page.get_by_role("button", name="Create the IVR").click()
    expect(page.get_by_text("There is already an IVR called")).to_be_visible()


def _delete_ivr_errors(page) -> None:
    page.goto(_main_line(page) + "delete/")
    page.get_by_label("Type the IVR's name to confirm").fill("main")
    page.get_by_label("Why").fill("Replaced by the new line")
    page.get_by_role("button", name="Delete the IVR").click()
    expect(page.get_by_text("exactly as shown to confirm")).to_be_visible()


def _numbers_taken_from_another_ivr(page) -> None:
    page.goto(_main_line(page) + "numbers/")
    page.get_by_label("Find a number by name or number").fill("sales")
    expect(page.get_by_text("Showing 1 of 13.")).to_be_visible()
    expect(page.get_by_role("checkbox", name=re.compile("US Main Support"))).to_be_hidden()
    page.get_by_role("checkbox", name=re.compile("US Sales")).check()
    page.get_by_label("Why").fill("Sales line closes")
    page.get_by_role("button", name="Save the numbers").click()
    expect(page.get_by_text("Moving numbers from another IVR")).to_be_visible()
    # The numbers hidden by the search stayed ticked, and were sent with the form.
    expect(page.get_by_role("checkbox", name=re.compile("US Main Support"))).to_be_checked()


def _import_bad_file(page) -> None:
    page.goto(_main_line(page) + "import/")
    page.get_by_label("Exported IVR file (.json)").set_input_files(
        files=[{"name": "notes.json", "mimeType": "application/json", "buffer": b"not json"}]
    )
    page.get_by_role("button", name="Import as a draft").click()
    expect(page.get_by_text("This file is not JSON")).to_be_visible()


def _number_settings_error(page) -> None:
    page.goto("/numbers/")
    page.get_by_role("link", name="US Billing Direct").click()
    page.get_by_role("link", name="Change queue settings").click()
    page.get_by_label("Most callers waiting").fill("99")
    page.get_by_label("Why are you making this change?").fill("Busy season")
    page.get_by_role("button", name="Save queue").click()
    expect(page.get_by_text("Enter a whole number from 1 to 50.")).to_be_visible()


def _numbers_searched(page) -> None:
    page.goto("/numbers/")
    page.get_by_label("Search by name or digits").fill("dublin")
    expect(page).to_have_url(re.compile(r"q=dublin"))
    expect(page.get_by_role("link", name="Ireland Support Dublin")).to_be_visible()


def _editing_main_line(page) -> None:
    page.goto("/ivrs/")
    page.get_by_role("link", name="Main support line").click()
    page.get_by_role("button", name="Edit this IVR").click()
    expect(page.get_by_role("heading", name="You are editing a draft")).to_be_visible()


def _route_form_open(page) -> None:
    _editing_main_line(page)
    page.get_by_role("link", name="Change Press 3 in Main menu").click()
    expect(page.locator("#route-change-form")).to_be_visible()


def _route_form_error(page) -> None:
    _route_form_open(page)
    form = page.locator("#route-change-form")
    form.get_by_label("Transfer the call to an outside number").check()
    form.get_by_label("Outside number", exact=True).fill("555 0123")
    form.get_by_role("button", name="Save the change").click()
    expect(form.get_by_role("alert")).to_contain_text("Nothing was changed")


def _form_page(page) -> None:
    _editing_main_line(page)
    page.goto(page.get_by_role("link", name="Add a key to Main menu").get_attribute("href"))
    expect(page.get_by_role("heading", name="Add a key to Main menu", level=1)).to_be_visible()


def _publish_preview(page) -> None:
    _editing_main_line(page)
    page.get_by_role("link", name="Change Press 3 in Main menu").click()
    page.locator("#route-change-form").get_by_label("Go to another menu").check()
    page.get_by_label("Menu", exact=True).select_option(label="Orders & billing")
    page.get_by_role("button", name="Save the change").click()
    page.get_by_role("link", name="Review and publish").click()
    expect(page.get_by_role("heading", name="What publishing changes")).to_be_visible()


def _publish_stuck(page) -> None:
    """A publish whose worker died five minutes ago still holds the draft: release it."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from ivr.models import Draft

    _editing_main_line(page)
    Draft.objects.update(
        publishing_since=timezone.now() - timedelta(minutes=5),
        publishing_by=get_user_model().objects.get(username="bob"),
    )
    page.get_by_role("link", name="Review and publish").click()
    page.get_by_role("link", name="If it is stuck, release it…").click()
    expect(
        page.get_by_role("heading", name="Release a publish that did not finish")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="What Zendesk holds now")).to_be_visible()


def _number_check(page) -> None:
    _editing_main_line(page)
    ivr_page = page.url.split("#")[0]
    page.goto(f"{ivr_page}draft/check-number/?phone_number=555")
    expect(page.get_by_text("Start with + and the country code")).to_be_visible()


GREETING_STATUS = "/greetings/voicemail_en/status/"


def _greeting_upload_errors(page) -> None:
    page.goto("/greetings/new/")
    page.get_by_label("Recording (MP3 or WAV, up to 10 MB)").set_input_files(
        files=[{"name": "notes.wav", "mimeType": "audio/wav", "buffer": b"not audio at all"}]
    )
    page.get_by_role("button", name="Upload the greeting").click()
    expect(page.get_by_text("Nothing was sent to Zendesk")).to_be_visible()
    expect(page.get_by_text("Give the greeting a name")).to_be_visible()


def _greeting_rename_refused(page) -> None:
    page.goto("/greetings/voicemail_en/rename/")
    page.get_by_role("button", name="Rename").click()
    expect(page.get_by_text("one of Zendesk's default greetings")).to_be_visible()


PAGE_STATES: list[PageState] = [
    PageState("greeting-upload-with-errors", "editor", _greeting_upload_errors),
    PageState("greeting-rename-refused", "editor", _greeting_rename_refused),
    PageState(
        "greeting-status", "viewer", lambda page: page.goto("/greetings/voicemail_en/status/")
    ),
    PageState("sign-in", None, lambda page: page.goto("/sign-in/")),
    PageState("not-found", "viewer", lambda page: page.goto("/audit/987654/")),
    PageState("forbidden", "viewer", lambda page: page.goto("/users/")),
    PageState("welcome-without-a-role", "outsider", lambda page: page.goto("/")),
    PageState("audit-log-filtered", "viewer", _filtered_log),
    PageState("audit-log-bad-filter", "viewer", _bad_filter),
    PageState("audit-log-verified", "admin", _verified),
    PageState("users-add-with-errors", "admin", _add_user_errors),
    PageState("users-role-refused-in-place", "admin", _role_refused_in_place),
    PageState("ivr-create-with-errors", "admin", _create_ivr_errors),
    PageState("ivr-delete-with-errors", "admin", _delete_ivr_errors),
    PageState("ivr-numbers-taken-from-another-ivr", "editor", _numbers_taken_from_another_ivr),
    PageState("ivr-import-bad-file", "editor", _import_bad_file),
    PageState(
        "ivr-history-as-viewer", "viewer", lambda page: page.goto(_main_line(page) + "history/")
    ),
    PageState("number-settings-with-an-error", "editor", _number_settings_error),
    PageState("numbers-searched", "viewer", _numbers_searched),
    PageState("ivr-draft-route-form-open", "editor", _route_form_open),
    PageState("ivr-draft-route-form-error", "editor", _route_form_error),
    PageState("ivr-draft-form-page", "editor", _form_page),
    PageState("ivr-draft-publish-preview", "editor", _publish_preview),
    PageState("ivr-number-check", "editor", _number_check),
    PageState("ivr-draft-publish-stuck", "editor", _publish_stuck),
]
