"""Approval by a second person, as editors and admins meet it on the pages, against the
sandbox: what Zendesk holds after each step, what the pages say, and who the audit log names."""

import csv
import io
import json

import pytest
from django.urls import reverse

from audit.constants import Action
from audit.models import ChangeSet
from audit.verify import verify_chain
from changes.models import ApprovalRequest, RequestState
from changes.services import NotWaiting, approve_request
from tests.changes.helpers import ask, asked, draft_orders_2_to_sales, request_url
from tests.database_role import as_database_owner
from tests.ivr.drafting import ORDERS, actor, group_id, live_route, writes
from tests.ivr.editor_pages import draft_of, menu_key_named, post
from tests.ivr.page_html import html, text


def publish_url(ivr_id: int) -> str:
    return reverse("ivr:publish", args=[ivr_id])


def change_sets(action: str) -> list[ChangeSet]:
    return list(ChangeSet.objects.filter(action=action).order_by("id"))


def test_a_protected_ivr_offers_ask_for_approval_and_a_crafted_publish_sends_nothing(
    as_editor, protected, sandbox
):
    draft_orders_2_to_sales(as_editor, protected, sandbox)

    page = html(as_editor.get(publish_url(protected)))
    buttons = [text(button) for button in page.select(".publish-form button")]
    assert buttons == ["Ask for approval"]
    assert "Our busiest line: two people check every change." in text(page.select_one("main"))

    sandbox.clear_requests()
    response = as_editor.post(
        publish_url(protected),
        {"reason": "Straight to live", "version": draft_of(protected).version},
    )

    assert response.status_code == 403
    assert "needs a second person's approval first" in text(html(response).select_one("main"))
    assert writes(sandbox) == []
    assert change_sets(Action.PUBLISH_IVR) == []
    assert live_route(sandbox, ORDERS, "2")["options"]["group_ids"] != [group_id(sandbox, "Sales")]


def test_an_editor_asks_and_another_editor_approves_which_publishes_as_the_approvers_change(
    as_editor, as_second_editor, protected, sandbox
):
    draft_orders_2_to_sales(as_editor, protected, sandbox)
    request = asked(as_editor, protected)

    [asking] = change_sets(Action.ASK_APPROVAL)
    assert (asking.actor_display_name, asking.reason) == (
        "Bob Editor",
        "Sales takes returns this month",
    )
    waiting_page = html(as_second_editor.get(reverse("changes:approvals")))
    nav = text(waiting_page.select_one("nav.main-nav"))
    assert "Waiting for approval 1 waiting" in nav
    row_text = text(waiting_page.select_one("#waiting-heading").find_parent("section"))
    assert "Bob Editor" in row_text and "Sales takes returns this month" in row_text
    detail = html(as_second_editor.get(request_url(request)))
    sentences = [text(li) for li in detail.select("#changes-heading ~ ol li")]
    assert sentences == request.plan and len(sentences) == 1
    assert "Sales" in sentences[0]
    assert detail.select_one("#tree-before") and detail.select_one("#tree-after")
    sandbox.clear_requests()

    response = as_second_editor.post(request_url(request, "approve"), {"comment": "Checked it"})

    assert response.status_code == 303
    assert live_route(sandbox, ORDERS, "2")["options"]["group_ids"] == [group_id(sandbox, "Sales")]
    assert [r.method for r in writes(sandbox)] == ["PUT"]
    request.refresh_from_db()
    assert request.state == RequestState.PUBLISHED
    [decision] = change_sets(Action.APPROVE_CHANGE)
    [publish] = change_sets(Action.PUBLISH_IVR)
    assert (decision.actor_display_name, decision.reason) == ("Erin Editor", "Checked it")
    assert publish.actor_display_name == "Erin Editor"
    assert publish.reason == "Sales takes returns this month"
    assert publish.approval == {
        "request": request.pk,
        "requested_by": "Bob Editor",
        "approved_by": "Erin Editor",
        "decision": decision.pk,
    }
    assert request.publish_change_set_id == publish.pk
    audit_page = text(html(as_second_editor.get(reverse("audit:detail", args=[publish.pk]))))
    assert "Asked by Bob Editor" in audit_page and "Approved by Erin Editor" in audit_page
    after = html(as_second_editor.get(reverse("changes:approvals")))
    assert "Waiting for approval 1" not in text(after.select_one("nav.main-nav"))
    assert "Approved and published" in text(after.select_one("#decided-heading").parent)


