"""Publishing a draft: the change goes live in one audited change set, or nothing does."""

from functools import partial

import pytest

from audit.recording import ReasonRequired
from ivr.engine.destinations import GoToMenu, QueueForGroups
from ivr.engine.document import new_menu_key
from ivr.engine.edit import add_menu, add_route
from ivr.models import Draft
from ivr.services import (
    PublishOutcome,
    edit_draft,
    get_draft,
    open_draft,
    preview_publish,
    publish_draft,
)
from tests.ivr.drafting import (
    ORDERS,
    actor,
    calls_of,
    group_id,
    ivr_change_sets,
    ivr_id,
    live_route,
    menu_key,
    send_to_group,
    writes,
)

pytestmark = pytest.mark.django_db


def test_a_one_route_change_goes_live_with_one_write_and_the_draft_closes(sandbox, editor):
    draft = open_draft(ivr_id=ivr_id(sandbox), actor=actor(editor))
    draft = edit_draft(
        draft=draft,
        edit=send_to_group(sandbox, menu=ORDERS, keypress="2", group="Sales"),
        actor=actor(editor),
        expected_version=draft.version,
    )
    sandbox.clear_requests()

    result = publish_draft(draft=draft, actor=actor(editor), reason="Returns moved to Sales")

    assert result.outcome == PublishOutcome.APPLIED
    assert result.message == "Published: the IVR 'Main support line' now has your 1 change."
    assert live_route(sandbox, ORDERS, "2")["options"]["group_ids"] == [group_id(sandbox, "Sales")]
    # The ticket tag the route had in Zendesk stays with it.
    assert live_route(sandbox, ORDERS, "2")["options"]["tags"] == ["ivr_returns"]
    assert [(r.method, r.status) for r in writes(sandbox)] == [("PUT", 200)]
    assert get_draft(ivr_id=ivr_id(sandbox)) is None

    (change_set,) = ivr_change_sets(ivr_id(sandbox))
    assert change_set.action == "publish_ivr"
    assert change_set.status == "applied"
    assert change_set.reason == "Returns moved to Sales"
    assert change_set.actor_display_name == "Bob Editor"
    sentence = (
        "Press 2 in menu 'Orders & billing' now goes to the group 'Sales' "
        "instead of the group 'Returns & Exchanges'."
    )
    assert sentence in change_set.summary
    assert sentence in change_set.final_summary
    assert calls_of(change_set) == [("PUT", 200)]
    before_route = _route_in(change_set.before, ORDERS, "2")
    after_route = _route_in(change_set.after, ORDERS, "2")
    assert before_route["options"]["group_ids"] == [group_id(sandbox, "Returns & Exchanges")]
    assert after_route["options"]["group_ids"] == [group_id(sandbox, "Sales")]
    assert change_set.all_names["group"][str(group_id(sandbox, "Sales"))] == "Sales"


def test_publishing_without_a_reason_sends_nothing_and_keeps_the_draft(sandbox, editor):
    draft = _draft_with(
        sandbox, editor, send_to_group(sandbox, menu=ORDERS, keypress="2", group="Sales")
    )
    sandbox.clear_requests()

    with pytest.raises(ReasonRequired):
        publish_draft(draft=draft, actor=actor(editor), reason="  ")

    assert sandbox.requests == []
    assert get_draft(ivr_id=ivr_id(sandbox)).version == draft.version
    assert ivr_change_sets(ivr_id(sandbox)) == []


def test_lint_errors_block_publishing_and_say_what_to_fix(sandbox, editor):
    key = new_menu_key()
    home = menu_key(sandbox, "Main menu")
    draft = _draft_with(
        sandbox,
        editor,
        partial(add_menu, name="Promotions", key=key),
        partial(add_route, menu_key=home, keypress="5", destination=GoToMenu(key)),
    )
    sandbox.clear_requests()

    result = publish_draft(draft=draft, actor=actor(editor), reason="Spring sale")

    assert result.outcome == PublishOutcome.BLOCKED
    assert "Nothing was published" in result.message
    assert "'Promotions' has no routes" in result.message
    assert any(f.rule == "menu-without-routes" for f in result.findings)
    assert writes(sandbox) == []
    assert ivr_change_sets(ivr_id(sandbox)) == []
    assert result.draft is not None and result.draft.version == draft.version
    assert not result.draft.is_being_published()


