"""Approval by a second person in a real browser, against the served site and sandbox: an admin
protects the main line, an editor's publish becomes *Ask for approval*, and the admin finds
the request under *Waiting for approval*, reviews the same preview and approves it, which
publishes it."""

from functools import partial

from playwright.sync_api import expect

from audit.actor import Actor
from ivr.engine.edit import rename_ivr
from ivr.services import edit_draft, open_draft
from tests.browser.accessibility import assert_accessible
from tests.browser.windows import save_screenshot

MAIN_LINE = "Main support line"


def test_an_editor_asks_for_approval_and_an_admin_approves_it_which_publishes_it(
    new_page, admin, editor, served_talk
):
    main_line = next(ivr for ivr in served_talk.list_ivrs() if ivr.name == MAIN_LINE).id
    admin_page = new_page(admin)
    admin_page.goto(f"/ivrs/{main_line}/")
    admin_page.get_by_role("link", name="Protect").click()
    admin_page.get_by_label("Why?").fill("Our busiest line: two people check every change.")
    admin_page.get_by_role("button", name="Protect this IVR").click()
    expect(admin_page.get_by_text("Protected: publishing needs approval")).to_be_visible()
    # Bob renames the line in the draft (the editor pages have browser tests of their own).
    draft = open_draft(ivr_id=main_line, actor=Actor.for_user(editor))
    edit_draft(
        draft=draft,
        edit=partial(rename_ivr, name="Main support line (2027)"),
        actor=Actor.for_user(editor),
        expected_version=draft.version,
    )

    page = new_page(editor)
    page.goto(f"/ivrs/{main_line}/publish/")
    expect(page.get_by_role("button", name="Publish to Zendesk")).to_have_count(0)
    page.get_by_label("Why is this change needed?").fill("The new year's name")
    page.get_by_role("button", name="Ask for approval").click()
    expect(page.get_by_role("heading", name="Publish Main support line?")).to_be_visible()
    expect(page.get_by_text("Waiting for approval").first).to_be_visible()
    expect(page.get_by_text("You asked for this change")).to_be_visible()

    admin_page.reload()  # the navigation counts what waits now
    admin_page.get_by_role("link", name="Waiting for approval 1 waiting").click()
    admin_page.get_by_role("link", name=MAIN_LINE).click()
    expect(admin_page.get_by_text("The new year's name")).to_be_visible()
    expect(admin_page.get_by_role("heading", name="Before and after")).to_be_visible()
    assert_accessible(admin_page)
    save_screenshot(admin_page, "change-control-request")
    admin_page.set_viewport_size({"width": 390, "height": 844})
    save_screenshot(admin_page, "change-control-request-390")
    admin_page.set_viewport_size({"width": 1280, "height": 900})
    admin_page.get_by_label("Comment (optional)").fill("Checked with the team")
    admin_page.get_by_role("button", name="Approve and publish").click()

    expect(admin_page.get_by_text("Approved and published").first).to_be_visible()
    assert served_talk.get_ivr(main_line).name == "Main support line (2027)"
    admin_page.get_by_role("link", name="The publish in the audit log").click()
    expect(admin_page.get_by_text("Asked by")).to_be_visible()
    expect(admin_page.get_by_text("Bob Editor").first).to_be_visible()


def test_an_editor_schedules_a_holiday_ivr_with_its_change_back_then_cancels_it(
    new_page, editor, served_talk
):
    holiday = next(ivr for ivr in served_talk.list_ivrs() if ivr.name == "Holiday closure").id
    draft = open_draft(ivr_id=holiday, actor=Actor.for_user(editor))
    edit_draft(
        draft=draft,
        edit=partial(rename_ivr, name="Holiday closure (Christmas)"),
        actor=Actor.for_user(editor),
        expected_version=draft.version,
    )
    page = new_page(editor)
    page.goto(f"/ivrs/{holiday}/publish/")
    later = page.get_by_role("region", name="Publish later")
    later.get_by_label("Publish at (UTC time)").fill("2030-12-24T18:00")
    later.get_by_label("Change back at (optional) (UTC time)").fill("2030-12-27T08:00")
    later.get_by_label("Why schedule this change?").fill("Closed over Christmas")
    later.get_by_role("button", name="Schedule").click()

    expect(page.get_by_role("heading", name="Upcoming changes", level=1)).to_be_visible()
    coming = page.get_by_role("region", name="Coming up (1)")
    expect(coming.get_by_text("24 Dec 2030, 18:00 UTC")).to_be_visible()
    expect(coming.get_by_text("changes back 27 Dec 2030, 08:00 UTC")).to_be_visible()
    expect(coming.get_by_text("Closed over Christmas")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "change-control-upcoming")
    page.set_viewport_size({"width": 390, "height": 844})
    save_screenshot(page, "change-control-upcoming-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    coming.get_by_role("button", name="Cancel the change of Holiday closure").click()

    expect(page.get_by_text("Cancelled. Nothing more will be sent for it.")).to_be_visible()
    expect(page.get_by_role("region", name="Coming up (0)")).to_be_visible()
    assert served_talk.get_ivr(holiday).name == "Holiday closure"
