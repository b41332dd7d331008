"""The planner: the fewest Talk API calls, in a safe order, each with a sentence for the admin."""

import re

import pytest

from ivr.engine.destinations import GoToMenu, QueueForGroups, TextBack, Voicemail
from ivr.engine.document import IvrDocument
from ivr.engine.edit import (
    add_menu,
    add_route,
    delete_menu,
    delete_route,
    rename_ivr,
    rename_menu,
    set_menu_greeting,
    update_route,
)
from ivr.engine.plan import OperationKind, Plan, PlanError, plan_changes
from tests.ivr.acme import (
    BILLING,
    BILLING_MENU_ID,
    BILLING_OPTIONS,
    HOLIDAY_NOTICE,
    IVR_ID,
    MAIN,
    MAIN_LINE,
    MAIN_MENU_ID,
    SUPPORT,
    TIER_2,
    acme_ivr,
    acme_ivr_json,
    acme_lookups,
)
from tests.ivr.applying import apply_plan, configuration, desired_as_zendesk
from tests.ivr.zendesk_model import InMemoryZendesk

ROUTES = f"/api/v2/channels/voice/ivr/{IVR_ID}/menus/{MAIN_MENU_ID}/routes"


def plan(desired: IvrDocument, live: IvrDocument | None = None) -> Plan:
    return plan_changes(live=live or acme_ivr(), desired=desired, lookups=acme_lookups())


def publish(desired: IvrDocument) -> dict:
    """Apply the plan to a Zendesk holding Acme's IVR; return what Zendesk then holds."""
    zendesk = InMemoryZendesk(acme_ivr_json())
    menu_ids = apply_plan(plan(desired), zendesk)
    assert configuration(zendesk.ivr_json()) == configuration(desired_as_zendesk(desired, menu_ids))
    return zendesk.ivr_json()


def test_an_unchanged_ivr_needs_no_call():
    assert len(plan(acme_ivr())) == 0


def test_changing_one_route_is_one_call_that_sends_the_action_with_the_whole_options():
    desired = update_route(
        acme_ivr(), menu_key=MAIN, keypress="2", destination=QueueForGroups((TIER_2,))
    )

    [operation] = plan(desired)

    assert operation.kind is OperationKind.UPDATE_ROUTE
    assert operation.method == "PUT"
    assert operation.path(ivr_id=IVR_ID, menu_ids={MAIN: MAIN_MENU_ID}) == f"{ROUTES}/1002"
    assert operation.body(menu_ids={}) == {
        "ivr_route": {"action": "group", "options": {"group_ids": [TIER_2]}}
    }
    assert operation.sentence == (
        "Press 2 in menu 'Main menu' now goes to the group 'Tier 2' instead of the group 'Tier 1'."
    )


def test_a_text_back_is_sent_as_sms_text_with_the_options_zendesk_had():
    ivr = acme_ivr_json()
    ivr["menus"][0]["routes"][2]["options"] = {
        "sms_textstring": "Old text",
        "textback_phone_number_id": MAIN_LINE,
        "tags": ["sms"],
        "language": "en",
    }
    live = IvrDocument.from_zendesk(ivr)
    desired = update_route(
        live, menu_key=MAIN, keypress="3", destination=TextBack("New text", MAIN_LINE)
    )

    [operation] = plan(desired, live)

    assert operation.body(menu_ids={}) == {
        "ivr_route": {
            "action": "textback",
            "options": {
                "sms_text": "New text",
                "textback_phone_number_id": MAIN_LINE,
                "tags": ["sms"],
                "language": "en",
            },
        }
    }


def test_swapping_two_keys_is_two_updates_that_never_send_a_keypress():
    document = acme_ivr()
    main = document.find_menu(MAIN)
    press_1, press_2 = main.route("1").destination, main.route("2").destination
    desired = update_route(document, menu_key=MAIN, keypress="1", destination=press_2)
    desired = update_route(desired, menu_key=MAIN, keypress="2", destination=press_1)

    operations = plan(desired)

    assert [(o.kind, o.keypress) for o in operations] == [
        (OperationKind.UPDATE_ROUTE, "1"),
        (OperationKind.UPDATE_ROUTE, "2"),
    ]
    assert all(
        "keypress" not in o.body(menu_ids=operations.menu_ids)["ivr_route"] for o in operations
    )
    assert operations.sentences == (
        "Press 1 in menu 'Main menu' now goes to the group 'Tier 1' instead of the menu 'Billing'.",
        "Press 2 in menu 'Main menu' now goes to the menu 'Billing' instead of the group 'Tier 1'.",
    )
    publish(desired)


def test_a_route_moved_to_a_free_key_frees_the_old_key_first():
    desired = update_route(acme_ivr(), menu_key=MAIN, keypress="2", new_keypress="5")

    operations = plan(desired)

    assert [(o.kind, o.keypress) for o in operations] == [
        (OperationKind.DELETE_ROUTE, "2"),
        (OperationKind.CREATE_ROUTE, "5"),
    ]
    assert operations.sentences == (
        "Press 2 in menu 'Main menu' no longer goes anywhere (it went to the group 'Tier 1').",
        "Press 5 in menu 'Main menu' now goes to the group 'Tier 1'.",
    )
    publish(desired)


