"""Reverting: make the IVR look as it did after an earlier change, through the same draft,
checks, preview and audited publish as any change."""

from functools import partial

import pytest

from ivr.engine.destinations import GoToMenu, QueueForGroups
from ivr.engine.document import new_menu_key
from ivr.engine.edit import add_menu, add_route, delete_menu, delete_route, rename_menu
from ivr.services import (
    CannotRevert,
    DraftExists,
    PublishOutcome,
    delete_ivr,
    edit_draft,
    open_draft,
    preview_publish,
    publish_draft,
    revert_draft,
)
from tests.ivr.drafting import (
    ORDERS,
    actor,
    group_id,
    ivr_change_sets,
    ivr_id,
    live_route,
    menu_key,
    send_to_group,
)

pytestmark = pytest.mark.django_db


def publish(sandbox, user, *edits, reason="A change"):
    draft = open_draft(ivr_id=ivr_id(sandbox), actor=actor(user))
    for edit in edits:
        draft = edit_draft(
            draft=draft, edit=edit, actor=actor(user), expected_version=draft.version
        )
    result = publish_draft(draft=draft, actor=actor(user), reason=reason)
    assert result.outcome == PublishOutcome.APPLIED, result.message
    return result.change_set


def test_reverting_to_an_earlier_change_undoes_what_came_after_it(sandbox, editor, admin):
    first = publish(
        sandbox, editor, send_to_group(sandbox, menu=ORDERS, keypress="2", group="Sales")
    )
    publish(
        sandbox,
        editor,
        send_to_group(sandbox, menu=ORDERS, keypress="2", group="Billing"),
        partial(rename_menu, menu_key=menu_key(sandbox, "Technical support"), name="Tech help"),
    )

    draft = revert_draft(ivr_id=ivr_id(sandbox), change_set_id=first.pk, actor=actor(admin))

    assert draft.is_revert and draft.source_change_set_id == first.pk
    assert [op.sentence for op in preview_publish(draft=draft).operations] == [
        "Menu 'Tech help' is renamed 'Technical support'.",
        "Press 2 in menu 'Orders & billing' now goes to the group 'Sales' "
        "instead of the group 'Billing'.",
    ]

    result = publish_draft(draft=draft, actor=actor(admin), reason="Billing was a mistake")

    assert result.outcome == PublishOutcome.APPLIED
    assert live_route(sandbox, ORDERS, "2")["options"]["group_ids"] == [group_id(sandbox, "Sales")]
    assert sandbox.state.menu_named(ivr_id(sandbox), "Technical support")
    revert = ivr_change_sets(ivr_id(sandbox))[-1]
    assert revert.action == "revert_ivr"
    assert revert.status == "applied"
    assert revert.summary.startswith(
        f"Revert the IVR 'Main support line' to how it was after change #{first.pk} (2 changes):"
    )
    assert revert.reason == "Billing was a mistake"


def test_a_menu_deleted_since_comes_back_as_a_new_menu_with_its_keys(sandbox, editor):
    key = new_menu_key()
    home = menu_key(sandbox, "Main menu")
    with_promotions = publish(
        sandbox,
        editor,
        partial(add_menu, name="Promotions", key=key),
        partial(
            add_route,
            menu_key=key,
            keypress="default",
            destination=QueueForGroups((group_id(sandbox, "Sales"),)),
        ),
        partial(add_route, menu_key=home, keypress="5", destination=GoToMenu(key)),
    )
    old_id = sandbox.state.menu_named(ivr_id(sandbox), "Promotions")["id"]
    promotions = f"m:{old_id}"
    publish(
        sandbox,
        editor,
        partial(delete_route, menu_key=home, keypress="5"),
        partial(delete_menu, menu_key=promotions),
    )

    draft = revert_draft(
        ivr_id=ivr_id(sandbox), change_set_id=with_promotions.pk, actor=actor(editor)
    )
    result = publish_draft(draft=draft, actor=actor(editor), reason="The sale is back")

    assert result.outcome == PublishOutcome.APPLIED
    menu = sandbox.state.menu_named(ivr_id(sandbox), "Promotions")
    assert menu["id"] != old_id
    assert live_route(sandbox, "Main menu", "5")["options"]["menu_id"] == menu["id"]
    assert live_route(sandbox, "Promotions", "default")["action"] == "group"


