"""Calling the IVR on paper: what the caller hears, key by key, and where the call ends."""

import re

import pytest

from ivr.engine.destinations import GoToMenu, QueueForGroups, TextBack
from ivr.engine.document import IvrDocument
from ivr.engine.edit import delete_route, update_route
from ivr.engine.simulate import (
    PRESSES_NOTHING,
    PRESSES_UNASSIGNED,
    CallEndKind,
    SimulatedCall,
    SimulationError,
    simulate_call,
)
from tests.ivr.acme import BILLING, MAIN, acme_ivr, acme_ivr_json, acme_lookups


def call(
    document: IvrDocument, *actions: str, keep_listening: bool = False, max_steps: int = 60
) -> SimulatedCall:
    return simulate_call(
        document,
        lookups=acme_lookups(),
        actions=list(actions),
        keep_listening=keep_listening,
        max_steps=max_steps,
    )


def test_pressing_1_then_1_reaches_the_billing_group():
    result = call(acme_ivr(), "1", "1")

    first, second = result.steps
    assert (first.menu_name, first.greeting, first.what_happened, first.route) == (
        "Main menu",
        "the greeting 'Welcome to Acme'",
        "Pressed 1.",
        "Press 1 goes to the menu 'Billing'.",
    )
    assert (second.menu_name, second.greeting, second.route) == (
        "Billing",
        "the greeting 'Billing options'",
        "Press 1 goes to the group 'Billing'.",
    )
    assert result.end.kind is CallEndKind.GROUP
    assert result.end.sentence == "The caller waits for an agent of the group 'Billing'."
    assert (result.end.menu_key, result.end.route_keypress) == (BILLING, "1")


def test_each_kind_of_end_is_told_in_words():
    assert call(acme_ivr(), "1", "2").end.sentence == (
        "The caller leaves a voicemail; the ticket goes to the group 'Billing'."
    )
    assert call(acme_ivr(), "0").end.sentence == (
        "The call is transferred to the outside number +442079460958. "
        "Zendesk does not record it or create a ticket for it."
    )
    text_back = call(acme_ivr(), "3").end
    assert text_back.kind is CallEndKind.TEXT_BACK
    assert text_back.sentence == (
        "The caller gets a text message from 'Main line' (+1 (510) 555-0100) saying "
        '"Track your order at acme.example/track", and the call ends.'
    )


def test_pressing_nothing_replays_the_greeting_and_the_third_silence_takes_the_default_route():
    result = call(acme_ivr(), PRESSES_NOTHING, PRESSES_NOTHING, PRESSES_NOTHING)

    assert [step.what_happened for step in result.steps] == [
        "Pressed nothing, so the greeting plays again (play 2 of 3).",
        "Pressed nothing, so the greeting plays again (play 3 of 3).",
        "Pressed nothing for the third time, so Zendesk takes the default route.",
    ]
    assert all(step.greeting == "the greeting 'Welcome to Acme'" for step in result.steps)
    assert result.steps[-1].route == (
        "Pressing nothing or a wrong key goes to voicemail for the group 'Support'."
    )
    assert result.end.kind is CallEndKind.VOICEMAIL


def test_the_fourth_wrong_key_takes_the_default_route():
    result = call(acme_ivr(), "1", "7", "8", PRESSES_UNASSIGNED, "5")

    assert [step.what_happened for step in result.steps[1:]] == [
        "Pressed 7, which does nothing in this menu (wrong key 1 of 4).",
        "Pressed 8, which does nothing in this menu (wrong key 2 of 4).",
        "Pressed 3, which does nothing in this menu (wrong key 3 of 4).",
        "Pressed 5, the fourth wrong key, so Zendesk takes the default route.",
    ]
    assert result.end.sentence == "The caller waits for an agent of the group 'Billing'."


def test_without_a_default_route_silence_ends_in_a_disconnection():
    document = delete_route(acme_ivr(), menu_key=BILLING, keypress="default")

    result = call(document, "1", PRESSES_NOTHING, PRESSES_NOTHING, PRESSES_NOTHING)

    assert result.steps[-1].what_happened == (
        "Pressed nothing for the third time, and this menu has no default route."
    )
    assert result.end.kind is CallEndKind.DISCONNECTED
    assert result.end.sentence == (
        "Zendesk hangs up: the caller pressed nothing while the greeting played 3 times in "
        "'Billing', which has no default route."
    )


def test_without_a_default_route_four_wrong_keys_end_in_a_disconnection():
    document = delete_route(acme_ivr(), menu_key=BILLING, keypress="default")

    result = call(document, "1", "5", "6", "7", "8")

    assert result.end.kind is CallEndKind.DISCONNECTED
    assert result.end.sentence == (
        "Zendesk hangs up: the caller pressed a wrong key 4 times in 'Billing', "
        "which has no default route."
    )


def test_counts_start_again_in_each_menu():
    result = call(acme_ivr(), PRESSES_NOTHING, PRESSES_NOTHING, "1", PRESSES_NOTHING)

    assert result.end is None
    assert result.waiting_in == BILLING
    assert result.steps[-1].what_happened == (
        "Pressed nothing, so the greeting plays again (play 2 of 3)."
    )


