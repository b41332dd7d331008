"""An auditor reviews the audit log: filters it, opens a change set, reads the before/after."""

import re

import pytest
from playwright.sync_api import expect

import audit
from audit.actor import Actor
from tests.browser.accessibility import assert_accessible
from tests.browser.windows import save_screenshot


@pytest.fixture
def recording_turned_on(served_talk, admin):
    """Alice turned call recording on for US Billing Direct, through the Talk API."""
    number = next(n for n in served_talk.list_phone_numbers() if n.nickname == "US Billing Direct")
    before = served_talk.get_phone_number(number.id).raw
    with audit.change_set(
        actor=Actor.for_user(admin, client_address="198.51.100.7"),
        action=audit.Action.UPDATE_PHONE_NUMBER,
        target_type=audit.TargetType.PHONE_NUMBER,
        target_id=number.id,
        target_name="US Billing Direct",
        summary="Turn call recording on for US Billing Direct",
        reason="Quality checks asked for by the support lead",
        before=before,
    ) as change:
        change.set_after(served_talk.update_phone_number(number.id, {"recorded": True}).raw)
    return change.change_set


def test_an_auditor_filters_the_log_and_reads_what_a_change_did(
    viewer_page, recording_turned_on, editor
):
    page = viewer_page
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", name="Audit log", level=1)).to_be_visible()
    results = page.locator("#log-results")
    expect(results.get_by_role("link", name="Add user bob (Bob Editor)")).to_be_visible()
    save_screenshot(page, "audit-log")

    page.get_by_label("What").select_option(label="Changed phone number settings")
    expect(page).to_have_url(re.compile(r"/audit/\?action=update_phone_number$"))
    expect(results.get_by_role("link", name="Add user bob (Bob Editor)")).to_have_count(0)
    change = results.get_by_role("link", name="Turn call recording on for US Billing Direct")
    expect(change).to_be_visible()
    assert_accessible(page)  # after the htmx swap of the results

    change.click()
    expect(
        page.get_by_role("heading", name="Turn call recording on for US Billing Direct")
    ).to_be_visible()
    changes = page.get_by_role("region", name="What changed")
    expect(changes).to_contain_text("Turned call recording on.")
    row = changes.get_by_role("row", name=re.compile("Call recording"))
    expect(row.get_by_role("cell").nth(0)).to_have_text("off")
    expect(row.get_by_role("cell").nth(1)).to_have_text("on")
    why = page.get_by_role("region", name="Why")
    expect(why).to_contain_text("Quality checks asked for by the support lead")
    calls = page.get_by_role("region", name="Talk API calls")
    expect(calls).to_contain_text("PUT /api/v2/channels/voice/phone_numbers/")
    save_screenshot(page, "audit-change-set")
    assert_accessible(page)