def test_nobody_approves_what_they_asked_for_or_worked_on_not_even_by_a_crafted_post(
    as_admin, as_editor, protected, sandbox
):
    # Alice (an admin) edits the draft; Bob only asks for its approval.
    draft_orders_2_to_sales(as_admin, protected, sandbox)
    request = asked(as_editor, protected)
    sandbox.clear_requests()

    for client, why in (
        (as_editor, "You asked for this change"),
        (as_admin, "You worked on this draft"),
    ):
        page = html(client.get(request_url(request)))
        assert page.select_one(f"form[action='{request_url(request, 'approve')}']") is None
        response = client.post(request_url(request, "approve"), {"comment": "Fine by me"})
        assert response.status_code == 403
        assert why in text(html(response).select_one("main"))

    assert writes(sandbox) == []
    request.refresh_from_db()
    assert request.state == RequestState.WAITING
    assert change_sets(Action.APPROVE_CHANGE) == [] and change_sets(Action.PUBLISH_IVR) == []


def test_a_viewer_sees_the_request_and_cannot_approve_or_decline_it(
    as_editor, as_viewer, protected, sandbox
):
    draft_orders_2_to_sales(as_editor, protected, sandbox)
    request = asked(as_editor, protected)

    page = html(as_viewer.get(request_url(request)))
    assert "Sales takes returns this month" in text(page.select_one("main"))
    assert page.select("form[action*='/approve/'], form[action*='/decline/']") == []
    sandbox.clear_requests()
    assert as_viewer.post(request_url(request, "approve"), {}).status_code == 403
    assert as_viewer.post(request_url(request, "decline"), {"comment": "No"}).status_code == 403

    assert writes(sandbox) == []
    request.refresh_from_db()
    assert request.state == RequestState.WAITING


def test_a_draft_edit_after_asking_voids_the_request_when_the_approver_opens_it(
    as_editor, as_second_editor, protected, sandbox
):
    draft_orders_2_to_sales(as_editor, protected, sandbox)
    request = asked(as_editor, protected)
    orders = menu_key_named(protected, ORDERS)
    post(
        as_editor,
        "route_change",
        [protected, orders, "2"],
        {"keypress": "2", "action": "group", "group_ids": [str(group_id(sandbox, "Billing"))]},
    )

    page = html(as_second_editor.get(request_url(request)))

    main = text(page.select_one("main"))
    assert "Voided by a later change" in main
    assert "Bob Editor changed the draft" in main and "cannot be approved" in main
    assert page.select_one(f"form[action='{request_url(request, 'approve')}']") is None
    sandbox.clear_requests()
    response = as_second_editor.post(request_url(request, "approve"), {})
    assert response.status_code == 409
    assert writes(sandbox) == []
    [voided] = change_sets(Action.VOID_APPROVAL)
    assert "changed the draft" in voided.summary
    assert change_sets(Action.PUBLISH_IVR) == []


def test_a_change_in_zendesk_after_asking_voids_the_request_at_approval(
    as_editor, as_second_editor, protected, sandbox
):
    draft_orders_2_to_sales(as_editor, protected, sandbox)
    request = asked(as_editor, protected)
    assert as_second_editor.get(request_url(request)).status_code == 200  # still as asked
    # Someone renames a menu in Zendesk's Admin Center meanwhile.
    with sandbox.state.lock:
        sandbox.state.menu_named(protected, "Technical support")["name"] = "Tech help"
    sandbox.clear_requests()

    response = as_second_editor.post(request_url(request, "approve"), {"comment": "OK"})

    assert response.status_code == 409
    assert "changed in Zendesk after approval was asked" in text(html(response).select_one("main"))
    assert writes(sandbox) == []
    request.refresh_from_db()
    assert request.state == RequestState.VOIDED
    assert change_sets(Action.APPROVE_CHANGE) == [] and change_sets(Action.PUBLISH_IVR) == []
    assert len(change_sets(Action.VOID_APPROVAL)) == 1


