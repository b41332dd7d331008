"""core.phone: what an admin types becomes E.164 or a plain refusal; labels and comparisons."""

import pytest

from core.phone import (
    InvalidNumber,
    Problem,
    display,
    full_label,
    is_e164,
    numbers_match,
    parse_e164,
    short_label,
)


@pytest.mark.parametrize(
    ("typed", "region", "e164"),
    [
        ("+44 20 7946 0321", None, "+442079460321"),
        ("0044 (20) 7946-0321", None, "+442079460321"),
        ("+1 (415) 555-0123", None, "+14155550123"),
        ("+353.76.680.1410", None, "+353766801410"),
        ("020 7946 0321", "GB", "+442079460321"),  # national form where the country is known
        ("(415) 555-0123", "US", "+14155550123"),
        ("+44 20 7946 0321", "US", "+442079460321"),  # + wins over the region
    ],
)
def test_a_number_as_typed_becomes_e164(typed, region, e164):
    assert parse_e164(typed, region=region) == e164


@pytest.mark.parametrize(
    ("typed", "region", "problem", "words"),
    [
        ("", None, Problem.EMPTY, "Type the phone number"),
        ("  ", None, Problem.EMPTY, "Type the phone number"),
        ("020 7946 0321", None, Problem.NOT_INTERNATIONAL, "Start with + and the country code"),
        ("555-0100", "US", Problem.NOT_INTERNATIONAL, "Start with +"),  # too short in the US
        ("+1 415 55", None, Problem.MALFORMED, "7 to 15 digits"),
        ("+0123456789", None, Problem.MALFORMED, "7 to 15 digits"),
        ("+15105550199 ext 12", None, Problem.MALFORMED, "only digits"),
        # The pattern + and 7 to 15 digits accepts these; no country has them.
        ("+10000000", None, Problem.NOT_IN_USE, "country code +1"),
        ("+4420794603", None, Problem.NOT_IN_USE, "country code +44"),
        ("+2812345678", None, Problem.NOT_IN_USE, "No country has the code"),
        ("+44207946032199", None, Problem.NOT_IN_USE, "too many digits"),
    ],
)
def test_what_is_not_a_phone_number_is_refused_in_plain_words(typed, region, problem, words):
    with pytest.raises(InvalidNumber) as refused:
        parse_e164(typed, region=region)

    assert refused.value.problem is problem
    assert words in refused.value.message


def test_is_e164_wants_the_exact_international_form_of_a_real_number():
    assert is_e164("+442079460321")
    assert not is_e164("+44 20 7946 0321")
    assert not is_e164("+10000000")
    assert not is_e164("")
    assert not is_e164(None)


def test_numbers_are_displayed_as_people_read_them():
    assert display("+442079460321") == "+44 20 7946 0321"
    assert display("+353766801410") == "+353 76 680 1410"
    assert display("not a number") == "not a number"
    assert display(None) == ""


@pytest.mark.parametrize(
    ("typed", "matches"),
    [
        ("+44 20 7946 0321", True),
        ("44-20-7946-0321", True),
        ("0044 20 7946 0321", True),
        ("020 7946 0321", True),  # national form, trunk 0
        ("20 7946 0321", True),
        ("7946 0321", False),  # only part of it
        ("+44 20 7946 0322", False),
        ("+1 20 7946 0321", False),
        ("", False),
        (None, False),
    ],
)
def test_a_typed_number_matches_with_or_without_its_country_code(typed, matches):
    assert numbers_match(typed, "+442079460321") is matches


def test_the_short_label_is_the_nickname_else_the_number_as_shown():
    assert short_label(nickname="UK main line", number="+442079460321") == "UK main line"
    assert short_label(number="+442079460321", display_number="+44 20 7946 0321") == (
        "+44 20 7946 0321"
    )
    assert short_label(number="+442079460321") == "+44 20 7946 0321"
    assert short_label(name="Web widget") == "Web widget"  # a digital line has no number
    assert short_label() == ""


def test_the_full_label_names_the_number_and_quotes_the_nickname():
    parts = {"number": "+442079460321", "display_number": "+44 20 7946 0321"}

    assert full_label(nickname="UK main line", **parts) == "'UK main line' (+44 20 7946 0321)"
    assert full_label(nickname="UK main line", quote=False, **parts) == (
        "UK main line (+44 20 7946 0321)"
    )
    assert full_label(**parts) == "+44 20 7946 0321"
    # Zendesk's name of a line without a nickname is its number: not said twice.
    assert full_label(nickname="+44 20 7946 0321", **parts) == "+44 20 7946 0321"
    assert full_label(nickname="UK main line") == "'UK main line'"
