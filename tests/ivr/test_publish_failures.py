"""Zendesk fails in the middle of a publish: the admin is told what was made and what was not,
the audit log shows a partly applied change set, the draft is kept, and publishing again sends
only what is missing."""

from functools import partial

import pytest

from ivr.engine.destinations import GoToMenu, QueueForGroups
from ivr.engine.document import new_menu_key
from ivr.engine.edit import add_menu, add_route, delete_route
from ivr.models import Draft
from ivr.services import PublishOutcome, edit_draft, open_draft, publish_draft
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

PROMOTIONS_WRITES = ["POST", "POST", "PUT", "POST"]  # menu, its route, Orders key 2, key 5


def spring_sale_draft(sandbox, user) -> Draft:
    """New menu 'Promotions' (default: Sales), reached with 5; Orders key 2 goes to Sales."""
    key = new_menu_key()
    sales = QueueForGroups((group_id(sandbox, "Sales"),))
    edits = [
        partial(add_menu, name="Promotions", key=key),
        partial(add_route, menu_key=key, keypress="default", destination=sales),
        partial(
            add_route,
            menu_key=menu_key(sandbox, "Main menu"),
            keypress="5",
            destination=GoToMenu(key),
        ),
        send_to_group(sandbox, menu=ORDERS, keypress="2", group="Sales"),
    ]
    draft = open_draft(ivr_id=ivr_id(sandbox), actor=actor(user))
    for edit in edits:
        draft = edit_draft(
            draft=draft, edit=edit, actor=actor(user), expected_version=draft.version
        )
    sandbox.clear_requests()
    return draft


def promotions_menus(sandbox) -> list[dict]:
    ivr = ivr_id(sandbox)
    return [m for m in sandbox.state.menus_of(ivr) if m["name"] == "Promotions"]


def orders_route_path(sandbox, keypress: str) -> str:
    route = live_route(sandbox, ORDERS, keypress)
    return f"*/routes/{route['id']}"


def main_menu_routes_path(sandbox) -> str:
    return f"*/menus/{sandbox.state.default_menu(ivr_id(sandbox))['id']}/routes"


def test_zendesk_down_half_way_leaves_a_partly_applied_publish_and_a_draft_that_finishes_it(
    sandbox, editor
):
    draft = spring_sale_draft(sandbox, editor)
    sandbox.fail("PUT", orders_route_path(sandbox, "2"), status=503)

    result = publish_draft(draft=draft, actor=actor(editor), reason="Spring sale")

    assert result.outcome == PublishOutcome.PARTLY_APPLIED
    assert [op.kind for op in result.applied] == ["create_menu", "create_route"]
    assert [op.kind for op in result.remaining] == ["update_route", "create_route"]
    assert result.message.startswith("Only 2 of the 4 changes were published")
    assert "Zendesk did not answer when TalkAdmin sent “Press 2 in menu 'Orders & billing'" in (
        result.message
    )
    assert "Publish it again in a minute" in result.message
    (change_set,) = ivr_change_sets(ivr_id(sandbox))
    assert change_set.status == "partly_applied"
    assert "Not made: Press 2 in menu 'Orders & billing'" in change_set.final_summary
    assert calls_of(change_set) == [("POST", 201), ("POST", 201), ("PUT", 503)]
    after_menus = [menu["name"] for menu in change_set.after["menus"]]
    assert "Promotions" in after_menus
    # What is left to do is kept, and the menu Zendesk created is remembered by its id.
    kept = result.draft
    assert kept is not None and kept.version > draft.version
    assert not kept.is_being_published()
    (menu,) = promotions_menus(sandbox)
    assert kept.ivr_document().find_menu(f"m:{menu['id']}") is not None

    sandbox.app.faults.forced.clear()
    sandbox.clear_requests()
    again = publish_draft(draft=kept, actor=actor(editor), reason="Spring sale, second try")

    assert again.outcome == PublishOutcome.APPLIED
    assert [r.method for r in writes(sandbox)] == ["PUT", "POST"]
    assert len(promotions_menus(sandbox)) == 1
    assert live_route(sandbox, "Main menu", "5")["options"]["menu_id"] == menu["id"]
    assert live_route(sandbox, ORDERS, "2")["options"]["group_ids"] == [group_id(sandbox, "Sales")]


