"""An editor opens an IVR's History, reverts an earlier published change, and gets a draft.

The two changes are published through the services (as the editor page does), against the
sandbox the served site uses; the rest is done in the browser, with the keyboard where a
person would use it.
"""

import re
from functools import partial

import pytest
from playwright.sync_api import expect

from audit.actor import Actor
from ivr.engine.destinations import QueueForGroups
from ivr.engine.document import menu_key_for_id
from ivr.engine.edit import update_route
from ivr.models import Draft
from ivr.services import PublishOutcome, edit_draft, get_live_ivr, open_draft, publish_draft
from tests.browser.accessibility import assert_accessible
from tests.browser.windows import save_screenshot

ORDERS = "Orders & billing"


def _publish_key_2_to(client, user, *, ivr_id: int, group: str, reason: str):
    """Key 2 of "Orders & billing" now queues for `group`, published with `reason`."""
    document = get_live_ivr(ivr_id=ivr_id)
    menu = next(m for m in document.menus if m.name == ORDERS)
    group_id = next(g.id for g in client.list_groups() if g.name == group)
    actor = Actor.for_user(user, client_address="198.51.100.7")
    draft = open_draft(ivr_id=ivr_id, actor=actor)
    draft = edit_draft(
        draft=draft,
        edit=partial(
            update_route,
            menu_key=menu_key_for_id(menu.id),
            keypress="2",
            destination=QueueForGroups((group_id,)),
        ),
        actor=actor,
        expected_version=draft.version,
    )
    result = publish_draft(draft=draft, actor=actor, reason=reason)
    assert result.outcome == PublishOutcome.APPLIED, result.message
    return result.change_set


@pytest.fixture
def two_published_changes(served_talk, editor):
    main = next(ivr for ivr in served_talk.list_ivrs() if ivr.name == "Main support line")
    main_id = int(main.raw["id"])
    first = _publish_key_2_to(
        served_talk, editor, ivr_id=main_id, group="Sales", reason="Returns desk closed this week"
    )
    second = _publish_key_2_to(
        served_talk, editor, ivr_id=main_id, group="Billing", reason="Refunds go through Billing"
    )
    return main_id, first, second


def test_an_editor_reverts_a_published_change_from_history(
    editor_page, served_talk, two_published_changes
):
    main_id, first, _ = two_published_changes
    page = editor_page
    page.goto(f"/ivrs/{main_id}/")
    page.get_by_role("link", name="History", exact=True).click()

    expect(page.get_by_role("heading", name="History of Main support line")).to_be_visible()
    entries = page.locator(".history-entry")
    expect(entries).to_have_count(2)
    expect(entries.nth(0)).to_contain_text("Refunds go through Billing")  # newest first
    expect(entries.nth(1)).to_contain_text("Returns desk closed this week")
    expect(entries.nth(1)).to_contain_text("Bob Editor")
    expect(entries.nth(1)).to_contain_text("Applied")
    save_screenshot(page, "ivr-history-with-changes")
    assert_accessible(page)

    revert = entries.nth(1).get_by_role("button", name="Go back to how it was after this change")
    revert.focus()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"/ivrs/{main_id}/$"))
    restored = f"A draft now holds the IVR as it was after change #{first.pk}"
    expect(page.get_by_text(restored)).to_be_visible()
    # The IVR page now shows the draft: one change (key 2 of "Orders & billing" back on Sales,
    # checked in the stored draft below) that callers do not hear yet.
    expect(page.get_by_role("heading", name="You are editing a draft")).to_be_visible()
    expect(page.locator("#draft-banner")).to_contain_text("It has 1 change that callers do not")
    save_screenshot(page, "ivr-after-revert")
    draft = Draft.objects.get(ivr_id=main_id)
    assert draft.is_revert and draft.source_change_set_id == first.pk
    orders = next(m for m in draft.ivr_document().menus if m.name == ORDERS)
    key_2 = next(r for r in orders.routes if r.keypress == "2")
    sales = next(g.id for g in served_talk.list_groups() if g.name == "Sales")
    assert key_2.destination == QueueForGroups((sales,))  # as after the first change

    # Reverting again, to the newer change, asks before replacing the draft just made.
    page.goto(f"/ivrs/{main_id}/history/")
    entries.nth(0).get_by_role("button", name="Go back to how it was after this change").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("The draft was not replaced")
    expect(alert.get_by_role("button", name="Replace the draft with this version")).to_be_visible()
    save_screenshot(page, "ivr-history-replace-draft")
    assert_accessible(page)
