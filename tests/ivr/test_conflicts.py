"""Someone changes the IVR in Zendesk's Admin Center while a draft is open.

A change to a part the draft also changes is a conflict: publishing stops and shows both sides;
the admin keeps their changes on top of Zendesk's (rebase) or publishes over them (overwrite).
Any other change made in Zendesk is not a conflict, and survives the publish.
"""

import pytest

from ivr.services import (
    PublishOutcome,
    edit_draft,
    get_draft,
    open_draft,
    preview_publish,
    publish_draft,
    rebase_draft,
)
from tests.ivr.drafting import (
    ORDERS,
    actor,
    group_id,
    ivr_change_sets,
    ivr_id,
    live_route,
    send_to_group,
    writes,
)

pytestmark = pytest.mark.django_db


def draft_sending_orders_2_to_sales(sandbox, user):
    draft = open_draft(ivr_id=ivr_id(sandbox), actor=actor(user))
    return edit_draft(
        draft=draft,
        edit=send_to_group(sandbox, menu=ORDERS, keypress="2", group="Sales"),
        actor=actor(user),
        expected_version=draft.version,
    )


def in_admin_center(sandbox, menu: str, keypress: str, group: str) -> None:
    """An admin changes a route in Zendesk's own Admin Center."""
    with sandbox.state.lock:
        live_route(sandbox, menu, keypress)["options"] = {"group_ids": [group_id(sandbox, group)]}


def test_a_change_made_in_zendesk_to_the_same_key_stops_the_publish_and_shows_both_sides(
    sandbox, editor
):
    draft = draft_sending_orders_2_to_sales(sandbox, editor)
    in_admin_center(sandbox, ORDERS, "2", "Billing")
    sandbox.clear_requests()

    result = publish_draft(draft=draft, actor=actor(editor), reason="Returns moved to Sales")

    assert result.outcome == PublishOutcome.CONFLICT
    assert result.message.startswith("Nothing was published. Since your draft was started")
    (conflict,) = result.conflicts
    assert conflict.subject == "Press 2 in menu 'Orders & billing'"
    assert conflict.when_started == "went to the group 'Returns & Exchanges'"
    assert conflict.in_zendesk == "goes to the group 'Billing'"
    assert conflict.in_draft == "goes to the group 'Sales'"
    assert conflict.sentence == (
        "Press 2 in menu 'Orders & billing': in Zendesk it now goes to the group 'Billing'; "
        "in your draft it goes to the group 'Sales' (when your draft was started it went to "
        "the group 'Returns & Exchanges')."
    )
    assert writes(sandbox) == []
    assert ivr_change_sets(ivr_id(sandbox)) == []
    assert result.draft.version == draft.version
    assert live_route(sandbox, ORDERS, "2")["options"]["group_ids"] == [
        group_id(sandbox, "Billing")
    ]


def test_the_preview_shows_the_conflict_before_anyone_presses_publish(sandbox, editor):
    draft = draft_sending_orders_2_to_sales(sandbox, editor)
    in_admin_center(sandbox, ORDERS, "2", "Billing")

    preview = preview_publish(draft=draft)

    assert [c.subject for c in preview.conflicts] == ["Press 2 in menu 'Orders & billing'"]
    assert [op.sentence for op in preview.operations] == [
        "Press 2 in menu 'Orders & billing' now goes to the group 'Sales' "
        "instead of the group 'Billing'."
    ]
    assert preview.can_publish  # by overwriting, if the admin chooses to


def test_overwriting_publishes_the_drafts_version_of_the_conflicting_key(sandbox, editor):
    draft = draft_sending_orders_2_to_sales(sandbox, editor)
    in_admin_center(sandbox, ORDERS, "2", "Billing")
    seen = preview_publish(draft=draft).conflicts_seen

    result = publish_draft(
        draft=draft,
        actor=actor(editor),
        reason="Sales owns returns",
        overwrite=True,
        conflicts_seen=seen,
    )

    assert result.outcome == PublishOutcome.APPLIED
    assert live_route(sandbox, ORDERS, "2")["options"]["group_ids"] == [group_id(sandbox, "Sales")]
    (change_set,) = ivr_change_sets(ivr_id(sandbox))
    assert "instead of the group 'Billing'" in change_set.summary


def test_an_overwrite_does_not_cover_a_change_made_in_zendesk_after_the_conflict_was_shown(
    sandbox, editor
):
    draft = draft_sending_orders_2_to_sales(sandbox, editor)
    in_admin_center(sandbox, ORDERS, "2", "Billing")
    seen = preview_publish(draft=draft).conflicts_seen  # the admin compares both versions ...
    in_admin_center(sandbox, ORDERS, "2", "VIP Accounts")  # ... while someone changes it again
    sandbox.clear_requests()

    result = publish_draft(
        draft=draft, actor=actor(editor), reason="Sales owns returns", overwrite=True,
        conflicts_seen=seen,
    )  # fmt: skip

    assert result.outcome == PublishOutcome.CONFLICT
    assert result.message.startswith(
        "Nothing was published: Zendesk changed the IVR again after you chose to publish your "
        "version over Zendesk's"
    )
    (conflict,) = result.conflicts
    assert conflict.in_zendesk == "goes to the group 'VIP Accounts'"  # the newer change, shown
    assert writes(sandbox) == []
    assert ivr_change_sets(ivr_id(sandbox)) == []
    assert live_route(sandbox, ORDERS, "2")["options"]["group_ids"] == [
        group_id(sandbox, "VIP Accounts")
    ]
    assert result.conflicts_seen not in ("", seen)

    again = publish_draft(
        draft=result.draft, actor=actor(editor), reason="Sales owns returns", overwrite=True,
        conflicts_seen=result.conflicts_seen,
    )  # fmt: skip

    assert again.outcome == PublishOutcome.APPLIED  # having seen it, the admin may overwrite it
    assert live_route(sandbox, ORDERS, "2")["options"]["group_ids"] == [group_id(sandbox, "Sales")]


