"""A browser window on the served site, signed in as someone without typing a password."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.test import Client

from tests.browser.live_site import LiveSite

VIEWPORT = {"width": 1280, "height": 900}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@dataclass
class Window:
    """A Playwright page in its own context (its own cookies), and what went wrong in it."""

    context: object
    page: object
    problems: list[str] = field(default_factory=list)

    def screenshot(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.page.screenshot(path=str(path), full_page=True, caret="initial")
        except Exception as error:  # a closed or crashed page must not hide the test's failure
            self.problems.append(f"no screenshot: {error}")

    def close(self) -> None:
        self.context.close()


def session_cookie(user, *, site: LiveSite) -> dict:
    """A session for `user`, written to the database as signing in would (the site shares the
    test process's SECRET_KEY, so it accepts it)."""
    client = Client()
    client.force_login(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value, "url": site.url}


def open_window(browser, *, site: LiveSite, user=None) -> Window:
    """A new window on `site`, signed in as `user` (None: not signed in)."""
    context = browser.new_context(
        base_url=site.url,
        viewport=VIEWPORT,
        locale="en-GB",
        timezone_id="UTC",
        reduced_motion="reduce",
    )
    context.set_default_timeout(10_000)
    if user is not None:
        context.add_cookies([session_cookie(user, site=site)])
    page = context.new_page()
    window = Window(context=context, page=page)
    page.on("pageerror", lambda error: window.problems.append(f"JavaScript error: {error}"))
    page.on("console", lambda message: _console(window, message))
    return window


def _console(window: Window, message) -> None:
    # A refused inline script or style shows here; so does any script error htmx logs.
    if message.type == "error" and "Content Security Policy" in message.text:
        window.problems.append(f"CSP refused something: {message.text}")


def save_screenshot(page, name: str) -> Path:
    """A full-page screenshot under test-artifacts/screenshots/, for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True, caret="initial")
    return path
