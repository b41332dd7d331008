"""Lint: one story per rule, asserting what the admin reads and whether it blocks publishing."""

from dataclasses import replace

import pytest

from ivr.engine.destinations import GoToMenu, QueueForGroups, TextBack, TransferToNumber, Voicemail
from ivr.engine.document import IvrDocument
from ivr.engine.edit import (
    add_menu,
    add_route,
    delete_route,
    rename_ivr,
    set_menu_greeting,
    update_route,
)
from ivr.engine.lint import lint
from ivr.engine.lint.findings import Finding, Severity, has_errors
from ivr.engine.lookups import Lookups
from tests.ivr.acme import (
    BILLING,
    BILLING_MENU_ID,
    HOLD_MUSIC,
    HOLIDAY_NOTICE,
    MAIN,
    MAIN_LINE,
    OLD_TEAM,
    SALES_LINE,
    SUPPORT,
    TIER_1,
    UK_LINE,
    WEB_LINE,
    acme_ivr,
    acme_ivr_json,
    acme_lookups,
    ivr_json,
    menu_json,
    route_json,
)


def only(rule: str, document: IvrDocument, lookups: Lookups | None = None) -> Finding:
    """The single finding of `rule` for the document."""
    findings = [f for f in lint(document, lookups or acme_lookups()) if f.rule == rule]
    assert len(findings) == 1, findings
    return findings[0]


def none_of(rule: str, document: IvrDocument, lookups: Lookups | None = None) -> bool:
    return all(f.rule != rule for f in lint(document, lookups or acme_lookups()))


def test_acmes_live_ivr_has_nothing_to_report():
    assert lint(acme_ivr(), acme_lookups()) == ()


# --- The IVR as a whole -------------------------------------------------------------------------


def test_an_ivr_without_a_name():
    document = replace(acme_ivr(), name=" ")

    finding = only("ivr-name-missing", document)

    assert finding.message == "This IVR has no name."
    assert finding.severity is Severity.ERROR


def test_an_ivr_without_a_first_menu():
    ivr = acme_ivr_json()
    ivr["menus"][0]["default"] = False

    finding = only("no-default-menu", IvrDocument.from_zendesk(ivr))

    assert finding.message == (
        "This IVR has no menu that callers hear first, so callers would hear nothing."
    )
    assert finding.blocks_publishing


def test_an_ivr_with_two_first_menus():
    ivr = acme_ivr_json()
    ivr["menus"][1]["default"] = True

    finding = only("several-default-menus", IvrDocument.from_zendesk(ivr))

    assert finding.message == (
        "'Main menu' and 'Billing' are all marked as the menu callers hear first; "
        "an IVR has exactly one."
    )
    assert finding.blocks_publishing


def test_an_ivr_no_number_answers_with_is_a_warning():
    document = replace(acme_ivr(), phone_number_ids=())
    lookups = acme_lookups({MAIN_LINE: {"ivr_id": None}})

    finding = only("not-assigned", document, lookups)

    assert finding.message == "No phone number answers with this IVR, so no caller will hear it."
    assert finding.severity is Severity.WARNING
    assert not has_errors(lint(document, lookups))


def test_an_ivr_on_a_digital_line():
    lookups = acme_lookups({WEB_LINE: {"ivr_id": 360001}})

    finding = only("digital-line", acme_ivr(), lookups)

    assert finding.message == (
        "'Website calls' is a digital line, and Zendesk cannot play an IVR on digital lines."
    )
    assert finding.severity is Severity.WARNING


def test_callback_on_a_number_that_answers_with_an_ivr():
    lookups = acme_lookups({MAIN_LINE: {"settings": {"callback_from_queue": True}}})

    finding = only("callback-greeting", acme_ivr(), lookups)

    assert finding.message == (
        "Callers to 'Main line' (+1 (510) 555-0100) can ask to be called back, but with an IVR "
        "Zendesk does not play the callback greeting, so they are not told how."
    )
    assert finding.fix == (
        "Say in the greeting of 'Main menu' that callers can press 2 while they wait "
        "to be called back."
    )
    assert finding.severity is Severity.WARNING


@pytest.mark.parametrize("consent", ["opt_in", "opt-out"])
def test_recording_consent_is_not_asked_on_ivr_group_routes(consent):
    lookups = acme_lookups({MAIN_LINE: {"call_recording_consent": consent}})

    finding = only("recording-consent-greeting", acme_ivr(), lookups)

    assert finding.message == (
        "'Main line' (+1 (510) 555-0100) asks callers whether they agree to be recorded, but "
        "Zendesk does not play that question to callers this IVR sends to a group."
    )
    assert "press 3" in finding.fix


