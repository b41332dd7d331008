"""axe-core finds no serious or critical problem on any page of the site, in any main state.

Every page with a role is reached by following links from "/" as an admin (one page per URL
name), or listed in tests/browser/pages.py; each is screenshotted under test-artifacts/.
"""

from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve

from tests.browser.accessibility import (
    AXE_CORE_VERSION,
    accessibility_problems,
    assert_accessible,
)
from tests.browser.pages import PAGE_STATES, UNLINKED_PAGES
from tests.browser.test_audit_review import recording_turned_on  # noqa: F401 - a fixture
from tests.browser.windows import save_screenshot
from tests.site_map import allowed_methods, site_routes

NOT_CRAWLED = {"logout"}  # a button, never a link


def _url_name(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return None


def crawl(page, start: str = "/") -> dict[str, list[str]]:
    """Visit one page per URL name reachable by links from `start`; return each one's problems."""
    found: dict[str, list[str]] = {}
    queue = [start]
    while queue:
        path = queue.pop(0)
        name = _url_name(path)
        if name is None or name in found or name in NOT_CRAWLED:
            continue
        response = page.goto(path)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        landed = _url_name(page.url) or name  # "/" sends the admin on to their first page
        if landed in found:
            continue
        found[landed] = accessibility_problems(page)
        save_screenshot(page, landed.replace(":", "-"))
        # Downloads (an IVR's JSON export) are files, not pages: the browser would not open them.
        links = page.eval_on_selector_all(
            "a[href]:not([download])", "links => links.map(a => a.href)"
        )
        for href in links:
            target = urlsplit(urljoin(page.url, href))
            if target.netloc == urlsplit(page.url).netloc:
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return found


def test_every_page_with_a_role_has_no_serious_accessibility_problem(
    admin_page,
    as_admin,
    editor,
    recording_turned_on,  # noqa: F811
):
    found = crawl(admin_page)
    problems = {name: found_problems for name, found_problems in found.items() if found_problems}
    assert problems == {}

    pages = [
        route
        for route in site_routes()
        if route.required_role is not None and "GET" in allowed_methods(as_admin, route)
    ]
    unchecked = [r.name for r in pages if r.name not in found and r.name not in UNLINKED_PAGES]
    assert unchecked == [], (
        f"No link leads to {unchecked}: link them, or list them in UNLINKED_PAGES "
        "(tests/browser/pages.py) and check them in a PAGE_STATES entry."
    )


@pytest.mark.parametrize("state", PAGE_STATES, ids=str)
def test_each_main_state_has_no_serious_accessibility_problem(request, new_page, state):
    user = request.getfixturevalue(state.persona) if state.persona else None
    request.getfixturevalue("editor")  # Bob, whose row some states change
    page = new_page(user)
    state.reach(page)
    save_screenshot(page, state.name)
    assert_accessible(page)


def test_the_checks_run_the_vendored_axe_core_not_the_wrappers_older_copy(chromium):
    page = chromium.new_page()
    try:
        page.set_content("<!doctype html><html lang='en'><title>t</title><main>Hi</main></html>")
        assert accessibility_problems(page) == []
        assert page.evaluate("axe.version") == AXE_CORE_VERSION
    finally:
        page.close()
