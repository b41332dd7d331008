"""Editing a draft: each edit returns a new IVR, and impossible edits say why in plain words."""

import re

import pytest

from ivr.engine.destinations import (
    GoToMenu,
    QueueForGroups,
    TextBack,
    TransferToNumber,
    UnknownAction,
)
from ivr.engine.document import IvrDocument
from ivr.engine.edit import (
    EditError,
    add_menu,
    add_route,
    delete_menu,
    delete_route,
    rekey_menu,
    rename_ivr,
    rename_menu,
    set_menu_greeting,
    update_route,
)
from tests.ivr.acme import (
    BILLING,
    BILLING_OPTIONS,
    MAIN,
    MAIN_LINE,
    TIER_2,
    acme_ivr,
    acme_ivr_json,
)


def test_renaming_the_ivr_leaves_the_original_untouched():
    original = acme_ivr()

    renamed = rename_ivr(original, name="  Acme   support (UK) ")

    assert renamed.name == "Acme support (UK)"
    assert original.name == "Acme support"


def test_an_ivr_needs_a_name():
    with pytest.raises(EditError, match=re.escape("The IVR needs a name.")) as refused:
        rename_ivr(acme_ivr(), name="   ")
    assert refused.value.field == "name"


def test_a_new_menu_gets_a_draft_key_and_can_be_led_to_at_once():
    document = add_menu(acme_ivr(), name="Returns", greeting_id=BILLING_OPTIONS, key="new:returns")
    document = add_route(document, menu_key=MAIN, keypress="4", destination=GoToMenu("new:returns"))

    returns = document.find_menu("new:returns")
    assert (returns.name, returns.greeting_id, returns.id, returns.default) == (
        "Returns",
        BILLING_OPTIONS,
        None,
        False,
    )
    assert document.find_menu(MAIN).route("4").destination == GoToMenu("new:returns")


def test_a_generated_menu_key_is_new_and_unique():
    first = add_menu(acme_ivr(), name="Returns")
    second = add_menu(first, name="Sales")

    keys = [menu.key for menu in second.menus[-2:]]
    assert all(key.startswith("new:") for key in keys)
    assert keys[0] != keys[1]


def test_two_menus_cannot_share_a_name():
    with pytest.raises(
        EditError, match=re.escape("There is already a menu called 'Billing'")
    ) as refused:
        add_menu(acme_ivr(), name="billing")
    assert refused.value.field == "name"


def test_renaming_a_menu_to_its_own_name_in_other_case_is_fine():
    assert rename_menu(acme_ivr(), menu_key=BILLING, name="BILLING").find_menu(BILLING).name == (
        "BILLING"
    )


def test_a_menu_plays_only_a_custom_greeting():
    with pytest.raises(EditError, match=re.escape("only play one of your own IVR greetings")):
        set_menu_greeting(acme_ivr(), menu_key=BILLING, greeting_id="ivr_none")  # type: ignore[arg-type]

    cleared = set_menu_greeting(acme_ivr(), menu_key=BILLING, greeting_id=None)
    assert cleared.find_menu(BILLING).greeting_id is None


def test_the_menu_callers_hear_first_cannot_be_deleted():
    with pytest.raises(EditError, match=re.escape("'Main menu' is the menu callers hear first")):
        delete_menu(acme_ivr(), menu_key=MAIN)


def test_a_menu_that_keys_lead_to_cannot_be_deleted_until_they_are_changed():
    with pytest.raises(EditError) as refused:
        delete_menu(acme_ivr(), menu_key=BILLING)
    assert refused.value.message == (
        "Callers reach 'Billing' this way: Press 1 in 'Main menu'. "
        "Change or delete those routes first, then delete the menu."
    )

    document = delete_route(acme_ivr(), menu_key=MAIN, keypress="1")
    document = delete_menu(document, menu_key=BILLING)
    assert [menu.name for menu in document.menus] == ["Main menu"]


def test_a_key_takes_one_route_per_menu():
    with pytest.raises(
        EditError, match=re.escape("'Main menu' already has a route for key 2")
    ) as refused:
        add_route(acme_ivr(), menu_key=MAIN, keypress="2", destination=QueueForGroups((TIER_2,)))
    assert refused.value.field == "keypress"