def test_an_overwrite_still_goes_ahead_after_an_unrelated_change_in_zendesk(sandbox, editor):
    draft = draft_sending_orders_2_to_sales(sandbox, editor)
    in_admin_center(sandbox, ORDERS, "2", "Billing")
    seen = preview_publish(draft=draft).conflicts_seen
    in_admin_center(sandbox, ORDERS, "3", "VIP Accounts")  # not a part the draft changes

    result = publish_draft(
        draft=draft, actor=actor(editor), reason="Sales owns returns", overwrite=True,
        conflicts_seen=seen,
    )  # fmt: skip

    assert result.outcome == PublishOutcome.APPLIED
    assert live_route(sandbox, ORDERS, "3")["options"]["group_ids"] == [
        group_id(sandbox, "VIP Accounts")
    ]


def test_an_overwrite_without_the_conflicts_it_saw_overwrites_nothing(sandbox, editor):
    draft = draft_sending_orders_2_to_sales(sandbox, editor)
    in_admin_center(sandbox, ORDERS, "2", "Billing")

    result = publish_draft(draft=draft, actor=actor(editor), reason="Why", overwrite=True)

    assert result.outcome == PublishOutcome.CONFLICT
    assert writes(sandbox) == []


def test_rebasing_keeps_my_changes_on_top_of_zendesks_and_then_publishes_cleanly(sandbox, editor):
    draft = draft_sending_orders_2_to_sales(sandbox, editor)
    in_admin_center(sandbox, ORDERS, "2", "Billing")
    in_admin_center(sandbox, ORDERS, "3", "VIP Accounts")  # unrelated to the draft

    rebased = rebase_draft(draft=draft, actor=actor(editor))

    assert rebased.version == draft.version + 1
    document = rebased.ivr_document()
    orders = next(m for m in document.menus if m.name == ORDERS)
    assert orders.route("2").destination.group_ids == (group_id(sandbox, "Sales"),)
    assert orders.route("3").destination.group_ids == (group_id(sandbox, "VIP Accounts"),)
    assert rebased.change_count == 1

    result = publish_draft(draft=rebased, actor=actor(editor), reason="Returns moved to Sales")

    assert result.outcome == PublishOutcome.APPLIED
    assert live_route(sandbox, ORDERS, "2")["options"]["group_ids"] == [group_id(sandbox, "Sales")]
    assert live_route(sandbox, ORDERS, "3")["options"]["group_ids"] == [
        group_id(sandbox, "VIP Accounts")
    ]


def test_an_unrelated_change_made_in_zendesk_is_no_conflict_and_survives_the_publish(
    sandbox, editor
):
    draft = draft_sending_orders_2_to_sales(sandbox, editor)
    in_admin_center(sandbox, ORDERS, "1", "VIP Accounts")
    with sandbox.state.lock:
        sandbox.state.menu_named(ivr_id(sandbox), "Technical support")["name"] = "Tech help"

    result = publish_draft(draft=draft, actor=actor(editor), reason="Returns moved to Sales")

    assert result.outcome == PublishOutcome.APPLIED
    assert result.conflicts == ()
    assert [op.kind for op in result.applied] == ["update_route"]
    assert live_route(sandbox, ORDERS, "2")["options"]["group_ids"] == [group_id(sandbox, "Sales")]
    assert live_route(sandbox, ORDERS, "1")["options"]["group_ids"] == [
        group_id(sandbox, "VIP Accounts")
    ]
    assert sandbox.state.menu_named(ivr_id(sandbox), "Tech help")


def test_the_same_change_made_on_both_sides_is_no_conflict(sandbox, editor):
    draft = draft_sending_orders_2_to_sales(sandbox, editor)
    with sandbox.state.lock:
        live_route(sandbox, ORDERS, "2")["options"]["group_ids"] = [group_id(sandbox, "Sales")]

    result = publish_draft(draft=draft, actor=actor(editor), reason="Returns moved to Sales")

    assert result.outcome == PublishOutcome.NOTHING_TO_PUBLISH
    assert get_draft(ivr_id=ivr_id(sandbox)) is None


def test_a_menu_deleted_in_zendesk_while_the_draft_changes_it_is_one_conflict(sandbox, editor):
    draft = draft_sending_orders_2_to_sales(sandbox, editor)
    with sandbox.state.lock:
        orders = sandbox.state.menu_named(ivr_id(sandbox), ORDERS)
        for route in sandbox.state.routes_of(orders["id"]):
            del sandbox.state.routes[route["id"]]
        del sandbox.state.menus[orders["id"]]

    result = publish_draft(draft=draft, actor=actor(editor), reason="Returns moved to Sales")

    assert result.outcome == PublishOutcome.CONFLICT
    (conflict,) = result.conflicts
    assert conflict.subject == "The menu 'Orders & billing'"
    assert conflict.when_started == "existed with 5 routes"
    assert conflict.in_zendesk == "is deleted"
    assert conflict.in_draft == "is kept, and press 2 goes to the group 'Sales'"