# --- Where callers can go -----------------------------------------------------------------------


def test_a_loop_of_menus_with_no_way_out():
    document = add_menu(acme_ivr(), name="Opening hours", key="new:hours")
    document = add_menu(document, name="More hours", key="new:more")
    document = update_route(
        document, menu_key=MAIN, keypress="3", destination=GoToMenu("new:hours")
    )
    document = add_route(
        document, menu_key="new:hours", keypress="1", destination=GoToMenu("new:more")
    )
    document = add_route(
        document, menu_key="new:more", keypress="9", destination=GoToMenu("new:hours")
    )

    finding = only("menu-loop", document)

    assert finding.message == (
        "Callers who reach 'Opening hours' can only go round between 'Opening hours' and "
        "'More hours': no key there leads to a person, voicemail, an outside number or a "
        "text message."
    )
    assert finding.menu_key == "new:hours"
    assert finding.blocks_publishing


def test_a_menu_that_only_leads_back_to_itself():
    document = add_menu(acme_ivr(), name="Repeat", key="new:repeat")
    document = update_route(
        document, menu_key=MAIN, keypress="3", destination=GoToMenu("new:repeat")
    )
    document = add_route(
        document, menu_key="new:repeat", keypress="default", destination=GoToMenu("new:repeat")
    )

    finding = only("menu-loop", document)

    assert finding.message.startswith("Callers who reach 'Repeat' can only hear it again and again")


def test_default_routes_that_send_silent_callers_round_in_circles():
    document = update_route(
        acme_ivr(), menu_key=MAIN, keypress="default", destination=GoToMenu(BILLING)
    )
    document = update_route(
        document, menu_key=BILLING, keypress="default", destination=GoToMenu(MAIN)
    )

    finding = only("no-key-loop", document)

    assert finding.message == (
        "Callers in 'Main menu' who press nothing are sent round in circles "
        "('Main menu' → 'Billing' → 'Main menu') and never reach anyone."
    )
    assert finding.severity is Severity.WARNING
    assert none_of("menu-loop", document)


def test_a_menu_no_key_leads_to():
    document = add_menu(acme_ivr(), name="Old promotion", key="new:promo")
    document = add_route(
        document, menu_key="new:promo", keypress="default", destination=QueueForGroups((SUPPORT,))
    )

    finding = only("unreachable-menu", document)

    assert finding.message == (
        "No key leads to 'Old promotion' from the menu callers hear first, "
        "so no caller can reach it."
    )
    assert finding.severity is Severity.WARNING
    assert not has_errors(lint(document, acme_lookups()))


def test_a_menu_with_no_routes():
    document = add_menu(acme_ivr(), name="Returns", key="new:returns")
    document = update_route(
        document, menu_key=MAIN, keypress="3", destination=GoToMenu("new:returns")
    )

    finding = only("menu-without-routes", document)

    assert finding.message == (
        "'Returns' has no routes: callers who reach it hear the greeting and are then cut off."
    )
    assert finding.menu_key == "new:returns"
    assert finding.blocks_publishing


def test_a_menu_without_a_default_route():
    document = delete_route(acme_ivr(), menu_key=BILLING, keypress="default")

    finding = only("no-default-route", document)

    assert finding.message == (
        "'Billing' has no default route, so Zendesk hangs up on callers who press nothing "
        "or press a wrong key."
    )
    assert (finding.menu_key, finding.keypress) == (BILLING, "default")
    assert finding.severity is Severity.WARNING


# --- Menus --------------------------------------------------------------------------------------


def test_a_menu_without_a_name():
    ivr = acme_ivr_json()
    ivr["menus"][1]["name"] = ""

    finding = only("menu-name-missing", IvrDocument.from_zendesk(ivr))

    assert finding.message == "A menu has no name."
    assert finding.blocks_publishing


def test_two_menus_with_the_same_name_from_zendesk():
    ivr = acme_ivr_json()
    ivr["menus"][1]["name"] = "Main Menu"

    findings = [f for f in lint(IvrDocument.from_zendesk(ivr), acme_lookups())]

    duplicates = [f for f in findings if f.rule == "duplicate-menu-name"]
    assert [f.message for f in duplicates] == [
        "More than one menu is called 'Main menu', so it is hard to tell where callers go.",
        "More than one menu is called 'Main Menu', so it is hard to tell where callers go.",
    ]
    assert all(f.severity is Severity.WARNING for f in duplicates)


