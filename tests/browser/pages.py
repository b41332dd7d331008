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
UNLINKED_PAGES: dict[str, str] = {
    "ivr:export": "a JSON download, not a page (linked from the IVR page and the IVR list); "
    "tests/ivr/test_admin_pages.py checks the file",
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


PAGE_STATES: list[PageState] = [
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
]
