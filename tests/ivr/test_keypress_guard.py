"""TalkAdmin never sends a second route for a key of a menu, whether Zendesk would refuse it or
not (the sandbox's 422 for it is its own choice: see sandbox/__init__.py).

The guards are TalkAdmin's own: the editor refuses a key already taken (ivr/edit.py
_check_keypress_free); a stored draft's routes are merged by key (ivr/merge.py), the lint blocks
two routes for one key (ivr/lint_routes.py, "duplicate-keypress") and so does the planner
(ivr/plan.py _check_desired); the planner matches routes by key, so it creates a route only on
a key the live menu lacks, sends a changed key's new destination as an update (never a key),
and deletes before it creates. These tests replay what the sandbox received, so they do not
rely on its refusal.
"""

import copy
from functools import partial

import pytest

from ivr.engine.destinations import QueueForGroups
from ivr.engine.edit import add_route, delete_route, update_route
from ivr.models import Draft
from ivr.services import PublishOutcome, edit_draft, open_draft, publish_draft
from tests.ivr.drafting import ORDERS, actor, group_id, ivr_id, menu_key, writes

pytestmark = pytest.mark.django_db


def _keys_at_every_step(sandbox, menu_id: int, routes_before: dict[int, str]) -> list[list[str]]:
    """The keys of the menu after each write the sandbox received, replayed from the requests."""
    keys = dict(routes_before)  # route id -> keypress; routes made by a POST get new ids
    made = 0
    steps = []
    for request in writes(sandbox):
        if not request.path.startswith(f"/api/v2/channels/voice/ivr/{ivr_id(sandbox)}/menus/"):
            continue
        if request.path.endswith(f"/menus/{menu_id}/routes") and request.method == "POST":
            made += 1
            keys[-made] = request.body["ivr_route"]["keypress"]
        elif f"/menus/{menu_id}/routes/" in request.path and request.method == "DELETE":
            keys.pop(int(request.path.rsplit("/", 1)[1]))
        elif f"/menus/{menu_id}/routes/" in request.path:
            assert "keypress" not in request.body["ivr_route"]  # an update never moves a key
        steps.append(sorted(keys.values()))
    return steps


def test_keys_freed_and_taken_again_in_one_publish_never_hold_two_routes(sandbox, editor):
    menu = sandbox.state.menu_named(ivr_id(sandbox), ORDERS)
    routes_before = {r["id"]: r["keypress"] for r in sandbox.state.routes_of(menu["id"])}
    orders = menu_key(sandbox, ORDERS)
    sales = QueueForGroups((group_id(sandbox, "Sales"),))
    edits = [  # as an editor would click them: 3 freed and taken by 9, 9 given to Sales
        partial(delete_route, menu_key=orders, keypress="3"),
        partial(update_route, menu_key=orders, keypress="9", new_keypress="3"),
        partial(add_route, menu_key=orders, keypress="9", destination=sales),
        partial(update_route, menu_key=orders, keypress="1", new_keypress="4"),
        partial(update_route, menu_key=orders, keypress="2", new_keypress="1"),
    ]
    draft = open_draft(ivr_id=ivr_id(sandbox), actor=actor(editor))
    for edit in edits:
        draft = edit_draft(
            draft=draft, edit=edit, actor=actor(editor), expected_version=draft.version
        )
    sandbox.clear_requests()

    result = publish_draft(draft=draft, actor=actor(editor), reason="New key layout")

    assert result.outcome == PublishOutcome.APPLIED, result.message
    steps = _keys_at_every_step(sandbox, menu["id"], routes_before)
    assert steps, "the publish changed nothing in the menu"
    for keys in steps:
        assert len(keys) == len(set(keys)), f"two routes for one key: {keys}"
    assert all(request.status < 300 for request in writes(sandbox))
    live = sorted(r["keypress"] for r in sandbox.state.routes_of(menu["id"]))
    assert live == ["1", "3", "4", "9", "default"]


def test_a_draft_holding_two_routes_for_one_key_never_sends_a_second_one(sandbox, editor):
    """A stored draft can come from a file (import) or an older TalkAdmin: whatever it holds,
    one key of a menu gets one route in Zendesk."""
    menu = sandbox.state.menu_named(ivr_id(sandbox), ORDERS)
    routes_before = {r["id"]: r["keypress"] for r in sandbox.state.routes_of(menu["id"])}
    draft = open_draft(ivr_id=ivr_id(sandbox), actor=actor(editor))
    document = copy.deepcopy(draft.document)
    orders = next(m for m in document["menus"] if m["name"] == ORDERS)
    second = copy.deepcopy(next(r for r in orders["routes"] if r["keypress"] == "1"))
    second.pop("id", None)
    second["options"] = {"group_ids": [group_id(sandbox, "Sales")]}
    orders["routes"].append(second)
    Draft.objects.filter(pk=draft.pk).update(document=document, version=draft.version + 1)
    draft.refresh_from_db()
    sandbox.clear_requests()

    result = publish_draft(draft=draft, actor=actor(editor), reason="Two routes for 1")

    assert result.outcome != PublishOutcome.FAILED, result.message
    for keys in _keys_at_every_step(sandbox, menu["id"], routes_before):
        assert len(keys) == len(set(keys)), f"two routes for one key: {keys}"
    live = [r["keypress"] for r in sandbox.state.routes_of(menu["id"])]
    assert live.count("1") == 1
