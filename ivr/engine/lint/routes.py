"""Lint rules for single routes: the key, and whether the action and its options fit together.

Every reference is checked against the account (ivr.engine.lookups), because Zendesk accepts a route
to a group that does not exist and answers with `option_text: null`.
"""

import re
from collections import Counter
from collections.abc import Iterator

from core import phone
from ivr.engine.destinations import (
    GoToMenu,
    QueueForGroups,
    TextBack,
    TransferToNumber,
    UnknownAction,
    Voicemail,
)
from ivr.engine.document import DEFAULT_KEYPRESS, KEYPRESSES, IvrDocument, Menu, Route
from ivr.engine.lint.findings import Finding, Severity
from ivr.engine.lookups import Lookups
from ivr.engine.wording import keypress_name, quoted

EXTENSION = re.compile(r"(ext|x|,|;|#|\bw\b|\bp\b)", re.IGNORECASE)
ZENDESK_RESOLVES = ("group", "voicemail", "menu")  # routes whose target Zendesk names


def where(menu: Menu, keypress: str) -> str:
    """The subject of a sentence about one route: "Press 2 in 'Billing'"."""
    if keypress == DEFAULT_KEYPRESS:
        return f"The default route of {quoted(menu.name)}"
    return f"Press {keypress} in {quoted(menu.name)}"


def route_findings(document: IvrDocument, menu: Menu, lookups: Lookups) -> Iterator[Finding]:
    counts = Counter(route.keypress for route in menu.routes)
    for keypress, count in counts.items():
        if count > 1:
            yield _finding(
                "duplicate-keypress",
                menu,
                keypress,
                f"{quoted(menu.name)} has {count} routes for {keypress_name(keypress)}; "
                "Zendesk allows only one, so callers could not be sure where they go.",
                "Delete the extra routes, or move them to keys that are free.",
            )
    for route in menu.routes:
        yield from _keypress_findings(menu, route)
        yield from _destination_findings(document, menu, route, lookups)


def _keypress_findings(menu: Menu, route: Route) -> Iterator[Finding]:
    if route.keypress not in KEYPRESSES:
        yield _finding(
            "invalid-keypress",
            menu,
            route.keypress,
            f"{quoted(menu.name)} has a route for {quoted(route.keypress)}, "
            "which is not a key on a phone keypad.",
            "Use one of the keys 0 to 9, * or #, or make it the default route.",
        )


def _destination_findings(
    document: IvrDocument, menu: Menu, route: Route, lookups: Lookups
) -> Iterator[Finding]:
    subject = where(menu, route.keypress)
    match route.destination:
        case UnknownAction(name):
            # Zendesk's own action: TalkAdmin keeps and sends it back as it is, so publishing
            # other changes stays possible; it only cannot show or try where callers go.
            yield _finding(
                "unknown-action",
                menu,
                route.keypress,
                f"{subject} does something TalkAdmin cannot edit ({quoted(name)}): it is kept "
                "as it is, but TalkAdmin cannot show or try where it sends callers.",
                "Check it in Zendesk's Admin Center, or choose another action for the key: "
                "a group, voicemail, an outside number, a text message or another menu.",
                severity=Severity.WARNING,
            )
        case QueueForGroups(group_ids) | Voicemail(group_ids):
            yield from _group_findings(menu, route, group_ids, lookups)
        case TransferToNumber(phone_number):
            yield from _outside_number_findings(document, menu, route, phone_number, lookups)
        case TextBack(sms_text, sending_number_id):
            yield from _text_back_findings(menu, route, sms_text, sending_number_id, lookups)
        case GoToMenu(menu_key):
            if menu_key is None:
                yield _finding(
                    "menu-target-missing",
                    menu,
                    route.keypress,
                    f"{subject} should go to another menu, but none is chosen.",
                    "Choose the menu, or delete the route.",
                )
            elif document.find_menu(menu_key) is None:
                yield _finding(
                    "menu-target-missing",
                    menu,
                    route.keypress,
                    f"{subject} goes to a menu that no longer exists.",
                    "Choose another menu, or delete the route.",
                )
            elif _unresolved_in_zendesk(route):
                yield _unresolved(menu, route)


def _group_findings(
    menu: Menu, route: Route, group_ids: tuple[int, ...], lookups: Lookups
) -> Iterator[Finding]:
    subject = where(menu, route.keypress)
    if not group_ids:
        what = "voicemail" if isinstance(route.destination, Voicemail) else "a group"
        yield _finding(
            "route-without-group",
            menu,
            route.keypress,
            f"{subject} sends callers to {what}, but no group is chosen.",
            "Choose the group that should take these calls.",
        )
        return
    problems = False
    if isinstance(route.destination, Voicemail):
        consequence = "so nobody would get the voicemails left there"
    else:
        consequence = "so Zendesk cannot queue the call"
    for group_id in group_ids:
        group = lookups.groups.get(group_id)
        if group is None:
            problems = True
            label = route.option_text if len(group_ids) == 1 else None
            gone = f"the group {quoted(label)}, which" if label else "a group that"
            yield _finding(
                "group-gone",
                menu,
                route.keypress,
                f"{subject} goes to {gone} no longer exists, {consequence}.",
                "Choose another group.",
            )
        elif group.deleted:
            problems = True
            yield _finding(
                "group-gone",
                menu,
                route.keypress,
                f"{subject} goes to the group {quoted(group.name)}, which has been deleted, "
                f"{consequence}.",
                "Choose another group.",
            )
    if not problems and _unresolved_in_zendesk(route):
        yield _unresolved(menu, route)