def test_a_new_menu_is_created_and_filled_before_any_key_leads_to_it():
    desired = add_menu(acme_ivr(), name="Returns", greeting_id=BILLING_OPTIONS, key="new:r")
    desired = add_route(
        desired, menu_key="new:r", keypress="default", destination=Voicemail((SUPPORT,))
    )
    desired = update_route(desired, menu_key=MAIN, keypress="3", destination=GoToMenu("new:r"))

    operations = plan(desired)

    assert [(o.kind, o.menu_key, o.keypress) for o in operations] == [
        (OperationKind.CREATE_MENU, "new:r", None),
        (OperationKind.CREATE_ROUTE, "new:r", "default"),
        (OperationKind.UPDATE_ROUTE, MAIN, "3"),
    ]
    create_menu, _, lead_there = operations
    assert create_menu.body(menu_ids={}) == {
        "ivr_menu": {"name": "Returns", "greeting_id": BILLING_OPTIONS}
    }
    with pytest.raises(PlanError, match="has not been created in Zendesk yet"):
        lead_there.body(menu_ids=operations.menu_ids)
    assert lead_there.body(menu_ids={**operations.menu_ids, "new:r": 9001}) == {
        "ivr_route": {"action": "menu", "options": {"menu_id": 9001}}
    }
    assert operations.sentences == (
        "A new menu 'Returns' is added, playing the greeting 'Billing options'.",
        "Pressing nothing or a wrong key in menu 'Returns' now goes to voicemail for the group "
        "'Support'.",
        "Press 3 in menu 'Main menu' now goes to the menu 'Returns' instead of a text message "
        "from 'Main line' (+1 (510) 555-0100) saying \"Track your order at acme.example/track\".",
    )
    publish(desired)


def test_a_new_menu_without_a_greeting_sends_only_its_name():
    desired = add_menu(acme_ivr(), name="Returns", key="new:r")
    desired = add_route(desired, menu_key="new:r", keypress="1", destination=GoToMenu(MAIN))
    desired = update_route(desired, menu_key=MAIN, keypress="3", destination=GoToMenu("new:r"))

    create_menu = plan(desired).operations[0]

    assert create_menu.body(menu_ids={}) == {"ivr_menu": {"name": "Returns"}}
    assert create_menu.sentence == "A new menu 'Returns' is added, with no greeting yet."


def test_deleting_a_menu_is_one_call_made_after_the_keys_leading_to_it_change():
    desired = update_route(
        acme_ivr(), menu_key=MAIN, keypress="1", destination=QueueForGroups((TIER_2,))
    )
    desired = delete_menu(desired, menu_key=BILLING)

    operations = plan(desired)

    assert [(o.kind, o.menu_key) for o in operations] == [
        (OperationKind.UPDATE_ROUTE, MAIN),
        (OperationKind.DELETE_MENU, BILLING),
    ]
    assert operations.operations[-1].body(menu_ids={}) is None
    assert operations.operations[-1].path(ivr_id=IVR_ID, menu_ids=operations.menu_ids) == (
        f"/api/v2/channels/voice/ivr/{IVR_ID}/menus/{BILLING_MENU_ID}"
    )
    assert operations.sentences[-1] == "Menu 'Billing' is deleted, with its 4 routes."
    held = publish(desired)
    assert [menu["name"] for menu in held["menus"]] == ["Main menu"]


def test_of_two_deleted_menus_the_one_leading_to_the_other_goes_first():
    desired = add_menu(acme_ivr(), name="Promotions", key="new:p")
    desired = add_route(desired, menu_key="new:p", keypress="1", destination=GoToMenu(BILLING))
    desired = update_route(desired, menu_key=MAIN, keypress="1", destination=GoToMenu("new:p"))
    zendesk = InMemoryZendesk(acme_ivr_json())
    menu_ids = apply_plan(plan(desired), zendesk)
    live = IvrDocument.from_zendesk(zendesk.ivr_json())
    promotions = f"m:{menu_ids['new:p']}"
    # Both go: Promotions leads to Billing, and Billing's 9 leads back to the main menu.
    trimmed = update_route(live, menu_key=MAIN, keypress="1", destination=Voicemail((SUPPORT,)))
    trimmed = delete_route(trimmed, menu_key=promotions, keypress="1")
    trimmed = delete_menu(trimmed, menu_key=promotions)
    trimmed = delete_menu(trimmed, menu_key=BILLING)

    operations = plan_changes(live=live, desired=trimmed, lookups=acme_lookups())

    assert [(o.kind, o.menu_key) for o in operations] == [
        (OperationKind.UPDATE_ROUTE, MAIN),
        (OperationKind.DELETE_MENU, promotions),
        (OperationKind.DELETE_MENU, BILLING),
    ]


