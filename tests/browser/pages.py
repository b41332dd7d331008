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
UNLINKED_PAGES: dict[str, str] = {}


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
    PageState("number-settings-with-an-error", "editor", _number_settings_error),
    PageState("numbers-searched", "viewer", _numbers_searched),
]
