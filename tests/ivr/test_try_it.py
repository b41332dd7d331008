"""The keypad's presses as they travel in the page's address."""

import pytest

from ivr.engine.simulate import PRESSES_NOTHING, PRESSES_UNASSIGNED
from ivr.web.presenters.try_it import (
    MAX_PRESSES,
    UnreadableCall,
    call_parameter,
    read_call,
    try_call,
)
from tests.ivr.acme import acme_ivr, acme_lookups


def test_presses_are_written_as_readable_words_and_read_back():
    actions = ("1", "*", "#", "0", PRESSES_NOTHING, PRESSES_UNASSIGNED)

    parameter = call_parameter(actions)

    assert parameter == "1-star-hash-0-nothing-wrong"
    assert read_call(parameter) == actions
    assert read_call("") == ()


@pytest.mark.parametrize(
    ("parameter", "message"),
    [
        ("1-%", "'%' is not a key on the keypad."),
        ("1-*", "'*' is not a key on the keypad."),
        ("-".join(["1"] * (MAX_PRESSES + 1)), f"A call here has at most {MAX_PRESSES} presses."),
    ],
)
def test_an_address_the_keypad_did_not_write_is_refused_in_words(parameter, message):
    with pytest.raises(UnreadableCall, match=message.replace("*", r"\*")):
        read_call(parameter)


def test_a_press_the_keypad_does_not_have_is_not_added():
    tried = try_call(document=acme_ivr(), lookups=acme_lookups(), call="1", press="A")

    assert tried.actions == ("1",)
    assert tried.notice == "'A' is not a key on the keypad."


def test_a_call_of_the_longest_length_takes_no_more_presses():
    # Pressing 1 then 9 goes round Main menu -> Billing -> Main menu without ending the call.
    full = "-".join(["1", "9"] * (MAX_PRESSES // 2))

    tried = try_call(document=acme_ivr(), lookups=acme_lookups(), call=full, press="1")

    assert len(tried.actions) == MAX_PRESSES
    assert tried.notice == f"A call here has at most {MAX_PRESSES} presses. Hang up to start again."
    assert not tried.ended