def test_rate_limited_half_way_says_when_to_try_again(sandbox, editor):
    draft = spring_sale_draft(sandbox, editor)
    sandbox.fail("POST", main_menu_routes_path(sandbox), status=429, retry_after=60)

    result = publish_draft(draft=draft, actor=actor(editor), reason="Spring sale")

    assert result.outcome == PublishOutcome.PARTLY_APPLIED
    assert len(result.applied) == 3
    assert "Zendesk asked TalkAdmin to slow down" in result.message
    assert "Publish it again in 60 seconds" in result.message
    (change_set,) = ivr_change_sets(ivr_id(sandbox))
    assert change_set.status == "partly_applied"
    assert calls_of(change_set)[-1] == ("POST", 429)


def test_a_lost_answer_may_have_made_the_change_and_publishing_again_sorts_it_out(sandbox, editor):
    draft = spring_sale_draft(sandbox, editor)
    sandbox.time_out("POST", main_menu_routes_path(sandbox), times=1, after_applying=True)

    result = publish_draft(draft=draft, actor=actor(editor), reason="Spring sale")

    assert result.outcome == PublishOutcome.PARTLY_APPLIED
    assert "TalkAdmin checked: it was made" in result.message  # read again at once
    assert len(result.applied) == 4
    made = live_route(sandbox, "Main menu", "5")  # Zendesk did make it
    (change_set,) = ivr_change_sets(ivr_id(sandbox))
    assert calls_of(change_set)[-2:] == [("POST", None), ("GET", 200)]
    main_menu = next(m for m in change_set.after["menus"] if m["name"] == "Main menu")
    assert made["id"] in {route["id"] for route in main_menu["routes"]}  # as made by it
    assert "was lost; TalkAdmin read the IVR again and found it made" in (change_set.final_summary)

    sandbox.clear_requests()
    again = publish_draft(draft=result.draft, actor=actor(editor), reason="Spring sale")

    assert again.outcome == PublishOutcome.NOTHING_TO_PUBLISH
    assert writes(sandbox) == []  # no second key 5


def test_a_menu_created_without_an_answer_is_found_and_not_created_twice(sandbox, editor):
    draft = spring_sale_draft(sandbox, editor)
    sandbox.time_out("POST", "*/ivr/*/menus", times=1, after_applying=True)

    result = publish_draft(draft=draft, actor=actor(editor), reason="Spring sale")

    assert result.outcome == PublishOutcome.PARTLY_APPLIED
    assert "TalkAdmin checked: it was made" in result.message
    (change_set,) = ivr_change_sets(ivr_id(sandbox))
    assert change_set.status == "partly_applied"  # the menu exists, though its answer was lost
    assert calls_of(change_set) == [("POST", None), ("GET", 200)]

    again = publish_draft(draft=result.draft, actor=actor(editor), reason="Spring sale")

    assert again.outcome == PublishOutcome.APPLIED
    assert len(promotions_menus(sandbox)) == 1
    assert len(again.applied) == 3


def test_zendesk_refusing_the_first_change_publishes_nothing_and_says_why(sandbox, editor):
    draft = spring_sale_draft(sandbox, editor)
    refusal = {
        "error": "RecordInvalid",
        "description": "Record validation errors",
        "details": {"name": [{"description": "is already used by another menu"}]},
    }
    sandbox.fail("POST", "*/ivr/*/menus", status=422, body=refusal)

    result = publish_draft(draft=draft, actor=actor(editor), reason="Spring sale")

    assert result.outcome == PublishOutcome.FAILED
    assert result.message.startswith(
        "Nothing was published: Zendesk did not take the first of the 4 changes."
    )
    assert "(Name: is already used by another menu)" in result.message
    assert result.applied == ()
    (change_set,) = ivr_change_sets(ivr_id(sandbox))
    assert change_set.status == "failed"
    assert promotions_menus(sandbox) == []
    assert result.draft is not None


def test_a_delete_whose_answer_was_lost_finds_the_route_gone_and_counts_as_done(sandbox, editor):
    draft = open_draft(ivr_id=ivr_id(sandbox), actor=actor(editor))
    draft = edit_draft(
        draft=draft,
        edit=partial(delete_route, menu_key=menu_key(sandbox, ORDERS), keypress="3"),
        actor=actor(editor),
        expected_version=draft.version,
    )
    sandbox.fail(
        "DELETE", orders_route_path(sandbox, "3"), status=503, times=1, after_applying=True
    )

    result = publish_draft(draft=draft, actor=actor(editor), reason="Sales has its own line")

    assert result.outcome == PublishOutcome.APPLIED
    orders = sandbox.state.menu_named(ivr_id(sandbox), ORDERS)
    assert "3" not in {r["keypress"] for r in sandbox.state.routes_of(orders["id"])}
    (change_set,) = ivr_change_sets(ivr_id(sandbox))
    assert change_set.status == "applied"
