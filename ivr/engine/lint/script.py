"""Lint rules that check a menu's keys against the words of its greeting (its script).

Zendesk keeps no text for a recording; TalkAdmin keeps the words an admin typed (the lookups
carry them). Where a menu's greeting has words, two warnings:
- a key the menu routes that the words never mention: callers will not know to press it;
- a key the words mention that the menu does not route: pressing it counts as a wrong key.
Menus whose greeting has no words are not checked. In the menu callers hear first, the words
may mention 2 (callback) and 3 (recording consent) when a number answering with the IVR offers
them: Zendesk handles those keys itself, and another rule asks for them to be said.
"""

import re
from collections.abc import Iterator

from ivr.engine.document import DEFAULT_KEYPRESS, KEYPRESSES, IvrDocument, Menu
from ivr.engine.lint.findings import Finding, Severity
from ivr.engine.lookups import Lookups
from ivr.engine.wording import quoted, route_destination

WORD_KEYS = {
    "zero": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "star": "*",
    "asterisk": "*",
    "hash": "#",
    "pound": "#",
}
_NUMBER_WORDS = "zero|one|two|three|four|five|six|seven|eight|nine"
# One key as a greeting says it: a lone digit (not part of a longer number), a word, * or #.
_KEY = rf"(?:(?<![\w+.-])\d(?![\w.-]?\d)|\b(?:{_NUMBER_WORDS}|star|asterisk|hash|pound)\b|[*#])"
_SEPARATOR = r"\s*(?:,\s*or|,\s*and|,|or|and)\s*"
# "press 1", "press one", "dial the star key", "press 1, 2 or 3", "option 4"
_AFTER_VERB = re.compile(
    r"\b(?:press(?:ing)?|dial(?:l?ing)?|push|hit|select|choose|enter|option)\s+"
    rf"(?:the\s+)?(?:(?:number|key|button)\s+)?({_KEY}(?:{_SEPARATOR}{_KEY})*)"
)
# "1 for billing", "star for the main menu"; a number word only where a phrase starts
# ("One for billing"), so "one for every customer" is not a key.
_BEFORE_FOR = re.compile(
    rf"(?:(?<![\w+.-])(\d)(?![\w.-]?\d)|\b(star|hash|pound)\b|([*#]))\s+for\b"
    rf"|(?:^|[.,;:!?]\s*)({_NUMBER_WORDS})\s+for\b"
)
# "hash to repeat", "* to go back" (a digit before "to" may be a time: "open 9 to 5")
_SYMBOL_TO = re.compile(r"(?:\b(star|hash|pound)\b|([*#]))\s+to\b")
# "the 4 key", "the pound key", "the hash sign"
_BEFORE_KEY = re.compile(rf"({_KEY})\s+(?:key|button|sign)\b")
_ONE_KEY = re.compile(_KEY)


def mentioned_keys(script: str) -> frozenset[str]:
    """The keys ("0"-"9", "*", "#") a greeting's words tell callers to press."""
    text = " ".join(script.casefold().split())
    found: set[str] = set()
    for match in _AFTER_VERB.finditer(text):
        found.update(_key(token) for token in _ONE_KEY.findall(match.group(1)))
    for match in _BEFORE_FOR.finditer(text):
        found.add(_key(next(group for group in match.groups() if group)))
    for match in _SYMBOL_TO.finditer(text):
        found.add(_key(next(group for group in match.groups() if group)))
    for match in _BEFORE_KEY.finditer(text):
        found.add(_key(match.group(1)))
    return frozenset(found)


def _key(token: str) -> str:
    return WORD_KEYS.get(token, token)


def spoken(keypress: str) -> str:
    """A key as a sentence says it: "4", "star (*)", "hash (#)"."""
    return {"*": "star (*)", "#": "hash (#)"}.get(keypress, keypress)


def script_findings(document: IvrDocument, menu: Menu, lookups: Lookups) -> Iterator[Finding]:
    greeting = lookups.greetings.get(menu.greeting_id) if menu.greeting_id is not None else None
    if greeting is None or not greeting.script.strip():
        return
    said = mentioned_keys(greeting.script)
    name = quoted(greeting.name)
    for route in menu.routes_in_keypad_order:
        key = route.keypress
        if key == DEFAULT_KEYPRESS or key not in KEYPRESSES or key in said:
            continue
        yield Finding(
            "script-key-not-mentioned",
            Severity.WARNING,
            f"Key {spoken(key)} goes to {route_destination(route, document, lookups)}, but the "
            f"greeting {name} never says {spoken(key)}: callers will not know.",
            f"Add key {spoken(key)} to the words of {name} (and to its recording), or delete "
            "the key.",
            menu_key=menu.key,
            keypress=key,
        )
    unrouted = said - {route.keypress for route in menu.routes}
    unrouted -= _keys_zendesk_handles(document, menu, lookups)
    for key in [k for k in KEYPRESSES if k in unrouted]:
        yield Finding(
            "script-key-does-nothing",
            Severity.WARNING,
            f"The greeting {name} tells callers to press {spoken(key)}, but {spoken(key)} does "
            f"nothing in {quoted(menu.name)}: Zendesk takes it as a wrong key.",
            f"Add a route for key {spoken(key)} to {quoted(menu.name)}, or take it out of the "
            f"words of {name} (and its recording).",
            menu_key=menu.key,
        )


def _keys_zendesk_handles(document: IvrDocument, menu: Menu, lookups: Lookups) -> set[str]:
    """Keys the first menu's greeting may announce for the numbers' own features."""
    if not menu.default:
        return set()
    numbers = lookups.numbers_using(document)
    keys = set()
    if any(number.callback_from_queue for number in numbers):
        keys.add("2")
    if any(number.asks_for_recording_consent for number in numbers):
        keys.add("3")
    return keys
