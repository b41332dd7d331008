"""A menu of the same name added in Zendesk while a draft adds one: a change made meanwhile.

The publish stops and says so; the admin uses the menu already in Zendesk (the draft's keys go
into it) or keeps both knowingly, which the change set records. The spring sale draft
(tests/ivr/test_publish_failures.py) adds 'Promotions' (default: Sales), reached with key 5.
"""

import pytest
from django.urls import reverse

from ivr.engine.document import IvrDocument, menu_key_for_id
from ivr.engine.same_name import take_over_menu
from ivr.models import Draft
from ivr.services import PublishOutcome, preview_publish, publish_draft, use_zendesk_menu
from tests.ivr.drafting import actor, group_id, ivr_change_sets, ivr_id, live_route, writes
from tests.ivr.page_html import html, text
from tests.ivr.test_publish_failures import promotions_menus, spring_sale_draft

pytestmark = pytest.mark.django_db


def added_in_zendesk(sandbox, name: str = "Promotions") -> dict:
    """Someone adds a menu in Zendesk's Admin Center, with key 1 to Billing."""
    menu = sandbox.state.add_menu(ivr_id(sandbox), name)
    sandbox.state.add_route(menu["id"], "1", "group", {"group_ids": [group_id(sandbox, "Billing")]})
    return menu


def test_publishing_stops_at_a_same_name_menu_added_in_zendesk_and_sends_nothing(sandbox, editor):
    draft = spring_sale_draft(sandbox, editor)
    theirs = added_in_zendesk(sandbox)

    preview = preview_publish(draft=draft)
    result = publish_draft(draft=draft, actor=actor(editor), reason="Spring sale")

    (same,) = preview.same_name
    assert (same.draft_menu.name, same.zendesk_menu_id) == ("Promotions", theirs["id"])
    assert result.outcome == PublishOutcome.SAME_NAME_MENU
    assert result.message.startswith(
        "Nothing was published: since your draft began, a menu called 'Promotions' was added "
        "in Zendesk, and your draft adds one of the same name."
    )
    assert writes(sandbox) == [] and ivr_change_sets(ivr_id(sandbox)) == []
    assert result.draft is not None and result.keep_both == str(theirs["id"])


def test_using_the_menu_in_zendesk_puts_the_drafts_keys_into_it_and_keeps_its_own(sandbox, editor):
    draft = spring_sale_draft(sandbox, editor)
    theirs = added_in_zendesk(sandbox)
    (same,) = preview_publish(draft=draft).same_name

    draft = use_zendesk_menu(
        draft=draft,
        menu_key=same.draft_menu.key,
        zendesk_menu_id=theirs["id"],
        actor=actor(editor),
        expected_version=draft.version,
    )
    preview = preview_publish(draft=draft)
    result = publish_draft(draft=draft, actor=actor(editor), reason="Spring sale")

    assert preview.same_name == ()
    assert not any(op.kind == "create_menu" for op in preview.operations)
    assert result.outcome == PublishOutcome.APPLIED
    assert [m["id"] for m in promotions_menus(sandbox)] == [theirs["id"]]  # one, theirs
    assert live_route(sandbox, "Main menu", "5")["options"]["menu_id"] == theirs["id"]
    sales, billing = group_id(sandbox, "Sales"), group_id(sandbox, "Billing")
    assert live_route(sandbox, "Promotions", "default")["options"]["group_ids"] == [sales]
    assert live_route(sandbox, "Promotions", "1")["options"]["group_ids"] == [billing]


def test_keeping_both_publishes_a_second_menu_and_the_change_set_says_it_was_chosen(
    sandbox, editor
):
    draft = spring_sale_draft(sandbox, editor)
    theirs = added_in_zendesk(sandbox)
    keep_both = preview_publish(draft=draft).keep_both

    result = publish_draft(
        draft=draft, actor=actor(editor), reason="Two on purpose", keep_both=keep_both
    )

    assert result.outcome == PublishOutcome.APPLIED
    assert len(promotions_menus(sandbox)) == 2
    (change_set,) = ivr_change_sets(ivr_id(sandbox))
    chosen = (
        "Both menus of the same name kept, as the admin chose: 'Promotions' added in Zendesk "
        f"meanwhile (Zendesk's menu {theirs['id']}) and this draft's own 'Promotions'."
    )
    assert change_set.summary.endswith(chosen)
    assert change_set.final_summary.endswith(chosen)