def test_a_menu_without_a_greeting():
    document = set_menu_greeting(acme_ivr(), menu_key=BILLING, greeting_id=None)

    finding = only("greeting-missing", document)

    assert (
        finding.message == "'Billing' has no greeting, so callers are not told which keys to press."
    )
    assert finding.severity is Severity.WARNING


def test_a_greeting_that_no_longer_exists():
    document = set_menu_greeting(acme_ivr(), menu_key=BILLING, greeting_id=999)

    finding = only("greeting-gone", document)

    assert finding.message == "The greeting of 'Billing' no longer exists."
    assert finding.blocks_publishing


def test_a_greeting_that_is_not_an_ivr_greeting():
    ivr = acme_ivr_json()
    ivr["menus"][1]["greeting_id"] = HOLD_MUSIC

    finding = only("greeting-wrong-kind", IvrDocument.from_zendesk(ivr))

    assert finding.message == (
        "'Billing' is set to play 'Hold music', which is not one of your own IVR greetings; "
        "Zendesk plays only those in a menu."
    )
    assert finding.blocks_publishing


def test_zendesks_built_in_ivr_greeting_is_silence_worth_a_warning():
    ivr = acme_ivr_json()
    ivr["menus"][1]["greeting_id"] = "ivr_none"  # Zendesk's own "None", set in its Admin Center

    finding = only("greeting-built-in", IvrDocument.from_zendesk(ivr))

    assert finding.message == (
        "'Billing' plays Zendesk's built-in greeting 'No IVR greeting', so callers are not told "
        "which keys to press."
    )
    assert not finding.blocks_publishing


def test_a_greeting_with_no_recording_yet():
    document = set_menu_greeting(acme_ivr(), menu_key=BILLING, greeting_id=HOLIDAY_NOTICE)

    finding = only("greeting-not-recorded", document)

    assert finding.message == (
        "The greeting 'Holiday notice' of 'Billing' has no recording yet, "
        "so callers hear nothing there."
    )
    assert finding.severity is Severity.WARNING


# --- Routes -------------------------------------------------------------------------------------


def test_two_routes_for_the_same_key():
    ivr = acme_ivr_json()
    ivr["menus"][0]["routes"].append(route_json(1009, "2", "group", "Support", group_ids=[SUPPORT]))

    finding = only("duplicate-keypress", IvrDocument.from_zendesk(ivr))

    assert finding.message == (
        "'Main menu' has 2 routes for key 2; Zendesk allows only one, "
        "so callers could not be sure where they go."
    )
    assert (finding.menu_key, finding.keypress) == (MAIN, "2")
    assert finding.blocks_publishing


def test_a_route_for_a_key_that_is_not_on_a_keypad():
    ivr = acme_ivr_json()
    ivr["menus"][0]["routes"].append(
        route_json(1009, "12", "group", "Support", group_ids=[SUPPORT])
    )

    finding = only("invalid-keypress", IvrDocument.from_zendesk(ivr))

    assert finding.message == (
        "'Main menu' has a route for '12', which is not a key on a phone keypad."
    )


def test_a_route_with_an_action_talkadmin_does_not_know():
    ivr = acme_ivr_json()
    ivr["menus"][0]["routes"].append(route_json(1009, "7", "ai_agent", None, agent_id=4))

    finding = only("unknown-action", IvrDocument.from_zendesk(ivr))

    assert finding.message == (
        "Press 7 in 'Main menu' does something TalkAdmin cannot edit ('ai_agent'): it is kept "
        "as it is, but TalkAdmin cannot show or try where it sends callers."
    )
    assert not finding.blocks_publishing  # kept and sent back as it is: other changes publish


@pytest.mark.parametrize(("action", "what"), [("group", "a group"), ("voicemail", "voicemail")])
def test_a_group_or_voicemail_route_without_a_group(action, what):
    ivr = acme_ivr_json()
    ivr["menus"][0]["routes"].append(route_json(1009, "7", action, None, group_ids=[]))

    finding = only("route-without-group", IvrDocument.from_zendesk(ivr))

    assert (
        finding.message
        == f"Press 7 in 'Main menu' sends callers to {what}, but no group is chosen."
    )
    assert finding.blocks_publishing