def test_renaming_the_ivr_and_a_menu_sends_only_what_changed():
    desired = rename_ivr(acme_ivr(), name="Acme customer care")
    desired = rename_menu(desired, menu_key=BILLING, name="Payments")

    rename, menu = plan(desired)

    assert rename.body(menu_ids={}) == {"ivr": {"name": "Acme customer care"}}
    assert rename.path(ivr_id=IVR_ID, menu_ids={}) == f"/api/v2/channels/voice/ivr/{IVR_ID}"
    assert rename.sentence == "The IVR 'Acme support' is renamed 'Acme customer care'."
    assert menu.body(menu_ids={}) == {"ivr_menu": {"name": "Payments"}}
    assert menu.sentence == "Menu 'Billing' is renamed 'Payments'."


def test_a_menus_new_greeting_is_said_by_name():
    desired = set_menu_greeting(acme_ivr(), menu_key=BILLING, greeting_id=HOLIDAY_NOTICE)

    [operation] = plan(desired)

    assert operation.body(menu_ids={}) == {"ivr_menu": {"greeting_id": HOLIDAY_NOTICE}}
    assert operation.sentence == (
        "Menu 'Billing' now plays the greeting 'Holiday notice' instead of the greeting "
        "'Billing options'."
    )


def test_new_tags_on_a_route_are_said_in_words():
    desired = update_route(acme_ivr(), menu_key=MAIN, keypress="2", tags=("vip",))

    [operation] = plan(desired)

    assert operation.sentence == (
        "Press 2 in menu 'Main menu' still goes to the group 'Tier 1', now adding the tag 'vip' "
        "to tickets instead of no tags."
    )
    assert operation.body(menu_ids={}) == {
        "ivr_route": {"action": "group", "options": {"group_ids": [11], "tags": ["vip"]}}
    }


def test_no_body_carries_a_read_only_field():
    desired = add_menu(acme_ivr(), name="Returns", key="new:r")
    desired = add_route(desired, menu_key="new:r", keypress="1", destination=GoToMenu(MAIN))
    desired = update_route(desired, menu_key=BILLING, keypress="9", destination=GoToMenu("new:r"))
    desired = rename_menu(desired, menu_key=MAIN, name="Welcome")

    operations = plan(desired)
    ids = {**operations.menu_ids, "new:r": 9001}
    bodies = [o.body(menu_ids=ids) for o in operations]

    sent = repr(bodies)
    for read_only in ("option_text", "greeting'", "'default'", "'routes'", "'id'"):
        assert read_only not in sent


def test_the_menu_callers_hear_first_is_never_deleted():
    live = acme_ivr()
    desired = IvrDocument(name=live.name, menus=(live.find_menu(BILLING),), id=live.id)

    with pytest.raises(PlanError, match=re.escape("'Main menu' is the menu callers hear first")):
        plan(desired)


def test_another_menu_cannot_become_the_first_one():
    ivr = acme_ivr_json()
    ivr["menus"][0]["default"], ivr["menus"][1]["default"] = False, True

    with pytest.raises(PlanError, match="Zendesk decides which menu callers hear first"):
        plan(IvrDocument.from_zendesk(ivr))


def test_a_route_to_a_menu_outside_the_ivr_cannot_be_sent():
    ivr = acme_ivr_json()
    ivr["menus"][0]["routes"][1] = {
        "id": 1002,
        "keypress": "2",
        "action": "menu",
        "options": {"menu_id": 999},
    }

    with pytest.raises(PlanError, match="Press 2 in menu 'Main menu' goes to a menu that is not"):
        plan(IvrDocument.from_zendesk(ivr))


def test_two_routes_for_one_key_cannot_be_sent():
    ivr = acme_ivr_json()
    ivr["menus"][1]["routes"].append(dict(ivr["menus"][1]["routes"][0], id=2009))

    with pytest.raises(PlanError, match="more than one route for 1"):
        plan(IvrDocument.from_zendesk(ivr))


def test_a_menu_deleted_in_zendesk_meanwhile_is_created_again_when_reverting_to_it():
    before = acme_ivr()  # e.g. the "after" snapshot of an earlier change set
    zendesk = InMemoryZendesk(acme_ivr_json())
    zendesk.request(
        "PUT",
        f"{ROUTES}/1001",
        {"ivr_route": {"action": "voicemail", "options": {"group_ids": [SUPPORT]}}},
    )
    zendesk.request("DELETE", f"/api/v2/channels/voice/ivr/{IVR_ID}/menus/{BILLING_MENU_ID}", None)
    live = IvrDocument.from_zendesk(zendesk.ivr_json())

    operations = plan_changes(live=live, desired=before, lookups=acme_lookups())
    menu_ids = apply_plan(operations, zendesk)

    assert [o.kind for o in operations][:1] == [OperationKind.CREATE_MENU]
    assert len(operations) == 1 + 4 + 1  # the menu, its four routes, and press 1 leading there
    assert configuration(zendesk.ivr_json()) == configuration(desired_as_zendesk(before, menu_ids))
