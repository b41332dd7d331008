"""A publish the rate budget cannot take now is refused before anything is sent, and the admin
is told how long to wait; the draft and the reason stay as they were."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from audit.models import ChangeSet
from ivr.services.summaries import over_budget_message
from talk.client import RateRoom
from talk.pacing import RateBudget
from tests.ivr.drafting import ORDERS, group_id
from tests.ivr.editor_pages import add_menu, draft_of, menu_key_named, post, start_draft
from tests.ivr.page_html import html, text

LIMIT = 10


@pytest.fixture
def main_line(sandbox) -> int:
    return sandbox.state.ivr_named("Main support line")["id"]


def low_budget(sandbox, *, spent: int) -> RateBudget:
    """Zendesk and TalkAdmin both allow LIMIT calls a minute, `spent` of them already used."""
    sandbox.set_rate_limit(LIMIT)
    budget = RateBudget(cache=cache, limit=LIMIT, namespace="publish-budget")
    sandbox.client.transport.budget = budget
    for _ in range(spent):
        budget.acquire(max_wait=0)
    return budget


def test_a_publish_bigger_than_the_budget_sends_nothing_and_says_when_to_try_again(
    as_editor, main_line, sandbox
):
    start_draft(as_editor, main_line)
    orders = menu_key_named(main_line, ORDERS)
    sales = str(group_id(sandbox, "Sales"))
    post(
        as_editor,
        "route_change",
        [main_line, orders, "2"],
        {"keypress": "2", "action": "group", "group_ids": [sales]},
    )
    add_menu(as_editor, main_line, "Promotions")
    url = reverse("ivr:publish", args=[main_line])
    as_editor.get(url)  # the preview: the lookups and numbers' settings are now kept
    draft = draft_of(main_line)
    # The publish reads the live IVR (1 call), then needs 2 writes: only 1 is left.
    low_budget(sandbox, spent=LIMIT - 2)
    sandbox.clear_requests()
    change_sets = ChangeSet.objects.count()

    response = as_editor.post(url, {"reason": "Sales takes orders", "version": draft.version})

    assert [r.method for r in sandbox.requests] == ["GET"]  # the conflict check, no write
    page = html(response)
    outcome = text(page.select_one(".outcome"))
    assert re.search(
        r"Zendesk allows 1 more change this minute; this publish needs 2\. "
        r"Try again in \d+ seconds — nothing was changed\.",
        outcome,
    ), outcome
    assert "Not published" in outcome
    assert page.select_one("#id_reason").get_text().strip() == "Sales takes orders"
    assert ChangeSet.objects.count() == change_sets
    kept = draft_of(main_line)
    assert kept.version == draft.version
    assert kept.document == draft.document


def test_a_publish_that_fits_the_budget_is_made(as_editor, main_line, sandbox):
    start_draft(as_editor, main_line)
    orders = menu_key_named(main_line, ORDERS)
    sales = str(group_id(sandbox, "Sales"))
    post(
        as_editor,
        "route_change",
        [main_line, orders, "2"],
        {"keypress": "2", "action": "group", "group_ids": [sales]},
    )
    url = reverse("ivr:publish", args=[main_line])
    as_editor.get(url)
    draft = draft_of(main_line)
    low_budget(sandbox, spent=LIMIT - 2)  # the read and the one write

    response = as_editor.post(url, {"reason": "Sales takes orders", "version": draft.version})

    assert "Published" in text(html(response).select_one(".outcome"))
    assert [r.method for r in sandbox.requests if r.method != "GET"] == ["PUT"]


def test_a_publish_bigger_than_a_whole_minute_of_budget_says_to_publish_in_parts():
    message = over_budget_message(
        RateRoom(needed=250, available=200, fits=False, wait_seconds=float("inf"), limit=200)
    )

    assert message.startswith("This publish needs 250 changes, more than the 200 Zendesk allows")
    assert message.endswith("nothing was changed.")