def test_a_declined_request_needs_a_comment_sends_nothing_and_keeps_the_draft(
    as_editor, as_second_editor, protected, sandbox
):
    draft_orders_2_to_sales(as_editor, protected, sandbox)
    request = asked(as_editor, protected)
    version = draft_of(protected).version
    sandbox.clear_requests()

    blank = as_second_editor.post(request_url(request, "decline"), {"comment": "  "})
    assert blank.status_code == 422
    assert "Say why you decline it" in text(html(blank).select_one("#id_comment_error"))
    response = as_second_editor.post(
        request_url(request, "decline"), {"comment": "Sales is short-staffed this week"}
    )

    assert response.status_code == 303
    request.refresh_from_db()
    assert request.state == RequestState.DECLINED and request.decided_by.username == "erin"
    [declined] = change_sets(Action.DECLINE_CHANGE)
    assert (declined.actor_display_name, declined.reason) == (
        "Erin Editor",
        "Sales is short-staffed this week",
    )
    assert writes(sandbox) == []
    assert draft_of(protected).version == version
    page = text(html(as_editor.get(request_url(request))).select_one("main"))
    assert "Declined" in page and "Sales is short-staffed this week" in page


def test_only_the_requester_withdraws_and_it_is_audited(
    as_editor, as_second_editor, protected, sandbox
):
    draft_orders_2_to_sales(as_editor, protected, sandbox)
    request = asked(as_editor, protected)

    assert as_second_editor.post(request_url(request, "withdraw"), {}).status_code == 403
    response = as_editor.post(request_url(request, "withdraw"), {"reason": "Not this week"})

    assert response.status_code == 303
    request.refresh_from_db()
    assert request.state == RequestState.WITHDRAWN
    [withdrawn] = change_sets(Action.WITHDRAW_APPROVAL)
    assert (withdrawn.actor_display_name, withdrawn.reason) == ("Bob Editor", "Not this week")
    assert as_second_editor.post(request_url(request, "approve"), {}).status_code == 409


def test_asking_needs_a_reason_beside_the_field_and_keeps_the_draft(as_editor, protected, sandbox):
    draft_orders_2_to_sales(as_editor, protected, sandbox)

    response = ask(as_editor, protected, reason="")

    assert response.status_code == 422
    page = html(response)
    assert "Say why this change is needed" in text(page.select_one("#id_reason_error"))
    assert ApprovalRequest.objects.count() == 0
    assert change_sets(Action.ASK_APPROVAL) == []


def test_admins_protect_and_unprotect_with_a_reason_and_editors_cannot(
    as_admin, as_editor, main_line, sandbox
):
    url = reverse("changes:ivr_protection", args=[main_line])
    assert as_editor.post(url, {"reason": "Mine now"}).status_code == 403
    blank = as_admin.post(url, {"reason": ""})
    assert blank.status_code == 422
    assert "Say why" in text(html(blank).select_one("#id_reason_error"))

    assert as_admin.post(url, {"reason": "Busiest line"}).status_code == 303
    detail = text(html(as_editor.get(reverse("ivr:detail", args=[main_line]))).select_one("main"))
    assert "Protected: publishing needs approval" in detail
    assert as_admin.post(url, {"reason": "Quiet season"}).status_code == 303

    [protect] = change_sets(Action.PROTECT_LINE)
    [unprotect] = change_sets(Action.UNPROTECT_LINE)
    assert (protect.actor_display_name, protect.reason) == ("Alice Admin", "Busiest line")
    assert (unprotect.actor_display_name, unprotect.reason) == ("Alice Admin", "Quiet season")
    draft_orders_2_to_sales(as_editor, main_line, sandbox)
    publish = html(as_editor.get(publish_url(main_line)))
    assert [text(b) for b in publish.select(".publish-form button")] == [
        "Publish to Zendesk",
        "Schedule",
    ]


def test_the_account_setting_makes_every_publish_ask_for_approval(
    settings, as_editor, main_line, sandbox
):
    settings.CHANGES_APPROVAL_FOR_EVERY_CHANGE = True
    draft_orders_2_to_sales(as_editor, main_line, sandbox)

    page = html(as_editor.get(publish_url(main_line)))

    assert [text(b) for b in page.select(".publish-form button")] == ["Ask for approval"]
    assert "Every live change on this account needs" in text(page.select_one(".publish-form"))


