"""A viewer sees no edit controls, and is refused, with the role named, if they post anyway."""

import json
import re

from playwright.sync_api import expect

from core.roles import ADMIN, role_of
from tests.browser.accessibility import assert_accessible
from tests.browser.windows import save_screenshot


def test_a_viewer_sees_no_edit_controls_and_is_refused_when_posting_anyway(viewer_page, admin):
    page = viewer_page
    page.goto("/")
    expect(page.get_by_role("heading", name="IVRs", level=1)).to_be_visible()
    navigation = page.get_by_role("navigation", name="Main")
    expect(navigation.get_by_role("link", name="Audit log")).to_be_visible()
    expect(navigation.get_by_role("link", name="Users")).to_have_count(0)
    expect(page.get_by_role("link", name="Check that the log is intact")).to_have_count(0)

    page.goto("/users/")
    expect(page.get_by_role("heading", name="You can't do that with your role")).to_be_visible()
    expect(page.get_by_text("This needs the Admin role; you have the Viewer role.")).to_be_visible()
    save_screenshot(page, "forbidden")
    assert_accessible(page)

    # Posting anyway, with the viewer's own session and a valid CSRF token:
    page.goto("/audit/")
    token = json.loads(page.locator("body").get_attribute("hx-headers"))["X-CSRFToken"]
    for url, form in (
        (f"/users/{admin.pk}/role/", {"role": "viewer", "reason": "I want to"}),
        (f"/users/{admin.pk}/deactivate/", {"reason": "I want to"}),
        ("/users/add/", {"username": "mallory", "display_name": "Mallory"}),
    ):
        answer = page.request.post(url, form=form, headers={"X-CSRFToken": token})
        assert answer.status == 403, url
        assert "This needs the Admin role; you have the Viewer role." in answer.text()
    assert role_of(type(admin).objects.get(pk=admin.pk)) == ADMIN
    assert not type(admin).objects.filter(username="mallory").exists()
    expect(page).to_have_url(re.compile("/audit/$"))
