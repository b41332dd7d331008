"""Lint against a greeting's words: a key the menu routes that the words never mention, and a key
the words mention that does nothing. Warnings only, and only where the words were written down.

Acme's Main menu (tests/ivr/acme.py) routes 1 (Billing menu), 2 (Tier 1), 3 (text), 0 (outside
number) and a default; Billing routes 1, 2, 9 and a default.
"""

import pytest

from ivr.engine.lint import lint
from ivr.engine.lint.findings import Severity, has_errors
from ivr.engine.lint.script import mentioned_keys
from tests.ivr.acme import (
    BILLING_OPTIONS,
    MAIN_LINE,
    WELCOME,
    acme_ivr,
    acme_lookups,
)

ALL_SAID = "For billing press 1. For support press 2. To get a text press 3. Press 0 for reception."


def script_findings(scripts, number_changes=None):
    findings = lint(acme_ivr(), acme_lookups(number_changes, scripts=scripts))
    return [f for f in findings if f.rule.startswith("script-")]


def test_without_words_nothing_is_checked():
    assert script_findings({}) == []
    assert script_findings({WELCOME: "   "}) == []


def test_words_that_announce_every_key_find_nothing():
    assert script_findings({WELCOME: ALL_SAID}) == []


def test_a_routed_key_the_words_never_say():
    words = "For billing press 1. For support press 2. Press 0 for reception."
    (finding,) = script_findings({WELCOME: words})
    assert finding.rule == "script-key-not-mentioned"
    assert finding.severity is Severity.WARNING
    assert finding.message == (
        "Key 3 goes to a text message from 'Main line' (+1 (510) 555-0100) saying \"Track your "
        "order at acme.example/track\", but the greeting 'Welcome to Acme' never says 3: "
        "callers will not know."
    )
    assert finding.fix == (
        "Add key 3 to the words of 'Welcome to Acme' (and to its recording), or delete the key."
    )
    assert (finding.menu_key, finding.keypress) == ("m:100", "3")
    assert not has_errors(lint(acme_ivr(), acme_lookups(scripts={WELCOME: words})))


def test_a_key_the_words_mention_that_does_nothing():
    (finding,) = script_findings({WELCOME: ALL_SAID + " For returns press 4."})
    assert finding.rule == "script-key-does-nothing"
    assert finding.message == (
        "The greeting 'Welcome to Acme' tells callers to press 4, but 4 does nothing in "
        "'Main menu': Zendesk takes it as a wrong key."
    )
    assert (finding.menu_key, finding.keypress) == ("m:100", None)


def test_each_menu_is_checked_against_its_own_greeting():
    findings = script_findings(
        {WELCOME: ALL_SAID, BILLING_OPTIONS: "For payments press 1. To go back press star."}
    )
    assert sorted((f.rule, f.menu_key, f.keypress) for f in findings) == [
        ("script-key-does-nothing", "m:200", None),  # star
        ("script-key-not-mentioned", "m:200", "2"),
        ("script-key-not-mentioned", "m:200", "9"),
    ]
    star = next(f for f in findings if f.rule == "script-key-does-nothing")
    assert "press star (*), but star (*) does nothing in 'Billing'" in star.message


def test_the_callback_and_consent_keys_may_be_announced_in_the_first_menu():
    words = ALL_SAID + " While you wait, press 2 to be called back."
    assert script_findings({WELCOME: words}) == []  # 2 is routed anyway
    words = ALL_SAID + " To opt out of the recording, press 3."
    consent = {MAIN_LINE: {"call_recording_consent": "opt_out"}}
    assert script_findings({WELCOME: words}, consent) == []
    words = ALL_SAID + " Press 5 to be called back."
    assert [f.rule for f in script_findings({WELCOME: words})] == ["script-key-does-nothing"]


@pytest.mark.parametrize(
    ("words", "keys"),
    [
        ("For billing, press 1.", {"1"}),
        ("For billing press one, for returns press four.", {"1", "4"}),
        ("1 for billing, 2 for returns.", {"1", "2"}),
        ("One for billing. Two for returns.", {"1", "2"}),
        ("Press 1, 2 or 3 to choose.", {"1", "2", "3"}),
        ("For the main menu, press star.", {"*"}),
        ("Press the pound key to hear this again.", {"#"}),
        ("Press hash to repeat, or the star key to go back.", {"#", "*"}),
        ("Press * to go back, # to repeat", {"*", "#"}),
        ("1 for billing, or hash to hear this again.", {"1", "#"}),
        ("We are open 9 to 5. Press 9 for the main menu.", {"9"}),
        ("For sales, option 4.", {"4"}),
        ("Press the 5 key now.", {"5"}),
        ("Dial zero for the operator.", {"0"}),
        # Numbers that are not keys
        ("We are open 24 hours a day, 7 days a week.", set()),
        ("Call 1-800-555-0100 or press 10.", set()),
        ("There is one for every customer.", set()),
        ("Version 2.5 is out; press 3.5", set()),
        ("Please hold.", set()),
    ],
)
def test_the_keys_words_mention(words, keys):
    assert mentioned_keys(words) == keys
