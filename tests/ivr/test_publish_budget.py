"""A publish the rate budget cannot take now is refused before anything is sent, and the admin
is told how long to wait; the draft and the reason stay as they were."""

import re
import threading
from functools import partial

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from audit.models import ChangeSet
from ivr.engine.edit import add_menu, rename_ivr
from ivr.services import PublishOutcome, edit_draft, open_draft, preview_publish, publish_draft
from ivr.services.summaries import over_budget_message
from talk.budget_stores import CacheBudgetStore
from talk.client import RateRoom
from talk.pacing import RateBudget
from talk.wsgi_transport import WsgiAdapter
from tests.ivr.drafting import ORDERS, actor, group_id, ivr_id, live_route, send_to_group
from tests.ivr.editor_pages import add_menu as add_menu_on_page
from tests.ivr.editor_pages import draft_of, menu_key_named, post, start_draft
from tests.ivr.page_html import html, text

LIMIT = 10


@pytest.fixture
def main_line(sandbox) -> int:
    return sandbox.state.ivr_named("Main support line")["id"]


def low_budget(sandbox, *, spent: int, limit: int = LIMIT) -> RateBudget:
    """Zendesk and TalkAdmin both allow `limit` calls a minute, `spent` of them already used."""
    sandbox.set_rate_limit(limit)
    store = CacheBudgetStore(cache=cache, account="publish-budget", keep_seconds=180)
    budget = RateBudget(store=store, limit=limit)
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
    add_menu_on_page(as_editor, main_line, "Promotions")
    url = reverse("ivr:publish", args=[main_line])
    as_editor.get(url)  # the preview: the lookups and numbers' settings are now kept
    draft = draft_of(main_line)
    # The publish reads the live IVR (1 call), then needs its 2 writes held: only 1 is left.
    low_budget(sandbox, spent=LIMIT - 2)
    sandbox.clear_requests()
    change_sets = ChangeSet.objects.count()

    response = as_editor.post(url, {"reason": "Sales takes orders", "version": draft.version})

    assert [r.method for r in sandbox.requests] == ["GET"]  # the conflict check, no write
    page = html(response)
    outcome = text(page.select_one(".outcome"))
    # Held before the first write: the 2 writes, a re-read should a create's answer be lost,
    # and the retries one call may take (TALK_RETRIES, 3).
    assert re.search(
        r"Zendesk allows 1 more call this minute; this publish needs 2 changes \(6 calls to "
        r"Zendesk, with room to check and retry\)\. Wait \d+ seconds and publish again — "
        r"nothing was changed\.",
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
    # The read, then the one write held with room for its 3 retries.
    low_budget(sandbox, spent=LIMIT - 5)

    response = as_editor.post(url, {"reason": "Sales takes orders", "version": draft.version})

    assert "Published" in text(html(response).select_one(".outcome"))
    assert [r.method for r in sandbox.requests if r.method != "GET"] == ["PUT"]


def test_a_publish_bigger_than_a_whole_minute_of_budget_says_to_publish_in_parts():
    message = over_budget_message(
        RateRoom(needed=254, available=200, fits=False, wait_seconds=float("inf"), limit=200),
        changes=250,
    )

    assert message.startswith(
        "This publish needs 250 changes (254 calls to Zendesk, with room to check and retry), "
        "more than the 200 calls Zendesk allows in a minute"
    )
    assert message.endswith("nothing was changed.")


# --- Two publishes at once ----------------------------------------------------------------------


class _PausedAtFirstWrite:
    """The sandbox's WSGI app, holding the first write to one IVR until told to go on."""

    def __init__(self, app, ivr: int):
        self.app, self.path = app, f"/api/v2/channels/voice/ivr/{ivr}/"
        self.reached, self.go_on = threading.Event(), threading.Event()

    def __call__(self, environ, start_response):
        write = environ["REQUEST_METHOD"] != "GET"
        if write and environ["PATH_INFO"].startswith(self.path) and not self.reached.is_set():
            self.reached.set()
            self.go_on.wait(timeout=60)
        return self.app(environ, start_response)


def test_two_publishes_at_once_on_a_small_budget_one_waits_and_neither_stops_half_way(
    transactional_db, editor, admin, sandbox
):
    main_line = ivr_id(sandbox)
    billing_line = ivr_id(sandbox, "Sales & orders")
    # A: the main line's "Orders & billing" gets two changes (a route changed, a menu added).
    first = open_draft(ivr_id=main_line, actor=actor(editor))
    first = edit_draft(
        draft=first,
        edit=send_to_group(sandbox, menu=ORDERS, keypress="2", group="Sales"),
        actor=actor(editor),
        expected_version=first.version,
    )
    first = edit_draft(
        draft=first,
        edit=partial(add_menu, name="Promotions"),
        actor=actor(editor),
        expected_version=first.version,
    )
    # B: another IVR, one change.
    second = open_draft(ivr_id=billing_line, actor=actor(admin))
    second = edit_draft(
        draft=second,
        edit=partial(rename_ivr, name="Sales & orders (new)"),
        actor=actor(admin),
        expected_version=second.version,
    )
    preview_publish(draft=first)  # the lookups are cached: each publish now reads its IVR once
    preview_publish(draft=second)
    budget = low_budget(sandbox, spent=0, limit=40)
    paused = _PausedAtFirstWrite(sandbox.app, main_line)
    sandbox.client.transport.mount(WsgiAdapter(paused))
    results = {}

    def publish_first():
        try:
            results["first"] = publish_draft(draft=first, actor=actor(editor), reason="Promotions")
        finally:
            connection.close()

    running = threading.Thread(target=publish_first)
    running.start()
    assert paused.reached.wait(timeout=60), "the first publish never reached its first write"
    # While A is between its first and second write, other work leaves room for B's read of
    # its IVR and its one write, as the old up-front check counted them, and no more.
    while budget.room() > 2:
        budget.acquire(max_wait=0)

    second_result = publish_draft(draft=second, actor=actor(admin), reason="New name")
    paused.go_on.set()
    running.join(timeout=120)

    assert second_result.outcome is PublishOutcome.OVER_BUDGET
    assert re.fullmatch(
        r"Zendesk allows \d+ more calls? this minute; this publish needs 1 change \(\d+ calls to "
        r"Zendesk, with room to check and retry\)\. Wait \d+ seconds? and publish again — "
        r"nothing was changed\.",
        second_result.message,
    ), second_result.message
    assert sandbox.state.ivrs[billing_line]["name"] == "Sales & orders"  # nothing sent for B
    assert draft_of(billing_line).version == second.version  # B's draft kept as it was
    assert results["first"].outcome is PublishOutcome.APPLIED, results["first"].message
    assert sandbox.state.menu_named(main_line, "Promotions") is not None
    assert live_route(sandbox, ORDERS, "2")["options"]["group_ids"] == [group_id(sandbox, "Sales")]