def _outside_number_findings(
    document: IvrDocument, menu: Menu, route: Route, phone_number: str, lookups: Lookups
) -> Iterator[Finding]:
    subject = where(menu, route.keypress)
    number = phone_number.strip()
    if not number:
        yield _finding(
            "number-missing",
            menu,
            route.keypress,
            f"{subject} should transfer callers to an outside number, but none is filled in.",
            "Fill in the number, starting with + and the country code (like +442079460958).",
        )
        return
    if phone.is_e164(number):
        own = lookups.find_number(number)
        if own is not None and own in lookups.numbers_using(document):
            yield _finding(
                "number-loops-back",
                menu,
                route.keypress,
                f"{subject} transfers callers to {own.label}, which answers with this same IVR, "
                "so callers start again from the beginning.",
                "Transfer to another number, or send these callers to a group.",
            )
        return
    if EXTENSION.search(number.removeprefix("+")):
        yield _finding(
            "number-extension",
            menu,
            route.keypress,
            f"{subject} transfers callers to {quoted(number)}, but Zendesk cannot dial extensions.",
            "Use a direct number without an extension, or send these callers to a group.",
        )
        return
    yield _finding(
        "number-invalid",
        menu,
        route.keypress,
        f"{subject} transfers callers to {quoted(number)}, "
        "which is not a full international phone number.",
        _number_fix(number),
    )


def _number_fix(number: str) -> str:
    try:
        e164 = phone.parse_e164(number)
    except phone.InvalidNumber as invalid:
        if invalid.problem is phone.Problem.NOT_IN_USE:
            return invalid.message  # written as an international number, but none is in use
        return (
            "Write it with + and the country code, with no spaces or dashes (like +442079460958)."
        )
    return f"Write it as {e164}: a + and the country code, with no spaces or dashes."


def _text_back_findings(
    menu: Menu, route: Route, sms_text: str, sending_number_id: int | None, lookups: Lookups
) -> Iterator[Finding]:
    subject = where(menu, route.keypress)
    if not sms_text.strip():
        yield _finding(
            "textback-without-text",
            menu,
            route.keypress,
            f"{subject} sends callers a text message, but the message is empty.",
            "Write the text callers should receive.",
        )
    if sending_number_id is None:
        yield _finding(
            "textback-without-number",
            menu,
            route.keypress,
            f"{subject} sends callers a text message, but no number is chosen to send it from.",
            "Choose one of your numbers that has text messaging turned on.",
        )
        return
    number = lookups.phone_numbers.get(sending_number_id)
    if number is None:
        yield _finding(
            "textback-number-gone",
            menu,
            route.keypress,
            f"{subject} sends a text message from a number that no longer exists.",
            "Choose one of your numbers that has text messaging turned on.",
        )
    elif not number.sms_capable:
        yield _finding(
            "textback-number-cannot-text",
            menu,
            route.keypress,
            f"{subject} sends a text message from {number.label}, "
            "but that number cannot send text messages.",
            "Choose one of your numbers that can send text messages.",
        )
    elif not number.sms_enabled:
        yield _finding(
            "textback-number-cannot-text",
            menu,
            route.keypress,
            f"{subject} sends a text message from {number.label}, "
            "but text messaging is turned off for that number.",
            f"Turn on text messaging in the settings of {number.label}, or choose another number.",
        )


def _unresolved_in_zendesk(route: Route) -> bool:
    # Zendesk names a route's group or menu in `option_text`, and sends null when it cannot
    # find it: the sign of a dangling reference, even when the lookups still know the id.
    return (
        route.action in ZENDESK_RESOLVES
        and "option_text" in route.read_only
        and route.read_only["option_text"] is None
    )


def _unresolved(menu: Menu, route: Route) -> Finding:
    return _finding(
        "unresolved-in-zendesk",
        menu,
        route.keypress,
        f"Zendesk shows no name for where {keypress_name(route.keypress)} in "
        f"{quoted(menu.name)} leads, which usually means it no longer exists.",
        "Check the route and choose its destination again.",
        severity=Severity.WARNING,
    )


def _finding(
    rule: str,
    menu: Menu,
    keypress: str,
    message: str,
    fix: str,
    *,
    severity: Severity = Severity.ERROR,
) -> Finding:
    return Finding(rule, severity, message, fix, menu_key=menu.key, keypress=keypress)