def test_a_route_to_a_group_that_no_longer_exists_uses_zendesks_last_name_for_it():
    ivr = acme_ivr_json()
    ivr["menus"][0]["routes"][1]["options"]["group_ids"] = [404]

    finding = only("group-gone", IvrDocument.from_zendesk(ivr))

    assert finding.message == (
        "Press 2 in 'Main menu' goes to the group 'Tier 1', which no longer exists, "
        "so Zendesk cannot queue the call."
    )
    assert finding.blocks_publishing


def test_a_route_to_a_group_zendesk_could_not_name():
    ivr = acme_ivr_json()
    ivr["menus"][0]["routes"][1].update(option_text=None, options={"group_ids": [404]})

    finding = only("group-gone", IvrDocument.from_zendesk(ivr))

    assert finding.message == (
        "Press 2 in 'Main menu' goes to a group that no longer exists, "
        "so Zendesk cannot queue the call."
    )


def test_a_route_to_a_deleted_group():
    document = update_route(
        acme_ivr(), menu_key=BILLING, keypress="default", destination=QueueForGroups((OLD_TEAM,))
    )

    finding = only("group-gone", document)

    assert finding.message == (
        "The default route of 'Billing' goes to the group 'Old team', which has been deleted, "
        "so Zendesk cannot queue the call."
    )


def test_voicemail_for_a_group_that_no_longer_exists():
    document = update_route(
        acme_ivr(), menu_key=BILLING, keypress="2", destination=Voicemail((404,))
    )

    finding = only("group-gone", document)

    assert finding.message == (
        "Press 2 in 'Billing' goes to a group that no longer exists, "
        "so nobody would get the voicemails left there."
    )


def test_zendesk_showing_no_name_for_a_routes_target_is_flagged_until_it_is_chosen_again():
    ivr = acme_ivr_json()
    ivr["menus"][0]["routes"][1]["option_text"] = None
    document = IvrDocument.from_zendesk(ivr)

    finding = only("unresolved-in-zendesk", document)

    assert finding.message == (
        "Zendesk shows no name for where key 2 in 'Main menu' leads, "
        "which usually means it no longer exists."
    )
    assert finding.severity is Severity.WARNING
    chosen_again = update_route(
        document, menu_key=MAIN, keypress="2", destination=QueueForGroups((TIER_1,))
    )
    assert none_of("unresolved-in-zendesk", chosen_again)


def test_a_menu_route_to_a_menu_that_no_longer_exists():
    ivr = acme_ivr_json()
    ivr["menus"][0]["routes"][0]["options"]["menu_id"] = 999

    finding = only("menu-target-missing", IvrDocument.from_zendesk(ivr))

    assert finding.message == "Press 1 in 'Main menu' goes to a menu that no longer exists."
    assert finding.blocks_publishing


def test_a_menu_route_with_no_menu_chosen():
    ivr = acme_ivr_json()
    ivr["menus"][0]["routes"][0]["options"] = {}

    finding = only("menu-target-missing", IvrDocument.from_zendesk(ivr))

    assert (
        finding.message == "Press 1 in 'Main menu' should go to another menu, but none is chosen."
    )


def test_a_transfer_with_no_number():
    document = update_route(
        acme_ivr(), menu_key=MAIN, keypress="0", destination=TransferToNumber("")
    )

    finding = only("number-missing", document)

    assert finding.message == (
        "Press 0 in 'Main menu' should transfer callers to an outside number, "
        "but none is filled in."
    )
    assert finding.blocks_publishing


@pytest.mark.parametrize(
    ("number", "fix"),
    [
        (
            "+44 20 7946 0958",
            "Write it as +442079460958: a + and the country code, with no spaces or dashes.",
        ),
        (
            "0044-20-7946-0958",
            "Write it as +442079460958: a + and the country code, with no spaces or dashes.",
        ),
        (
            "020 7946 0958",
            "Write it with + and the country code, with no spaces or dashes (like +442079460958).",
        ),
        (
            "+0123456789",
            "Write it with + and the country code, with no spaces or dashes (like +442079460958).",
        ),
    ],
)
def test_an_outside_number_that_is_not_in_international_form(number, fix):
    document = update_route(
        acme_ivr(), menu_key=MAIN, keypress="0", destination=TransferToNumber(number)
    )

    finding = only("number-invalid", document)

    assert finding.message == (
        f"Press 0 in 'Main menu' transfers callers to '{number}', "
        "which is not a full international phone number."
    )
    assert finding.fix == fix
    assert finding.blocks_publishing