def test_keeping_both_covers_only_the_menus_shown(sandbox, editor):
    draft = spring_sale_draft(sandbox, editor)
    added_in_zendesk(sandbox)
    keep_both = preview_publish(draft=draft).keep_both
    added_in_zendesk(sandbox, "PROMOTIONS")  # a second one, after the page was shown

    result = publish_draft(draft=draft, actor=actor(editor), reason="Two", keep_both=keep_both)

    assert result.outcome == PublishOutcome.SAME_NAME_MENU
    assert len(result.same_name) == 2
    assert writes(sandbox) == []


def test_the_publish_page_shows_the_same_name_menu_and_both_choices_work(
    as_editor, sandbox, editor
):
    draft = spring_sale_draft(sandbox, editor)
    theirs = added_in_zendesk(sandbox)
    url = reverse("ivr:publish", args=[draft.ivr_id])

    page = html(as_editor.get(url))

    (shown,) = page.select(".same-name-list li")
    assert text(shown.p) == (
        "Your draft adds the menu Promotions ; Zendesk now has a menu Promotions with 1 key."
    )
    assert page.find("button", string="Publish to Zendesk").has_attr("disabled")
    use = page.find("button", string="Use the menu already in Zendesk").find_parent("form")
    fields = {i["name"]: i.get("value", "") for i in use.select("input[type=hidden]")}
    moved = as_editor.post(use["action"], fields)
    assert moved.status_code == 303
    after = html(as_editor.get(url))
    assert after.select_one(".same-name") is None
    assert "is now the one already in Zendesk" in text(after)
    assert (
        Draft.objects.get(ivr_id=draft.ivr_id)
        .ivr_document()
        .find_menu(menu_key_for_id(theirs["id"]))
    )


def test_taking_over_a_menu_keeps_its_other_keys_and_gives_the_drafts_keys_the_last_word():
    draft = IvrDocument.from_json(
        {
            "name": "Line",
            "menus": [
                {"key": "m:1", "id": 1, "name": "Main", "default": True, "routes": [
                    {"keypress": "5", "action": "menu", "options": {"menu_key": "new:p"}}]},
                {"key": "new:p", "name": "Promotions", "greeting_id": 501, "routes": [
                    {"keypress": "1", "action": "group", "options": {"group_ids": [7]}}]},
            ],
        }
    )  # fmt: skip
    theirs = IvrDocument.from_zendesk(
        {
            "id": 9,
            "name": "Line",
            "menus": [
                {"id": 40, "name": "Promotions", "greeting_id": 502, "routes": [
                    {"id": 3, "keypress": "1", "action": "group", "options": {"group_ids": [8]}},
                    {"id": 4, "keypress": "2", "action": "group", "options": {"group_ids": [8]}},
                ]},
            ],
        }
    ).menus[0]  # fmt: skip

    taken = take_over_menu(draft, draft_key="new:p", zendesk_menu=theirs)

    menu = taken.find_menu("m:40")
    assert (menu.id, menu.name, menu.greeting_id) == (40, "Promotions", 501)
    assert menu.route("1").destination.group_ids == (7,)  # the draft's
    assert menu.route("2").destination.group_ids == (8,)  # Zendesk's, kept
    assert taken.find_menu("m:1").route("5").destination.menu_key == "m:40"


def test_keep_both_on_the_publish_page_publishes_with_the_reason_typed(as_editor, sandbox, editor):
    draft = spring_sale_draft(sandbox, editor)
    added_in_zendesk(sandbox)
    page = html(as_editor.get(reverse("ivr:publish", args=[draft.ivr_id])))
    keep = page.find("button", string="Keep both and publish").find_parent("form")
    fields = {i["name"]: i.get("value", "") for i in keep.select("input[type=hidden]")}

    done = html(as_editor.post(keep["action"], {**fields, "reason": "Two promotions menus"}))

    assert text(done.select_one(".outcome h2")) == "✓ Published"
    assert len(promotions_menus(sandbox)) == 2
    (change_set,) = ivr_change_sets(ivr_id(sandbox))
    assert change_set.reason == "Two promotions menus"
    assert "Both menus of the same name kept, as the admin chose" in change_set.summary