@pytest.mark.parametrize("keypress", ["10", "a", "", "Default"])
def test_only_keypad_keys_and_the_default_route_are_keys(keypress):
    with pytest.raises(EditError, match=re.escape("Callers can press 1, 2, 3")):
        add_route(
            acme_ivr(), menu_key=MAIN, keypress=keypress, destination=QueueForGroups((TIER_2,))
        )


def test_a_menu_route_must_lead_to_a_menu_of_this_ivr():
    with pytest.raises(EditError, match=re.escape("Choose one of this IVR's menus.")) as refused:
        add_route(acme_ivr(), menu_key=MAIN, keypress="5", destination=GoToMenu("m:999"))
    assert refused.value.field == "menu_key"


def test_an_edit_must_say_what_the_key_does():
    with pytest.raises(EditError, match=re.escape("Choose what this key should do.")):
        add_route(acme_ivr(), menu_key=MAIN, keypress="5", destination=UnknownAction(""))


def test_changing_a_routes_destination_keeps_its_id_and_drops_zendesks_stale_label():
    document = update_route(
        acme_ivr(), menu_key=MAIN, keypress="2", destination=QueueForGroups((TIER_2,))
    )

    route = document.find_menu(MAIN).route("2")
    assert route.id == 1002
    assert route.destination == QueueForGroups((TIER_2,))
    assert route.option_text is None
    assert "option_text" not in route.read_only


def test_moving_a_route_to_a_free_key():
    document = update_route(acme_ivr(), menu_key=MAIN, keypress="2", new_keypress="5")

    main = document.find_menu(MAIN)
    assert main.route("2") is None
    assert main.route("5").destination == QueueForGroups((11,))


def test_moving_a_route_onto_a_taken_key_is_refused():
    with pytest.raises(EditError, match=re.escape("already has a route for key 3")):
        update_route(acme_ivr(), menu_key=MAIN, keypress="2", new_keypress="3")


def test_changing_the_action_drops_options_that_belonged_to_the_old_action():
    ivr = acme_ivr_json()
    ivr["menus"][0]["routes"][1]["options"]["priority_boost"] = 2

    document = IvrDocument.from_zendesk(ivr)
    same_action = update_route(
        document, menu_key=MAIN, keypress="2", destination=QueueForGroups((TIER_2,))
    )
    other_action = update_route(
        document, menu_key=MAIN, keypress="2", destination=TransferToNumber("+15105550199")
    )

    assert same_action.find_menu(MAIN).route("2").options_json(menu_id=None) == {
        "group_ids": [TIER_2],
        "priority_boost": 2,
    }
    assert other_action.find_menu(MAIN).route("2").options_json(menu_id=None) == {
        "phone_number": "+15105550199"
    }


def test_tags_are_trimmed_and_blank_tags_dropped():
    document = update_route(acme_ivr(), menu_key=MAIN, keypress="2", tags=(" vip ", "", "billing"))

    assert document.find_menu(MAIN).route("2").tags == ("vip", "billing")


def test_deleting_a_key_that_has_no_route_is_refused():
    with pytest.raises(EditError, match=re.escape("'Billing' has no route for key 7.")):
        delete_route(acme_ivr(), menu_key=BILLING, keypress="7")


def test_an_edit_to_a_menu_that_is_gone_is_refused():
    with pytest.raises(EditError, match=re.escape("That menu is not part of this IVR")):
        rename_menu(acme_ivr(), menu_key="m:999", name="Gone")


def test_rekeying_a_created_menu_moves_the_routes_that_lead_to_it():
    document = add_menu(acme_ivr(), name="Returns", key="new:returns")
    document = add_route(document, menu_key=MAIN, keypress="4", destination=GoToMenu("new:returns"))
    document = add_route(
        document,
        menu_key="new:returns",
        keypress="default",
        destination=TextBack("Print your label at acme.example/returns", MAIN_LINE),
    )

    rekeyed = rekey_menu(document, old_key="new:returns", new_key="m:777", menu_id=777)

    returns = rekeyed.find_menu("m:777")
    assert (returns.id, returns.name, len(returns.routes)) == (777, "Returns", 1)
    assert rekeyed.find_menu("new:returns") is None
    assert rekeyed.find_menu(MAIN).route("4").destination == GoToMenu("m:777")