@pytest.mark.parametrize("number", ["+15105550199 ext 12", "+15105550199,,12", "+15105550199x12"])
def test_an_outside_number_with_an_extension(number):
    document = update_route(
        acme_ivr(), menu_key=MAIN, keypress="0", destination=TransferToNumber(number)
    )

    finding = only("number-extension", document)

    assert finding.message == (
        f"Press 0 in 'Main menu' transfers callers to '{number}', "
        "but Zendesk cannot dial extensions."
    )


def test_a_transfer_to_a_number_that_answers_with_this_same_ivr():
    document = update_route(
        acme_ivr(), menu_key=MAIN, keypress="0", destination=TransferToNumber("+15105550100")
    )

    finding = only("number-loops-back", document)

    assert finding.message == (
        "Press 0 in 'Main menu' transfers callers to 'Main line' (+1 (510) 555-0100), which "
        "answers with this same IVR, so callers start again from the beginning."
    )


def test_a_text_back_with_no_text():
    document = update_route(
        acme_ivr(), menu_key=MAIN, keypress="3", destination=TextBack(" ", MAIN_LINE)
    )

    finding = only("textback-without-text", document)

    assert (
        finding.message
        == "Press 3 in 'Main menu' sends callers a text message, but the message is empty."
    )
    assert finding.blocks_publishing


def test_a_text_back_with_no_sending_number():
    document = update_route(
        acme_ivr(), menu_key=MAIN, keypress="3", destination=TextBack("See acme.example", None)
    )

    finding = only("textback-without-number", document)

    assert finding.message == (
        "Press 3 in 'Main menu' sends callers a text message, "
        "but no number is chosen to send it from."
    )


def test_a_text_back_from_a_number_that_no_longer_exists():
    document = update_route(
        acme_ivr(), menu_key=MAIN, keypress="3", destination=TextBack("See acme.example", 404)
    )

    finding = only("textback-number-gone", document)

    assert (
        finding.message
        == "Press 3 in 'Main menu' sends a text message from a number that no longer exists."
    )


def test_a_text_back_from_a_number_with_text_messaging_off():
    document = update_route(
        acme_ivr(),
        menu_key=MAIN,
        keypress="3",
        destination=TextBack("See acme.example", SALES_LINE),
    )

    finding = only("textback-number-cannot-text", document)

    assert finding.message == (
        "Press 3 in 'Main menu' sends a text message from 'Sales line' (+1 (510) 555-0101), "
        "but text messaging is turned off for that number."
    )
    assert finding.fix == (
        "Turn on text messaging in the settings of 'Sales line' (+1 (510) 555-0101), "
        "or choose another number."
    )


def test_a_text_back_from_a_number_that_cannot_send_texts():
    document = update_route(
        acme_ivr(), menu_key=MAIN, keypress="3", destination=TextBack("See acme.example", UK_LINE)
    )

    finding = only("textback-number-cannot-text", document)

    assert finding.message == (
        "Press 3 in 'Main menu' sends a text message from +44 20 7946 0000, "
        "but that number cannot send text messages."
    )


# --- Order and scope ----------------------------------------------------------------------------


def test_errors_come_first_then_menus_in_order():
    document = rename_ivr(acme_ivr(), name="Acme")
    document = set_menu_greeting(document, menu_key=MAIN, greeting_id=None)  # warning, menu 1
    document = update_route(
        document, menu_key=BILLING, keypress="1", destination=TransferToNumber("12")
    )  # error, menu 2

    assert [(f.rule, f.menu_key) for f in lint(document, acme_lookups())] == [
        ("number-invalid", BILLING),
        ("greeting-missing", MAIN),
    ]


def test_caller_experience_rules_skip_menus_no_caller_reaches():
    ivr = ivr_json(
        [
            menu_json(
                1,
                "Main menu",
                [route_json(5, "default", "group", "Support", group_ids=[SUPPORT])],
                default=True,
                greeting_id=501,
            ),
            menu_json(BILLING_MENU_ID, "Draft menu", []),
        ]
    )

    rules = {f.rule for f in lint(IvrDocument.from_zendesk(ivr), acme_lookups())}

    assert rules == {"unreachable-menu"}
