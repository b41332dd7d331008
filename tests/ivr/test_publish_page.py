"""The publish page: the preview, the reason, and every outcome, as an editor meets them.

Ends with the issue's journey, driven through the views: open the IVR, add a menu, route key 3
to it, try it on the keypad, publish with a reason, and see the change in the IVR's History.
"""

import pytest
from django.urls import reverse

from audit.models import ChangeSet
from tests.ivr.drafting import ORDERS, group_id, live_route
from tests.ivr.editor_pages import (
    HTMX,
    add_menu,
    detail_url,
    draft_of,
    menu_key_named,
    post,
    route_to_menu,
    start_draft,
)
from tests.ivr.page_html import HTMX_PRESS, html, menu_card, row, text


@pytest.fixture
def main_line(sandbox) -> int:
    return sandbox.state.ivr_named("Main support line")["id"]


@pytest.fixture
def drafted(as_editor, main_line) -> int:
    start_draft(as_editor, main_line)
    return main_line


def publish_url(ivr_id: int) -> str:
    return reverse("ivr:publish", args=[ivr_id])


def writes(sandbox) -> list:
    return [r for r in sandbox.requests if r.method != "GET"]


def form_fields(form) -> dict[str, str]:
    """What a browser posts from this form: its hidden inputs (a reason is typed)."""
    return {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}


def send_orders_2_to_sales(client, ivr_id: int, sandbox) -> None:
    orders = menu_key_named(ivr_id, ORDERS)
    response = post(
        client,
        "route_change",
        [ivr_id, orders, "2"],
        {"keypress": "2", "action": "group", "group_ids": [str(group_id(sandbox, "Sales"))]},
    )
    assert response.status_code == 200


def test_the_preview_says_each_change_and_marks_the_before_and_after_trees(
    as_editor, drafted, sandbox
):
    send_orders_2_to_sales(as_editor, drafted, sandbox)
    main = menu_key_named(drafted, "Main menu")
    post(as_editor, "route_delete", [drafted, main, "4"], {})

    page = html(as_editor.get(publish_url(drafted)))

    changes = [text(li) for li in page.select(".change-list li")]
    assert changes == [
        "Press 4 in menu 'Main menu' no longer goes anywhere (it went to a text message from "
        "'US Text Line' (+1 (415) 555-0178) saying \"Track your order at "
        'northwind.example/track").',
        "Press 2 in menu 'Orders & billing' now goes to the group 'Sales' instead of the group "
        "'Returns & Exchanges'.",
    ]
    before, after = page.select(".diff-tree")
    assert text(before.select_one("h3")) == "Now, in Zendesk"
    removed = [text(r) for r in before.select(".diff-row.diff-removed")]
    assert len(removed) == 1 and removed[0].startswith("Press 4")
    assert removed[0].endswith("\u2212 Removed")
    changed = [text(r) for r in after.select(".diff-row.diff-changed")]
    assert len(changed) == 1 and "Sales" in changed[0] and changed[0].endswith("✎ Changed")
    assert not page.select(".diff-added")[1:]  # only the legend: nothing is added
    button = page.find("button", string="Publish to Zendesk")
    assert not button.has_attr("disabled")
    assert writes(sandbox) == []


def test_a_new_menu_is_marked_added_in_the_after_tree(as_editor, drafted):
    main = menu_key_named(drafted, "Main menu")
    sale = add_menu(as_editor, drafted, "Spring sale")
    route_to_menu(as_editor, drafted, main, "5", sale)

    page = html(as_editor.get(publish_url(drafted)))

    after = page.select(".diff-tree")[1]
    added_menu = after.select_one(".diff-menu.diff-added")
    assert "Spring sale" in text(added_menu.select_one(".diff-menu-name"))
    assert "+ Added" in text(added_menu.select_one(".diff-menu-name"))


def test_lint_errors_disable_the_button_and_say_what_to_fix(as_editor, drafted):
    main = menu_key_named(drafted, "Main menu")
    sale = add_menu(as_editor, drafted, "Spring sale")  # no routes: callers would be cut off
    route_to_menu(as_editor, drafted, main, "5", sale)

    page = html(as_editor.get(publish_url(drafted)))

    blocked = text(page.select_one(".publish-blocked"))
    assert "1 error must be fixed before publishing" in blocked
    assert "'Spring sale' has no routes" in blocked
    button = page.find("button", string="Publish to Zendesk")
    assert button.has_attr("disabled")
    assert "Publishing is not possible while the draft has errors" in text(
        page.find(id=button["aria-describedby"])
    )


def test_a_reason_is_required_and_nothing_is_sent_without_one(as_editor, drafted, sandbox):
    send_orders_2_to_sales(as_editor, drafted, sandbox)
    sandbox.clear_requests()

    response = as_editor.post(
        publish_url(drafted), {"version": draft_of(drafted).version, "reason": "  "}
    )

    assert response.status_code == 422
    page = html(response)
    field = page.select_one("#id_reason").find_parent(class_="field")
    assert "Say why you are publishing: the audit log keeps it." in text(field)
    assert writes(sandbox) == []
    assert draft_of(drafted) is not None


