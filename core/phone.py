"""Phone numbers: the one parser, formatter, comparison and label TalkAdmin has.

    parse_e164("+44 20 7946 0321")              # "+442079460321"
    parse_e164("020 7946 0321", region="GB")    # "+442079460321": national form, the country known
    parse_e164("+4420794603")                   # InvalidNumber: two digits short for the UK
    display("+442079460321")                    # "+44 20 7946 0321"
    numbers_match("020 7946 0321", "+442079460321")  # True
    full_label(nickname="UK main line", number="+442079460321")
    # "'UK main line' (+44 20 7946 0321)"

Validity is libphonenumber's (the `phonenumberslite` package): a number must exist in its
country's numbering plan, not only have + and 7 to 15 digits (a pattern accepts +10000000, which
no country has). Pure: no Django, so the IVR engine uses it too. The sandbox keeps its own
pattern check on purpose: it imitates Zendesk and imports nothing of the app.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult

# What admins type between digits: spaces, brackets, dots, dashes and slashes.
SEPARATORS = re.compile(r"[\s().\-/]")
# + and 7 to 15 digits, the first not 0: E.164's shape (libphonenumber then checks the number).
E164_SHAPE = re.compile(r"\+[1-9]\d{6,14}")
# The kinds of match that mean "the same number", written with or without its country code.
_SAME = (phonenumbers.MatchType.EXACT_MATCH, phonenumbers.MatchType.NSN_MATCH)


class Problem(StrEnum):
    EMPTY = "empty"  # nothing typed
    NOT_INTERNATIONAL = "not_international"  # no + (and not a number of the region given)
    MALFORMED = "malformed"  # after +: not 7 to 15 digits, or not digits only
    NOT_IN_USE = "not_in_use"  # well formed, but no country has such a number


class InvalidNumber(ValueError):
    """What was typed is not a phone number; `problem` says why, `message` in plain words.

    Forms keep their own words for the first three problems; `message` words each of them.
    """

    def __init__(self, problem: Problem, message: str) -> None:
        super().__init__(message)
        self.problem = problem
        self.message = message


def compact(typed: str | None) -> str:
    """What was typed without separators, a leading 00 read as +: "0044 (20) 7946-0321" →
    "+442079460321". Nothing is checked."""
    text = SEPARATORS.sub("", typed or "")
    return "+" + text[2:] if text.startswith("00") else text


def parse_e164(typed: str | None, *, region: str | None = None) -> str:
    """The number in E.164 form, from what an admin typed; raises InvalidNumber.

    `region` (an ISO country code, "GB") is where a number typed without + is read, when the
    form knows the country; without one, the number must start with + and its country code.
    """
    text = compact(typed)
    if not text:
        raise InvalidNumber(Problem.EMPTY, "Type the phone number.")
    if not text.startswith("+"):
        national = _parsed(text, region) if region and text.isdigit() else None
        if national is None or not phonenumbers.is_valid_number(national):
            raise InvalidNumber(
                Problem.NOT_INTERNATIONAL,
                "Start with + and the country code, for example +44 20 7946 0321.",
            )
        return phonenumbers.format_number(national, PhoneNumberFormat.E164)
    if not E164_SHAPE.fullmatch(text):
        raise InvalidNumber(
            Problem.MALFORMED,
            "After + and the country code a phone number has 7 to 15 digits, and only digits.",
        )
    number = _parsed(text, None)
    if number is None:
        raise InvalidNumber(
            Problem.NOT_IN_USE,
            "No country has the code this number starts with: check the digits after the +.",
        )
    if not phonenumbers.is_valid_number(number):
        raise InvalidNumber(Problem.NOT_IN_USE, _not_in_use(number))
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def is_e164(text: str | None) -> bool:
    """Whether `text` is already a phone number in E.164 form ("+442079460321", no spaces)."""
    if not text or not E164_SHAPE.fullmatch(text):
        return False
    try:
        return parse_e164(text) == text
    except InvalidNumber:
        return False


def display(number: str | None) -> str:
    """An E.164 number as people read it ("+44 20 7946 0321"); anything else as given."""
    parsed = _parsed(number or "", None) if (number or "").startswith("+") else None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        return number or ""
    return phonenumbers.format_number(parsed, PhoneNumberFormat.INTERNATIONAL)


def numbers_match(typed: str | None, number: str | None) -> bool:
    """Whether `typed` is `number`: with or without its country code (a national trunk 0
    allowed, as in 020 7946 0321), whatever the separators. Part of the number is not it."""
    if not compact(typed) or not compact(number):
        return False
    return phonenumbers.is_number_match(compact(typed), compact(number)) in _SAME


def _parsed(text: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(text, region)
    except NumberParseException:
        return None


def _not_in_use(number: phonenumbers.PhoneNumber) -> str:
    code = f"+{number.country_code}"
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason == ValidationResult.TOO_SHORT:
        return f"This has too few digits for a number with the country code {code}: check them."
    if reason == ValidationResult.TOO_LONG:
        return f"This has too many digits for a number with the country code {code}: check them."
    return f"No number with the country code {code} is written like this: check the digits."


# --- Labels -------------------------------------------------------------------------------------


def label_parts(number: Mapping[str, Any]) -> dict[str, str | None]:
    """The parts of a label from Zendesk's JSON of a phone number (or line)."""
    return {key: number.get(key) for key in ("nickname", "number", "display_number", "name")}


def short_label(
    *,
    nickname: str | None = None,
    number: str | None = None,
    display_number: str | None = None,
    name: str | None = None,
) -> str:
    """How an admin recognises a number in a list: its nickname, else the number as shown.

    `display_number` is Zendesk's formatting of `number`; `name` is Zendesk's own name of the
    line (its nickname, else its number), the last resort for a line without a number.
    """
    shown = display_number or display(number)
    return _nickname(nickname, shown, number) or shown or name or ""


def full_label(
    *,
    nickname: str | None = None,
    number: str | None = None,
    display_number: str | None = None,
    name: str | None = None,
    quote: bool = True,
) -> str:
    """ "'UK main line' (+44 20 7946 0321)" in a sentence; the number alone without a nickname.

    quote=False gives "UK main line (+44 20 7946 0321)": the label as a name, where what shows
    it quotes names itself (the audit log's names of a change set) or sets it apart (a title).
    """
    shown = display_number or display(number)
    own = _nickname(nickname, shown, number)
    if not own:
        return shown or name or ""
    named = f"'{own}'" if quote else own
    return f"{named} ({shown})" if shown else named


def _nickname(nickname: str | None, shown: str, number: str | None) -> str:
    """The nickname, unless it only repeats the number (Zendesk's `name` of a line without
    one is its number)."""
    own = (nickname or "").strip()
    return "" if own in (shown, number or "") else own