def test_reverting_leaves_the_ivrs_phone_numbers_as_they_are(sandbox, editor):
    first = publish(
        sandbox, editor, send_to_group(sandbox, menu=ORDERS, keypress="2", group="Sales")
    )

    draft = revert_draft(ivr_id=ivr_id(sandbox), change_set_id=first.pk, actor=actor(editor))

    live = sandbox.client.get_ivr(ivr_id(sandbox))
    assert draft.ivr_document().phone_number_ids == tuple(live.phone_number_ids)


def test_only_a_change_of_this_ivr_that_recorded_its_result_can_be_restored(sandbox, admin):
    sales_line = ivr_id(sandbox, "Sales & orders")
    first = publish(
        sandbox, admin, send_to_group(sandbox, menu=ORDERS, keypress="2", group="Sales")
    )
    with pytest.raises(CannotRevert, match="is not a change of this IVR"):
        revert_draft(ivr_id=sales_line, change_set_id=first.pk, actor=actor(admin))

    holiday = ivr_id(sandbox, "Holiday closure")
    deleted = delete_ivr(
        ivr_id=holiday, actor=actor(admin), reason="Season over", confirm_name="Holiday closure"
    )
    with pytest.raises(CannotRevert, match="did not record how the IVR looked afterwards"):
        revert_draft(ivr_id=holiday, change_set_id=deleted.pk, actor=actor(admin))


def test_a_revert_does_not_silently_replace_someone_elses_unpublished_draft(sandbox, editor, admin):
    first = publish(
        sandbox, admin, send_to_group(sandbox, menu=ORDERS, keypress="2", group="Sales")
    )
    draft = open_draft(ivr_id=ivr_id(sandbox), actor=actor(editor))
    edit_draft(
        draft=draft,
        edit=send_to_group(sandbox, menu=ORDERS, keypress="3", group="Billing"),
        actor=actor(editor),
        expected_version=draft.version,
    )

    with pytest.raises(DraftExists, match="last changed by Bob Editor"):
        revert_draft(ivr_id=ivr_id(sandbox), change_set_id=first.pk, actor=actor(admin))

    replaced = revert_draft(
        ivr_id=ivr_id(sandbox), change_set_id=first.pk, actor=actor(admin), replace_draft=True
    )
    assert replaced.is_revert and replaced.started_by == "Alice Admin"


def test_a_revert_zendesk_stops_half_way_is_recorded_as_a_partly_applied_revert(sandbox, admin):
    first = publish(
        sandbox, admin, send_to_group(sandbox, menu=ORDERS, keypress="2", group="Sales")
    )
    publish(
        sandbox,
        admin,
        send_to_group(sandbox, menu=ORDERS, keypress="2", group="Billing"),
        send_to_group(sandbox, menu=ORDERS, keypress="3", group="Billing"),
    )
    draft = revert_draft(ivr_id=ivr_id(sandbox), change_set_id=first.pk, actor=actor(admin))
    route_3 = live_route(sandbox, ORDERS, "3")["id"]
    sandbox.fail("PUT", f"*/routes/{route_3}", status=503)

    result = publish_draft(draft=draft, actor=actor(admin), reason="Undo the Billing change")

    assert result.outcome == PublishOutcome.PARTLY_APPLIED
    revert = ivr_change_sets(ivr_id(sandbox))[-1]
    assert (revert.action, revert.status) == ("revert_ivr", "partly_applied")
    assert result.draft.is_revert  # publishing it again finishes the revert