def test_a_new_menu_is_created_before_the_keys_that_lead_to_it(sandbox, editor):
    key = new_menu_key()
    home = menu_key(sandbox, "Main menu")
    sales = QueueForGroups((group_id(sandbox, "Sales"),))
    draft = _draft_with(
        sandbox,
        editor,
        partial(add_menu, name="Promotions", key=key),
        partial(add_route, menu_key=key, keypress="default", destination=sales),
        partial(add_route, menu_key=home, keypress="5", destination=GoToMenu(key)),
    )
    preview = preview_publish(draft=draft)
    assert [op.sentence for op in preview.operations] == [
        "A new menu 'Promotions' is added, with no greeting yet.",
        "Pressing nothing or a wrong key in menu 'Promotions' now goes to the group 'Sales'.",
        "Press 5 in menu 'Main menu' now goes to the menu 'Promotions'.",
    ]
    sandbox.clear_requests()

    result = publish_draft(draft=draft, actor=actor(editor), reason="Spring sale")

    assert result.outcome == PublishOutcome.APPLIED
    menu = sandbox.state.menu_named(ivr_id(sandbox), "Promotions")
    assert live_route(sandbox, "Main menu", "5")["options"]["menu_id"] == menu["id"]
    assert live_route(sandbox, "Promotions", "default")["options"]["group_ids"] == [
        group_id(sandbox, "Sales")
    ]
    assert [r.method for r in writes(sandbox)] == ["POST", "POST", "POST"]
    (change_set,) = ivr_change_sets(ivr_id(sandbox))
    assert change_set.all_names["menu"][str(menu["id"])] == "Promotions"


def test_a_draft_that_zendesk_already_holds_has_nothing_to_publish(sandbox, editor):
    draft = open_draft(ivr_id=ivr_id(sandbox), actor=actor(editor))
    sandbox.clear_requests()

    result = publish_draft(draft=draft, actor=actor(editor), reason="Checking")

    assert result.outcome == PublishOutcome.NOTHING_TO_PUBLISH
    assert result.message.startswith("Nothing to publish")
    assert writes(sandbox) == []
    assert ivr_change_sets(ivr_id(sandbox)) == []
    assert get_draft(ivr_id=ivr_id(sandbox)) is None


def _draft_with(sandbox, user, *edits) -> Draft:
    draft = open_draft(ivr_id=ivr_id(sandbox), actor=actor(user))
    for edit in edits:
        draft = edit_draft(
            draft=draft, edit=edit, actor=actor(user), expected_version=draft.version
        )
    return draft


def _route_in(ivr_json: dict, menu_name: str, keypress: str) -> dict:
    menu = next(m for m in ivr_json["menus"] if m["name"] == menu_name)
    return next(r for r in menu["routes"] if r["keypress"] == keypress)


def test_the_preview_lists_the_calls_and_warns_about_the_numbers_settings(sandbox, editor):
    draft = _draft_with(
        sandbox, editor, send_to_group(sandbox, menu=ORDERS, keypress="2", group="Sales")
    )
    sandbox.clear_requests()

    preview = preview_publish(draft=draft)

    assert preview.can_publish and not preview.conflicts and not preview.blocked
    assert [op.method for op in preview.operations] == ["PUT"]
    # US Main Support offers callbacks, which an IVR's greeting must mention.
    warnings = [f for f in preview.findings if f.rule == "callback-greeting"]
    assert [f.message.split(" can ask")[0] for f in warnings] == [
        "Callers to 'US Main Support' (+1 (415) 555-0134)"
    ]
    assert writes(sandbox) == []
    assert get_draft(ivr_id=ivr_id(sandbox)).version == draft.version