def test_publishing_applies_the_draft_and_links_its_change_set(as_editor, drafted, sandbox):
    send_orders_2_to_sales(as_editor, drafted, sandbox)

    response = as_editor.post(
        publish_url(drafted),
        {"version": draft_of(drafted).version, "reason": "Returns are handled by Sales now"},
        headers=HTMX,
    )

    assert response.status_code == 200
    page = html(response)
    outcome = page.select_one(".outcome")
    assert text(outcome.select_one("h2")) == "✓ Published"
    assert "Published: the IVR 'Main support line' now has your 1 change." in text(outcome)
    change_set = ChangeSet.objects.get(target_type="ivr", target_id=str(drafted))
    assert change_set.reason == "Returns are handled by Sales now"
    link = outcome.find("a", string="See this change in the audit log")
    assert link["href"] == reverse("audit:detail", args=[change_set.pk])
    assert live_route(sandbox, ORDERS, "2")["options"]["group_ids"] == [group_id(sandbox, "Sales")]
    from ivr.models import Draft

    assert not Draft.objects.filter(ivr_id=drafted).exists()


def test_zendesk_down_while_publishing_says_so_keeps_the_draft_and_offers_to_publish_again(
    as_editor, drafted, sandbox
):
    send_orders_2_to_sales(as_editor, drafted, sandbox)
    sandbox.fail("PUT", "*/routes/*", status=503)

    response = as_editor.post(
        publish_url(drafted),
        {"version": draft_of(drafted).version, "reason": "Returns to Sales"},
        headers=HTMX,
    )

    page = html(response)
    outcome = page.select_one(".outcome")
    assert text(outcome.select_one("h2")) == "✖ Not published"
    assert "Your draft is kept with everything still to do." in text(outcome)
    assert "Not made yet" in text(outcome)
    again = page.find("button", string="Publish again")
    assert again is not None
    assert page.select_one("#id_reason").get_text().strip() == "Returns to Sales"
    assert "Traceback" not in response.content.decode()
    assert draft_of(drafted).has_changes
    assert live_route(sandbox, ORDERS, "2")["options"]["group_ids"] != [group_id(sandbox, "Sales")]

    sandbox.app.faults.forced.clear()
    form = page.select_one(".publish-form form")
    done = as_editor.post(
        publish_url(drafted),
        {"version": form.select_one("[name=version]")["value"], "reason": "Returns to Sales"},
        headers=HTMX,
    )
    assert text(html(done).select_one(".outcome h2")) == "✓ Published"


def test_zendesk_unreachable_before_publishing_keeps_the_draft_and_the_reason(
    as_editor, drafted, sandbox
):
    send_orders_2_to_sales(as_editor, drafted, sandbox)
    version = draft_of(drafted).version
    sandbox.fail("GET", "*/ivr/*", status=503)

    response = as_editor.post(publish_url(drafted), {"version": version, "reason": "Why not"})

    assert response.status_code == 503
    page = html(response)
    assert "Nothing was published: Zendesk could not be reached." in text(page)
    assert "Your draft is kept as it was, and so is your reason." in text(page)
    assert page.select_one("#id_reason").get_text().strip() == "Why not"
    assert draft_of(drafted).version == version
    assert writes(sandbox) == []


def test_a_conflict_shows_both_sides_and_either_choice_works(as_editor, drafted, sandbox):
    send_orders_2_to_sales(as_editor, drafted, sandbox)
    with sandbox.state.lock:  # meanwhile, in Zendesk's Admin Center
        live_route(sandbox, ORDERS, "2")["options"] = {"group_ids": [group_id(sandbox, "Billing")]}

    page = html(as_editor.get(publish_url(drafted)))

    table = text(page.select_one(".conflicts table"))
    assert "In Zendesk now" in table and "In your draft" in table
    assert "'Billing'" in table and "'Sales'" in table
    assert page.find("button", string="Publish to Zendesk").has_attr("disabled")
    assert page.find("button", string="Keep my changes on top of Zendesk's") is not None

    overwrite = page.select_one(".conflict-choice input[name=overwrite]").find_parent("form")
    response = as_editor.post(overwrite["action"], {**form_fields(overwrite), "reason": "Sales"})

    assert text(html(response).select_one(".outcome h2")) == "✓ Published"
    assert live_route(sandbox, ORDERS, "2")["options"]["group_ids"] == [group_id(sandbox, "Sales")]


