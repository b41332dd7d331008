"""Every example JSON of Zendesk's documents parses into typed resources and comes back whole."""

import dataclasses
from typing import Any

import pytest

from talk.resources import (
    AvailablePhoneNumber,
    Ivr,
    IvrRoute,
    PhoneNumber,
    PhoneNumberSettings,
    Resource,
)
from tests.talk.zendesk_examples import documents_folder, examples_from_documents, saved_examples

EXAMPLES = [
    pytest.param(example, id=f"{document}#{index}")
    for document, examples in saved_examples().items()
    for index, example in enumerate(examples)
]


def _number_class(item: dict[str, Any]) -> type[Resource]:
    # Search results carry a price and a token; numbers of the account do not.
    return AvailablePhoneNumber if "price" in item else PhoneNumber


def round_trip(example: dict[str, Any]) -> tuple[dict[str, Any], list[Resource]]:
    """Parse an example the way the client does, and serialise it back."""
    parsed: list[Resource] = []

    def through(resource: type[Resource], item: dict[str, Any]) -> dict[str, Any]:
        value = resource.from_json(item)
        parsed.append(value)
        return value.to_json()

    result = dict(example)
    if "ivr" in example:
        result["ivr"] = through(Ivr, example["ivr"])
    elif "ivrs" in example:
        result["ivrs"] = [through(Ivr, item) for item in example["ivrs"]]
    elif "phone_number" in example:
        result["phone_number"] = through(
            _number_class(example["phone_number"]), example["phone_number"]
        )
    elif "phone_numbers" in example:
        result["phone_numbers"] = [through(_number_class(i), i) for i in example["phone_numbers"]]
    elif "menus" in example:
        result = through(Ivr, example)
    elif "capabilities" in example:
        result = through(PhoneNumber, example)
    elif set(example) == {"enabled", "number"}:  # the overflow_number setting
        result = through(PhoneNumberSettings, {"overflow_number": example})["overflow_number"]
    else:
        raise AssertionError(f"an example of an unknown kind: {sorted(example)}")
    return result, parsed


@pytest.mark.parametrize("example", EXAMPLES)
def test_every_documented_example_parses_and_round_trips_without_losing_a_field(example):
    result, parsed = round_trip(example)
    assert result == example
    assert parsed, "the example produced no resource"


def test_the_saved_examples_are_those_of_the_documents():
    folder = documents_folder()
    if folder is None:
        pytest.skip("shared/talk-api/ is not beside this checkout")
    assert examples_from_documents(folder) == saved_examples()


def test_typed_fields_read_the_documented_ivr():
    ivr = Ivr.from_json(saved_examples()["zendesk-ivrs.txt"][0])
    menu = ivr.default_menu
    assert (ivr.id, ivr.name, ivr.phone_number_ids) == (10001, "IVR menus", (1,))
    assert (menu.name, menu.is_default, menu.greeting_id) == ("Main menu", True, 10001)
    route = menu.route_for("0")
    assert (route.action, route.group_ids, route.option_text) == (
        "group",
        (10001,),
        "Support Group",
    )


def test_edits_to_known_fields_are_applied_and_unknown_fields_kept():
    raw = {
        "id": 7,
        "keypress": "1",
        "action": "group",
        "options": {"group_ids": [1]},
        "option_text": "Support",
        "greeting": None,
        "overflow_options": [],
        "new_field_zendesk_added_later": {"nested": True},
    }
    route = IvrRoute.from_json(raw)
    edited = dataclasses.replace(route, keypress="2", options={"group_ids": [1, 2]})
    assert edited.to_json() == {**raw, "keypress": "2", "options": {"group_ids": [1, 2]}}
    assert route.to_json() == raw  # the original is untouched
    raw["options"]["group_ids"].append(99)
    assert route.group_ids == (1,)  # and independent of the dict it was built from


def test_an_edited_route_shows_inside_its_ivr():
    ivr = Ivr.from_json(saved_examples()["zendesk-ivrs.txt"][0])
    menu = ivr.menus[0]
    route = dataclasses.replace(menu.routes[0], options={"group_ids": [42]})
    edited = dataclasses.replace(ivr, menus=(dataclasses.replace(menu, routes=(route,)),))
    assert edited.to_json()["menus"][0]["routes"][0]["options"] == {"group_ids": [42]}
    assert edited.to_json()["phone_number_names"] == ["Main menu"]


def test_text_back_options_are_read_under_either_spelling():
    old = IvrRoute.from_json({"action": "textback", "options": {"sms_textstring": "Hi"}})
    new = IvrRoute.from_json({"action": "textback", "options": {"sms_text": "Hello"}})
    assert (old.sms_text, new.sms_text) == ("Hi", "Hello")


def test_a_route_built_by_hand_has_empty_options_not_none():
    assert IvrRoute(keypress="1").group_ids == ()
    assert PhoneNumber().to_json() == {}
