"""Browser tests: Debian's Chromium, driven by Playwright, against the site served by gunicorn.

Fixtures (see README.md, "Browser tests"):
- `site` (LiveSite): the served site for this test, its sandbox reset to the demo account; the
  database is the test database, committed (transactional), so the test's users and audit rows
  are what the site sees. `site.sandbox` is the RunningSandbox (faults: `set_faults`).
- `new_page(user=None) -> Page`: a fresh browser window, signed in as `user` (no password typed)
  or not signed in; `admin_page`, `editor_page`, `viewer_page` are the personas' windows.
Every window fails its test on a JavaScript error or a Content-Security-Policy refusal, and a
failing test leaves a screenshot in test-artifacts/browser/failures/.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.live_site import LiveSite, start_live_site
from tests.browser.windows import Window, open_window
from tests.conftest import ensure_role_groups

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    report = yield
    if report.when == "call":
        item.call_failed = report.failed  # read by the windows' teardown (failure screenshots)
    return report


@pytest.fixture(scope="package")
def chromium():
    """One Chromium for all browser tests (started once, closed after the last of them)."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing. `make test` installs it (apt-get install chromium, as root); "
            "without root, install Debian's chromium package, or run `make test-fast`."
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread, which Django's ORM takes for an
    # async context; the tests' own database calls are plain synchronous ones.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def live_site(django_db_setup) -> Iterator[LiveSite]:
    """gunicorn and the sandbox, started once for the session (after the test database)."""
    site = start_live_site(secret_key=settings.SECRET_KEY, artifacts=ARTIFACTS)
    yield site
    site.stop()


@pytest.fixture
def site(live_site: LiveSite, transactional_db) -> LiveSite:
    live_site.reset()
    ensure_role_groups()
    return live_site


@pytest.fixture
def new_page(chromium, site: LiveSite, request) -> Iterator[Callable[..., object]]:
    windows: list[Window] = []

    def open_page(user=None):
        window = open_window(chromium, site=site, user=user)
        windows.append(window)
        return window.page

    yield open_page
    failed = getattr(request.node, "call_failed", False)
    problems = []
    for number, window in enumerate(windows):
        if failed:
            window.screenshot(ARTIFACTS / "failures" / f"{request.node.name}-{number}.png")
        problems += window.problems
        window.close()
    if not failed:
        assert problems == [], f"the page reported errors: {problems}"


@pytest.fixture
def admin_page(new_page, admin):
    return new_page(admin)


@pytest.fixture
def editor_page(new_page, editor):
    return new_page(editor)


@pytest.fixture
def viewer_page(new_page, viewer):
    return new_page(viewer)


@pytest.fixture
def served_talk(site: LiveSite, settings):
    """The test's own Talk client, pointed at the sandbox the site uses: seed or inspect what
    the site sees through the real API (`served_talk.update_phone_number(...)`), inside an
    audit change set for writes."""
    import talk

    settings.TALK_BASE_URL = site.sandbox.base_url
    settings.TALK_SUBDOMAIN = ""
    settings.TALK_EMAIL = site.sandbox.email
    settings.TALK_API_TOKEN = site.secrets["TALK_API_TOKEN"]
    settings.TALK_OAUTH_TOKEN = ""
    settings.TALK_RATE_LIMIT_PER_MINUTE = 100_000
    talk.reset_client()
    yield talk.get_client()
    talk.reset_client()


@pytest.fixture
def real_password_hashing(settings) -> None:
    """Passwords hashed as the served site checks them (the fast test hasher is not there):
    for users who will type their password into the sign-in page."""
    from django.conf import global_settings

    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