def test_a_caller_who_stops_pressing_is_left_waiting_in_the_menu():
    result = call(acme_ivr(), "1")

    assert result.end is None
    assert result.waiting_in == BILLING


def test_a_caller_who_keeps_listening_is_followed_to_the_end():
    result = call(acme_ivr(), "1", keep_listening=True)

    assert [step.caller_action for step in result.steps] == ["1", "nothing", "nothing", "nothing"]
    assert result.end.sentence == "The caller waits for an agent of the group 'Billing'."


def test_default_routes_that_lead_round_in_circles_end_the_simulation():
    document = update_route(
        acme_ivr(), menu_key=MAIN, keypress="default", destination=GoToMenu(BILLING)
    )
    document = update_route(
        document, menu_key=BILLING, keypress="default", destination=GoToMenu(MAIN)
    )

    result = call(document, keep_listening=True)

    assert result.end.kind is CallEndKind.ROUND_IN_CIRCLES
    assert result.end.sentence == (
        "The caller is going round in circles: "
        "they keep coming back through 'Billing' and 'Main menu'."
    )
    assert len(result.steps) == 9  # three silent plays in each of three menu visits


def test_a_long_run_of_keys_around_a_loop_stops_at_the_step_limit():
    result = call(acme_ivr(), *(["1", "9"] * 100), max_steps=20)

    assert len(result.steps) == 20
    assert result.end.kind is CallEndKind.ROUND_IN_CIRCLES
    assert result.end.sentence == (
        "The caller is going round in circles: after 20 steps they still have not reached anyone."
    )
    assert result.ignored_actions == 180


def test_keys_pressed_after_the_call_ended_are_counted_as_ignored():
    result = call(acme_ivr(), "2", "1", "1")

    assert result.end.kind is CallEndKind.GROUP
    assert result.ignored_actions == 2


def test_a_route_to_a_menu_that_no_longer_exists_cannot_be_followed():
    ivr = acme_ivr_json()
    ivr["menus"][0]["routes"][0]["options"]["menu_id"] = 999

    result = call(IvrDocument.from_zendesk(ivr), "1")

    assert result.end.kind is CallEndKind.BROKEN_ROUTE
    assert result.end.sentence == (
        "Press 1 in 'Main menu' goes to a menu that no longer exists, so the call cannot go on."
    )


def test_a_group_that_no_longer_exists_is_said_to_be_gone():
    document = update_route(
        acme_ivr(), menu_key=MAIN, keypress="2", destination=QueueForGroups((404,))
    )

    result = call(document, "2")

    assert result.end.sentence == "The caller waits for an agent of a group that no longer exists."


def test_a_group_that_no_longer_exists_is_named_as_zendesk_last_knew_it():
    ivr = acme_ivr_json()
    ivr["menus"][0]["routes"][1]["options"]["group_ids"] = [404]

    result = call(IvrDocument.from_zendesk(ivr), "2")

    assert result.end.sentence == (
        "The caller waits for an agent of the group 'Tier 1' (which no longer exists)."
    )


def test_a_route_to_several_groups_names_each():
    document = update_route(
        acme_ivr(), menu_key=MAIN, keypress="2", destination=QueueForGroups((11, 13, 404))
    )

    result = call(document, "2")

    assert result.end.sentence == (
        "The caller waits for an agent of the groups 'Tier 1', 'Tier 2' and one that no "
        "longer exists."
    )


def test_wrong_key_when_every_key_has_a_route():
    ivr = acme_ivr_json()
    ivr["menus"][1]["routes"] = [
        {"id": 3000 + n, "keypress": key, "action": "group", "options": {"group_ids": [12]}}
        for n, key in enumerate("1234567890*#")
    ]

    result = call(IvrDocument.from_zendesk(ivr), "1", PRESSES_UNASSIGNED)

    assert result.steps[-1].what_happened == (
        "Pressed a wrong key, but every key has a route in this menu."
    )
    assert result.end is None


def test_an_ivr_without_a_first_menu_cannot_be_called():
    ivr = acme_ivr_json()
    ivr["menus"][0]["default"] = False

    result = call(IvrDocument.from_zendesk(ivr), "1")

    assert result.steps == ()
    assert result.end.kind is CallEndKind.NO_FIRST_MENU


@pytest.mark.parametrize("action", ["default", "11", "press 1", ""])
def test_only_caller_actions_are_understood(action):
    with pytest.raises(SimulationError, match=re.escape(f"'{action}' is none of those.")):
        call(acme_ivr(), action)


def test_a_text_back_that_is_not_set_up_cannot_be_followed():
    document = update_route(acme_ivr(), menu_key=MAIN, keypress="3", destination=TextBack("", None))

    result = call(document, "3")

    assert result.end.kind is CallEndKind.BROKEN_ROUTE
    assert result.end.sentence == (
        "Press 3 in 'Main menu' sends a text message that is not set up: it needs a text and a "
        "number to send it from."
    )
