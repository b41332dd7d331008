"""An IVR read from Zendesk's JSON keeps everything Zendesk said, and is stored without loss."""

import copy
import json
import re
from dataclasses import replace

import pytest

from ivr.engine.destinations import (
    GoToMenu,
    QueueForGroups,
    TextBack,
    TransferToNumber,
    UnknownAction,
    Voicemail,
)
from ivr.engine.document import DocumentError, IvrDocument
from tests.ivr.acme import (
    BILLING,
    IVR_ID,
    MAIN,
    MAIN_LINE,
    acme_ivr_json,
    ivr_json,
    menu_json,
    route_json,
)

# The "Show IVR" example of Zendesk's API reference (shared/talk-api/zendesk-ivrs.txt), verbatim.
ZENDESK_EXAMPLE = {
    "ivr": {
        "id": 10001,
        "menus": [
            {
                "default": True,
                "greeting_id": 10001,
                "id": 10001,
                "name": "Main menu",
                "routes": [
                    {
                        "action": "group",
                        "greeting": None,
                        "id": 10001,
                        "keypress": "0",
                        "option_text": "Support Group",
                        "options": {"group_ids": [10001]},
                    }
                ],
            }
        ],
        "name": "IVR Menu",
        "phone_number_ids": [6],
        "phone_number_names": ["Awesome Support Line"],
    }
}


def test_zendesks_example_reads_as_one_menu_whose_key_0_queues_for_a_group():
    document = IvrDocument.from_zendesk(ZENDESK_EXAMPLE)

    assert document.id == 10001
    assert document.name == "IVR Menu"
    assert document.phone_number_ids == (6,)
    assert document.phone_number_names == ("Awesome Support Line",)
    [menu] = document.menus
    assert (menu.key, menu.id, menu.name, menu.default, menu.greeting_id) == (
        "m:10001",
        10001,
        "Main menu",
        True,
        10001,
    )
    assert document.default_menu is menu
    [route] = menu.routes
    assert route.keypress == "0"
    assert route.destination == QueueForGroups((10001,))
    assert route.option_text == "Support Group"


def test_stored_form_is_zendesks_shape_with_menu_keys_and_reads_back_equal():
    document = IvrDocument.from_zendesk(ZENDESK_EXAMPLE)

    stored = document.to_json()

    expected = copy.deepcopy(ZENDESK_EXAMPLE["ivr"])
    expected["document_version"] = 1
    expected["menus"][0]["key"] = "m:10001"
    assert stored == expected
    assert IvrDocument.from_json(json.loads(json.dumps(stored))) == document


def test_every_action_reads_into_its_destination():
    document = IvrDocument.from_zendesk(acme_ivr_json())

    main = document.find_menu(MAIN)
    assert [route.destination for route in main.routes] == [
        GoToMenu(BILLING),
        QueueForGroups((11,)),
        TextBack("Track your order at acme.example/track", MAIN_LINE),
        TransferToNumber("+442079460958"),
        Voicemail((10,)),
    ]


def test_a_menu_route_stores_its_target_as_a_menu_key_and_reads_back():
    document = IvrDocument.from_zendesk(acme_ivr_json())

    stored = document.to_json()

    press_1 = stored["menus"][0]["routes"][0]
    assert press_1["options"] == {"menu_key": BILLING}
    assert IvrDocument.from_json(stored) == document


def test_older_accounts_sms_textstring_is_read_as_the_text_and_written_as_sms_text():
    ivr = ivr_json(
        [
            menu_json(
                1,
                "Main menu",
                [
                    route_json(
                        5,
                        "4",
                        "textback",
                        sms_textstring="See acme.example",
                        textback_phone_number_id=MAIN_LINE,
                    )
                ],
                default=True,
            )
        ]
    )

    route = IvrDocument.from_zendesk(ivr).menus[0].routes[0]

    assert route.destination == TextBack("See acme.example", MAIN_LINE)
    assert route.options_json(menu_id=None) == {
        "sms_text": "See acme.example",
        "textback_phone_number_id": MAIN_LINE,
    }


