"""Zendesk makes a menu, a route or an IVR and its answer is lost: TalkAdmin finds what it made
and never creates it twice, also when it cannot look at once or its worker died waiting; the
audit log says which change made it."""

import pytest

from audit.models import ChangeSet
from ivr.models import Draft
from ivr.services import PublishOutcome, create_ivr, import_ivr, preview_publish, publish_draft
from tests.ivr.drafting import actor, calls_of, ivr_change_sets, ivr_id, live_route, writes
from tests.ivr.lost_answers import WorkerKilled, losing
from tests.ivr.test_publish_failures import promotions_menus, spring_sale_draft

pytestmark = pytest.mark.django_db

MENU_CREATE, ROUTE_IN_NEW_MENU, ORDERS_2, KEY_5 = 0, 1, 2, 3  # the spring sale's writes


def first_publish(sandbox, editor, *, at: int, kind: str):
    draft = spring_sale_draft(sandbox, editor)
    with losing(sandbox, at=at, kind=kind):
        try:
            result = publish_draft(draft=draft, actor=actor(editor), reason="Spring sale")
        except WorkerKilled:
            result = None
    sandbox.clear_requests()
    return result


def settled_change_sets(ivr: int) -> list[ChangeSet]:
    return [c for c in ivr_change_sets(ivr) if c.action == "settle_lost_answers"]


@pytest.mark.parametrize("kind", ["then down", "worker killed"])
def test_a_menu_made_without_an_answer_is_adopted_by_the_next_publish(sandbox, editor, kind):
    first = first_publish(sandbox, editor, at=MENU_CREATE, kind=kind)
    (menu,) = promotions_menus(sandbox)  # Zendesk made it; TalkAdmin could not learn it then
    draft = Draft.objects.get(ivr_id=ivr_id(sandbox))
    assert [c["name"] for c in draft.unconfirmed_creates] == ["Promotions"]
    if first is not None:
        assert first.outcome == PublishOutcome.FAILED
        assert "may or may not be made" in first.message
    else:
        (killed,) = ivr_change_sets(ivr_id(sandbox))
        assert killed.status == "interrupted"

    preview = preview_publish(draft=draft)
    assert "A new menu 'Promotions' is added, with no greeting yet." not in [
        op.sentence for op in preview.operations
    ]

    again = publish_draft(draft=draft, actor=actor(editor), reason="Spring sale, again")

    assert again.outcome == PublishOutcome.APPLIED
    assert [m["id"] for m in promotions_menus(sandbox)] == [menu["id"]]
    assert not sandbox.requests_to("POST", "*/ivr/*/menus")  # not created twice
    assert live_route(sandbox, "Main menu", "5")["options"]["menu_id"] == menu["id"]
    assert len(writes(sandbox)) == 3  # its default route, Orders key 2, key 5: once each
    (settled,) = settled_change_sets(ivr_id(sandbox))
    sent_by = ivr_change_sets(ivr_id(sandbox))[0]
    assert settled.summary.startswith("Read the IVR 'Main support line' again")
    assert (
        "Made, although Zendesk's answer was lost: “A new menu 'Promotions' is added, with no "
        f"greeting yet” (sent by change #{sent_by.pk}), found as Zendesk's menu {menu['id']}"
    ) in settled.summary
    assert settled.status == "applied"
    assert calls_of(settled) == []  # no Talk API write: it only settles what was sent
    assert Draft.objects.filter(ivr_id=ivr_id(sandbox)).count() == 0


def test_a_menu_made_without_an_answer_is_found_at_once_when_zendesk_answers_a_read(
    sandbox, editor
):
    first = first_publish(sandbox, editor, at=MENU_CREATE, kind="drop")

    assert first.outcome == PublishOutcome.PARTLY_APPLIED
    assert "TalkAdmin checked: it was made" in first.message
    (change_set,) = ivr_change_sets(ivr_id(sandbox))
    assert calls_of(change_set) == [("POST", None), ("GET", 200)]
    assert "Promotions" in [m["name"] for m in change_set.after["menus"]]
    assert first.draft.unconfirmed_creates == []  # settled: nothing left to look for

    again = publish_draft(draft=first.draft, actor=actor(editor), reason="Spring sale")

    assert again.outcome == PublishOutcome.APPLIED
    assert len(promotions_menus(sandbox)) == 1
    assert settled_change_sets(ivr_id(sandbox)) == []


@pytest.mark.parametrize("kind", ["then down", "worker killed"])
def test_a_route_made_without_an_answer_is_not_sent_again_and_the_log_says_so(
    sandbox, editor, kind
):
    first_publish(sandbox, editor, at=KEY_5, kind=kind)
    made = live_route(sandbox, "Main menu", "5")
    draft = Draft.objects.get(ivr_id=ivr_id(sandbox))

    again = publish_draft(draft=draft, actor=actor(editor), reason="Spring sale")

    assert again.outcome == PublishOutcome.NOTHING_TO_PUBLISH
    assert writes(sandbox) == []  # key 5 is not sent twice
    (settled,) = settled_change_sets(ivr_id(sandbox))
    assert (
        "“Press 5 in menu 'Main menu' now goes to the menu 'Promotions'” (sent by change #"
    ) in settled.summary
    assert f"found as Zendesk's route {made['id']}" in settled.summary


def test_a_create_zendesk_refused_before_acting_is_forgotten_and_sent_once_more(sandbox, editor):
    draft = spring_sale_draft(sandbox, editor)
    sandbox.fail("POST", "*/ivr/*/menus", status=503, times=1)

    first = publish_draft(draft=draft, actor=actor(editor), reason="Spring sale")

    assert first.outcome == PublishOutcome.FAILED
    assert first.draft.unconfirmed_creates == []
    again = publish_draft(draft=first.draft, actor=actor(editor), reason="Spring sale")
    assert again.outcome == PublishOutcome.APPLIED
    assert len(promotions_menus(sandbox)) == 1
    assert settled_change_sets(ivr_id(sandbox)) == []


@pytest.mark.parametrize("kind", ["500", "timeout", "drop"])
def test_an_ivr_created_without_an_answer_is_found_and_not_created_twice(
    sandbox, editor, admin, kind
):
    with losing(sandbox, at=0, kind=kind):
        new_id = create_ivr(name="Spring line", actor=actor(admin), reason="Spring sale")

    (made,) = [ivr for ivr in sandbox.state.ivrs.values() if ivr["name"] == "Spring line"]
    assert new_id == made["id"]
    assert len(sandbox.requests_to("POST", "*/ivr")) == 1
    change_set = ChangeSet.objects.get(action="create_ivr")
    assert change_set.status == "applied"
    assert change_set.outcome_row.target_id == str(new_id)
    assert calls_of(change_set) == [("POST", 500 if kind == "500" else None), ("GET", 200)]
    assert "Zendesk's answer was lost, so TalkAdmin read the IVRs again and found it made" in (
        change_set.final_summary
    )


def test_an_import_as_a_new_ivr_whose_answer_was_lost_finds_the_ivr_made(sandbox, admin):
    exported = {"name": "Imported line", "menus": [{"id": 1, "name": "Main", "default": True}]}

    with losing(sandbox, at=0, kind="timeout"):
        result = import_ivr(data=exported, actor=actor(admin), reason="From the old account")

    (made,) = [ivr for ivr in sandbox.state.ivrs.values() if ivr["name"] == "Imported line"]
    assert result.created and result.draft.ivr_id == made["id"]
    assert len(sandbox.requests_to("POST", "*/ivr")) == 1
    assert result.change_set.status == "applied"
