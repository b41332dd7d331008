"""The Greetings page: every greeting grouped by when it plays, with ▶, words and uses, for every
role; and what it costs in Talk API calls."""

import pytest
from django.urls import reverse

from greetings.models import GreetingScript
from sandbox import DEFAULT_API_TOKEN
from tests.greetings.helpers import greeting_named
from tests.ivr.page_html import html, text


@pytest.fixture
def page(as_viewer, sandbox):
    return html(as_viewer.get(reverse("greetings:list")))


def section(page, title: str):
    heading = next(h for h in page.select("section.greeting-section h2") if title in text(h))
    return heading.find_parent("section")


def item(page, name: str):
    items = page.select("li.greeting-item")
    return next(li for li in items if text(li.select_one(".greeting-name")) == name)


def test_greetings_are_grouped_by_when_callers_hear_them(page):
    titles = [text(h).split(" (")[0] for h in page.select("section.greeting-section h2")]
    assert titles == [
        "IVR menus",
        "Voicemail",
        "Waiting for an agent",
        "Callback",
        "Recording consent",
    ]
    ivr_names = [text(n) for n in section(page, "IVR menus").select(".greeting-name")]
    assert "Welcome to Northwind Outfitters" in ivr_names
    assert "Acoustic hold music" in text(section(page, "Waiting for an agent"))
    assert "Callback offer" in text(section(page, "Callback"))
    assert "Recording notice, press 3 to opt out" in text(section(page, "Recording consent"))


def test_each_greeting_plays_through_talkadmin_never_from_zendesk(page, sandbox):
    welcome = greeting_named(sandbox, "Welcome to Northwind Outfitters")
    audio = item(page, "Welcome to Northwind Outfitters").select_one("audio")
    assert audio["src"] == reverse("greetings:audio", args=[welcome["id"]])
    assert audio["preload"] == "none"  # 500 greetings fetch nothing until ▶ is pressed
    # The page holds no Zendesk address for the audio, nor its credentials.
    assert "/system/voice/uploads/" not in str(page)
    assert sandbox.client.base_url not in str(page.select_one("main"))
    assert DEFAULT_API_TOKEN not in str(page)


def test_defaults_are_marked_and_uses_are_linked(page, sandbox):
    welcome = item(page, "Welcome to Northwind Outfitters")
    uses = text(welcome.select_one(".greeting-where"))
    assert "Menu 'Main menu' of the IVR 'Main support line'" in uses
    main_line = sandbox.state.ivr_named("Main support line")["id"]
    assert welcome.select_one(f"a[href='{reverse('ivr:detail', args=[main_line])}']")
    defaults = [li for li in page.select("li.greeting-item") if "Zendesk default" in text(li)]
    assert defaults, "Zendesk's default greetings are shown, marked as such"
    assert "Zendesk default" not in text(welcome)


def test_a_greeting_with_words_shows_them(as_viewer, sandbox):
    welcome = greeting_named(sandbox, "Welcome to Northwind Outfitters")
    GreetingScript.objects.create(greeting_id=str(welcome["id"]), script="For billing press 1.")
    page = html(as_viewer.get(reverse("greetings:list")))
    assert text(item(page, "Welcome to Northwind Outfitters").select_one(".greeting-script")) == (
        "Its words: For billing press 1."
    )


def test_a_pending_greeting_shows_as_incomplete_with_no_broken_player(as_editor, sandbox):
    sandbox.state.add_greeting("Returns menu", category_id=5, recording=None)
    page = html(as_editor.get(reverse("greetings:list")))
    returns = item(page, "Returns menu")
    assert returns.select_one("audio") is None
    assert "No recording yet" in text(returns)
    assert "Incomplete" in text(returns)
    assert any(text(a).startswith("Try the upload again") for a in returns.select("a"))
    assert "1 greeting has no recording" in text(page.select_one("#incomplete-heading"))


def test_viewers_see_no_upload_controls_editors_do(as_viewer, as_editor, sandbox):
    sandbox.state.add_greeting("Returns menu", category_id=5, recording=None)
    seen = html(as_viewer.get(reverse("greetings:list")))
    assert seen.find("a", string="Upload a new greeting") is None
    assert "Try the upload again" not in text(seen)
    edited = html(as_editor.get(reverse("greetings:list")))
    assert edited.find("a", href=reverse("greetings:new"))


def test_the_page_is_in_the_navigation_for_every_role(as_viewer):
    page = html(as_viewer.get(reverse("ivr:list")))
    nav = page.select_one("nav.main-nav")
    assert nav.find("a", href=reverse("greetings:list"), string="Greetings")


def test_outsiders_are_refused(as_outsider, sandbox):
    assert as_outsider.get(reverse("greetings:list")).status_code == 403


def test_the_page_costs_three_calls_then_one(as_viewer, sandbox):
    sandbox.clear_requests()
    as_viewer.get(reverse("greetings:list"))
    first = sorted(r.path for r in sandbox.requests)
    assert first == [
        "/api/v2/channels/voice/greetings",
        "/api/v2/channels/voice/ivr",
        "/api/v2/channels/voice/phone_numbers",
    ]
    sandbox.clear_requests()
    as_viewer.get(reverse("greetings:list"))
    assert [r.path for r in sandbox.requests] == ["/api/v2/channels/voice/ivr"]