def test_fields_talkadmin_does_not_know_survive_storage_and_are_sent_back_in_options():
    ivr = acme_ivr_json()
    ivr["created_at"] = "2024-01-02T03:04:05Z"
    ivr["menus"][0]["position"] = 1
    route = ivr["menus"][0]["routes"][1]
    route["overflow_options"] = [{"kind": "queue_full"}]
    route["options"]["tags"] = ["press-2"]
    route["options"]["priority_boost"] = {"level": 2}

    document = IvrDocument.from_zendesk(ivr)
    stored = document.to_json()

    assert stored["created_at"] == "2024-01-02T03:04:05Z"
    assert stored["menus"][0]["position"] == 1
    stored_route = stored["menus"][0]["routes"][1]
    assert stored_route["overflow_options"] == [{"kind": "queue_full"}]
    assert stored_route["options"] == {
        "group_ids": [11],
        "tags": ["press-2"],
        "priority_boost": {"level": 2},
    }
    assert IvrDocument.from_json(stored) == document
    sent = document.menus[0].routes[1].options_json(menu_id=None)
    assert sent == {"group_ids": [11], "tags": ["press-2"], "priority_boost": {"level": 2}}


def test_a_document_cannot_be_changed_in_place():
    document = IvrDocument.from_zendesk(acme_ivr_json())
    route = document.menus[0].routes[1]

    with pytest.raises(AttributeError):
        document.name = "Other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        route.extra["overflow_options"] = ["x"]  # type: ignore[index]


def test_a_route_to_a_menu_outside_the_ivr_keeps_pointing_at_it_for_lint_to_flag():
    ivr = ivr_json(
        [menu_json(1, "Main menu", [route_json(5, "1", "menu", None, menu_id=999)], default=True)]
    )

    route = IvrDocument.from_zendesk(ivr).menus[0].routes[0]

    assert route.destination == GoToMenu("m:999")
    assert route.option_text is None


def test_an_action_zendesk_adds_later_is_kept_with_its_options():
    ivr = ivr_json(
        [
            menu_json(
                1,
                "Main menu",
                [route_json(5, "7", "ai_agent", None, agent_id=42)],
                default=True,
            )
        ]
    )

    document = IvrDocument.from_zendesk(ivr)
    route = document.menus[0].routes[0]

    assert route.destination == UnknownAction("ai_agent")
    assert route.options_json(menu_id=None) == {"agent_id": 42}
    assert IvrDocument.from_json(document.to_json()) == document


def test_the_ivr_object_without_its_envelope_reads_the_same():
    assert IvrDocument.from_zendesk(ZENDESK_EXAMPLE["ivr"]) == IvrDocument.from_zendesk(
        ZENDESK_EXAMPLE
    )


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ([], "This is not an IVR as Zendesk describes one."),
        ({"id": IVR_ID, "menus": []}, "The IVR has no name."),
        (
            {"id": IVR_ID, "name": "x", "menus": "none"},
            "The IVR's menus are not a list of objects.",
        ),
        ({"name": "x", "menus": [{"name": "Main"}]}, "A menu in this IVR has no id"),
    ],
)
def test_json_that_is_not_an_ivr_is_refused_with_a_plain_message(broken, message):
    with pytest.raises(DocumentError, match=re.escape(message)):
        IvrDocument.from_zendesk(broken)


def test_a_stored_document_from_a_future_format_is_refused():
    stored = IvrDocument.from_zendesk(ZENDESK_EXAMPLE).to_json()
    stored["document_version"] = 2

    with pytest.raises(DocumentError, match=re.escape("format version 2")):
        IvrDocument.from_json(stored)


def test_routes_can_be_listed_in_keypad_order_whatever_order_zendesk_sent():
    main = IvrDocument.from_zendesk(acme_ivr_json()).find_menu(MAIN)
    shuffled = replace(main, routes=main.routes[::-1])

    assert [route.keypress for route in shuffled.routes] == ["default", "0", "3", "2", "1"]
    assert [route.keypress for route in shuffled.routes_in_keypad_order] == [
        "1",
        "2",
        "3",
        "0",
        "default",
    ]