@pytest.fixture
def approved_and_unapproved(as_editor, as_second_editor, protected, sandbox):
    """One publish approved by Erin, then (protection removed and put back by hand in the
    database would not be audited) a publish made straight through the service while the
    line is protected, as a path that forgot to ask would."""
    from audit.actor import Actor
    from ivr.services import publish_draft

    draft_orders_2_to_sales(as_editor, protected, sandbox)
    request = asked(as_editor, protected)
    as_second_editor.post(request_url(request, "approve"), {})
    draft_orders_2_to_sales(as_editor, protected, sandbox)
    orders = menu_key_named(protected, ORDERS)
    post(
        as_editor,
        "route_change",
        [protected, orders, "2"],
        {"keypress": "2", "action": "group", "group_ids": [str(group_id(sandbox, "Billing"))]},
    )
    draft = draft_of(protected)
    publish_draft(
        draft=draft,
        actor=Actor.for_user(draft.updated_by),
        reason="Skipped the approval",
    )
    return change_sets(Action.PUBLISH_IVR)


def test_the_audit_list_finds_changes_made_without_approval_on_protected_lines(
    as_viewer, approved_and_unapproved
):
    approved, unapproved = approved_and_unapproved

    page = html(as_viewer.get(reverse("audit:list"), {"unapproved_protected": "on"}))

    links = [a["href"] for a in page.select("#log-results tbody a")]
    assert links == [reverse("audit:detail", args=[unapproved.pk])]
    assert approved.approval is not None and unapproved.approval is None


def test_the_audit_csv_names_who_asked_and_who_approved(as_viewer, approved_and_unapproved):
    approved, unapproved = approved_and_unapproved

    response = as_viewer.post("/audit/export/", {"file_format": "csv"})
    body = b"".join(response.streaming_content).decode()

    [header, *rows] = list(csv.reader(io.StringIO(body)))
    records = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    columns = ("Approval asked by", "Approved by", "Approval request")
    request = ApprovalRequest.objects.get(state=RequestState.PUBLISHED)
    assert tuple(records[str(approved.pk)][c] for c in columns) == (
        "Bob Editor",
        "Erin Editor",
        str(request.pk),
    )
    assert tuple(records[str(unapproved.pk)][c] for c in columns) == ("", "", "")


def test_the_approval_a_publish_carries_is_covered_by_its_row_hash(
    as_editor, as_second_editor, protected, sandbox
):
    draft_orders_2_to_sales(as_editor, protected, sandbox)
    request = asked(as_editor, protected)
    as_second_editor.post(request_url(request, "approve"), {})
    [publish] = change_sets(Action.PUBLISH_IVR)
    assert verify_chain().intact

    # An intruder with the owner's rights names someone else as the approver.
    forged = json.dumps({**publish.approval, "approved_by": "Mallory"})
    with as_database_owner() as cursor:
        cursor.execute("ALTER TABLE audit_changeset DISABLE TRIGGER audit_changeset_append_only")
        cursor.execute(
            "UPDATE audit_changeset SET approval = %s::jsonb WHERE id = %s", [forged, publish.pk]
        )
        cursor.execute("ALTER TABLE audit_changeset ENABLE TRIGGER audit_changeset_append_only")

    verdict = verify_chain()
    assert not verdict.chain_intact
    assert verdict.problem is not None and verdict.problem.position == publish.chain_position


def test_a_request_is_approved_once_the_second_approval_sends_nothing(
    as_editor, second_editor, admin, protected, sandbox
):
    draft_orders_2_to_sales(as_editor, protected, sandbox)
    request = asked(as_editor, protected)
    approve_request(request_id=request.pk, user=second_editor, actor=actor(second_editor))
    sandbox.clear_requests()

    with pytest.raises(NotWaiting):
        approve_request(request_id=request.pk, user=admin, actor=actor(admin))

    assert writes(sandbox) == []
    assert len(change_sets(Action.PUBLISH_IVR)) == 1
    assert len(change_sets(Action.APPROVE_CHANGE)) == 1


def test_zendesk_down_when_approving_sends_nothing_and_the_request_keeps_waiting(
    as_editor, as_second_editor, protected, sandbox
):
    draft_orders_2_to_sales(as_editor, protected, sandbox)
    request = asked(as_editor, protected)
    sandbox.clear_requests()
    sandbox.fail("GET", "*/ivr/*", status=503)

    response = as_second_editor.post(request_url(request, "approve"), {"comment": "OK"})

    assert response.status_code == 503
    page = text(html(response).select_one("main"))
    assert "Zendesk could not be read to check this request" in page
    assert "Traceback" not in page
    assert writes(sandbox) == []
    request.refresh_from_db()
    assert request.state == RequestState.WAITING
    assert change_sets(Action.APPROVE_CHANGE) == []