def test_a_change_made_in_zendesk_after_the_conflict_was_shown_is_shown_not_overwritten(
    as_editor, drafted, sandbox
):
    send_orders_2_to_sales(as_editor, drafted, sandbox)
    with sandbox.state.lock:
        live_route(sandbox, ORDERS, "2")["options"] = {"group_ids": [group_id(sandbox, "Billing")]}
    page = html(as_editor.get(publish_url(drafted)))
    overwrite = page.select_one(".conflict-choice input[name=overwrite]").find_parent("form")
    with sandbox.state.lock:  # while the admin compares, someone changes it again in Zendesk
        live_route(sandbox, ORDERS, "2")["options"] = {
            "group_ids": [group_id(sandbox, "VIP Accounts")]
        }
    sandbox.clear_requests()

    response = as_editor.post(overwrite["action"], {**form_fields(overwrite), "reason": "Sales"})

    shown = html(response)
    assert "Zendesk changed the IVR again after you chose to publish your version" in text(
        shown.select_one(".outcome")
    )
    assert "'VIP Accounts'" in text(shown.select_one(".conflicts table"))
    assert writes(sandbox) == []
    again = shown.select_one(".conflict-choice input[name=overwrite]").find_parent("form")
    done = as_editor.post(again["action"], {**form_fields(again), "reason": "Sales"})
    assert text(html(done).select_one(".outcome h2")) == "✓ Published"


def test_keeping_my_changes_on_top_takes_zendesks_other_changes_into_the_draft(
    as_editor, drafted, sandbox
):
    send_orders_2_to_sales(as_editor, drafted, sandbox)
    with sandbox.state.lock:
        live_route(sandbox, ORDERS, "2")["options"] = {"group_ids": [group_id(sandbox, "Billing")]}

    response = as_editor.post(
        reverse("ivr:publish_rebase", args=[drafted]), {"version": draft_of(drafted).version}
    )

    assert response.status_code == 303
    page = html(as_editor.get(response["Location"]))
    assert "Your draft now has Zendesk's latest changes" in text(page)
    assert page.select_one(".conflicts") is None
    assert not page.find("button", string="Publish to Zendesk").has_attr("disabled")


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_viewer_is_refused_the_publish_page(as_viewer, as_editor, drafted, sandbox, method):
    response = getattr(as_viewer, method)(publish_url(drafted), {"reason": "x", "version": 1})

    assert response.status_code == 403
    assert writes(sandbox) == []


def test_without_a_draft_the_page_says_there_is_nothing_to_publish(as_editor, main_line):
    response = as_editor.get(publish_url(main_line))

    assert response.status_code == 404
    assert "This IVR has no draft to publish" in text(html(response))


def test_the_journey_add_a_menu_route_key_3_try_it_publish_and_see_it_in_history(
    as_editor, main_line, sandbox
):
    # Open the IVR and start editing.
    page = html(as_editor.get(detail_url(main_line)))
    assert text(page.select_one("h1")) == "Main support line"
    start_draft(as_editor, main_line)

    # Add a menu, with a default route so callers are never cut off.
    sale = add_menu(as_editor, main_line, "Spring sale")
    post(
        as_editor,
        "route_add",
        [main_line, sale],
        {"keypress": "default", "action": "group", "group_ids": [str(group_id(sandbox, "Sales"))]},
    )

    # Route key 3 of the first menu to it (key 3 had voicemail).
    main = menu_key_named(main_line, "Main menu")
    changed = post(
        as_editor,
        "route_change",
        [main_line, main, "3"],
        {"keypress": "3", "action": "menu", "menu_key": sale},
    )
    page = html(changed)
    assert "Spring sale" in text(row(menu_card(page, "Main menu"), "Press 3"))

    # Try it on the keypad: pressing 3 takes the caller to the new menu.
    pressed = as_editor.get(detail_url(main_line), {"press": "3"}, headers=HTMX_PRESS)
    transcript = text(html(pressed).select_one(".transcript"))
    assert "Now in 'Spring sale'" in transcript

    # Publish with a reason.
    assert sandbox.state.menu_named(main_line, "Main menu")  # nothing live changed yet
    response = as_editor.post(
        publish_url(main_line),
        {"version": draft_of(main_line).version, "reason": "Spring sale campaign"},
    )
    assert text(html(response).select_one(".outcome h2")) == "✓ Published"
    live_sale = sandbox.state.menu_named(main_line, "Spring sale")
    assert live_route(sandbox, "Main menu", "3")["options"]["menu_id"] == live_sale["id"]

    # See it in the IVR's History, and in the audit log with its reason.
    page = html(as_editor.get(detail_url(main_line)))
    history = text(page.select_one(".history"))
    assert "Bob Editor" in history
    change_set = ChangeSet.objects.get(target_type="ivr", target_id=str(main_line))
    assert change_set.final_summary in history
    entry = html(as_editor.get(reverse("audit:detail", args=[change_set.pk])))
    assert "Spring sale campaign" in text(entry)


def test_an_ivr_deleted_in_zendesk_meanwhile_is_said_plainly_and_the_draft_kept(
    as_editor, drafted, sandbox
):
    send_orders_2_to_sales(as_editor, drafted, sandbox)
    sandbox.fail("GET", f"*/ivr/{drafted}", status=404)

    response = as_editor.get(publish_url(drafted))

    assert response.status_code == 404
    assert "Nothing was published: this IVR is no longer in Zendesk." in text(html(response))
    assert draft_of(drafted).has_changes
