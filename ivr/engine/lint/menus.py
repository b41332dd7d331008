"""Lint rules about the IVR as a whole, the path callers take through it, and each menu.

The unreachable-menu, no-default-route, loop and greeting rules live here; the rules about
one route (broken references, malformed options) are in ivr.engine.lint.routes.
"""

from collections import Counter
from collections.abc import Iterator

from ivr.engine.destinations import QueueForGroups
from ivr.engine.document import DEFAULT_KEYPRESS, IvrDocument, Menu
from ivr.engine.lint.findings import Finding, Severity
from ivr.engine.lint.graph import MenuGraph
from ivr.engine.lookups import Lookups, PhoneNumber
from ivr.engine.wording import names_list, quoted


def ivr_findings(document: IvrDocument, lookups: Lookups, graph: MenuGraph) -> Iterator[Finding]:
    if not document.name.strip():
        yield Finding(
            "ivr-name-missing",
            Severity.ERROR,
            "This IVR has no name.",
            "Give it a name your team will recognise, such as the line or team it serves.",
        )
    defaults = [menu for menu in document.menus if menu.default]
    if not defaults:
        yield Finding(
            "no-default-menu",
            Severity.ERROR,
            "This IVR has no menu that callers hear first, so callers would hear nothing.",
            "Zendesk creates that menu together with the IVR: start this draft again from "
            "the IVR as it is in Zendesk.",
        )
    elif len(defaults) > 1:
        yield Finding(
            "several-default-menus",
            Severity.ERROR,
            f"{names_list([quoted(m.name) for m in defaults])} are all marked as the menu "
            "callers hear first; an IVR has exactly one.",
            "Start this draft again from the IVR as it is in Zendesk.",
        )
    numbers = lookups.numbers_using(document)
    if not numbers and not document.phone_number_ids:
        yield Finding(
            "not-assigned",
            Severity.WARNING,
            "No phone number answers with this IVR, so no caller will hear it.",
            "When it is ready, choose which phone numbers should answer with it.",
        )
    has_group_route = any(
        isinstance(route.destination, QueueForGroups)
        for menu in document.menus
        if menu.key in graph.reachable
        for route in menu.routes
    )
    first_menu = quoted(defaults[0].name) if defaults else "the first menu"
    for number in numbers:
        yield from _number_findings(number, first_menu, has_group_route)


def _number_findings(
    number: PhoneNumber, first_menu: str, has_group_route: bool
) -> Iterator[Finding]:
    if number.line_type == "digital":
        yield Finding(
            "digital-line",
            Severity.WARNING,
            f"{number.label} is a digital line, and Zendesk cannot play an IVR on digital lines.",
            f"Answer {number.label} with a group instead of this IVR.",
        )
    if number.callback_from_queue:
        yield Finding(
            "callback-greeting",
            Severity.WARNING,
            f"Callers to {number.label} can ask to be called back, but with an IVR Zendesk "
            "does not play the callback greeting, so they are not told how.",
            f"Say in the greeting of {first_menu} that callers can press 2 while they wait "
            "to be called back.",
        )
    if number.asks_for_recording_consent and has_group_route:
        yield Finding(
            "recording-consent-greeting",
            Severity.WARNING,
            f"{number.label} asks callers whether they agree to be recorded, but Zendesk does "
            "not play that question to callers this IVR sends to a group.",
            f"Say in the greeting of {first_menu} that callers can press 3 to choose "
            "whether the call is recorded.",
        )


def caller_path_findings(document: IvrDocument, graph: MenuGraph) -> Iterator[Finding]:
    for loop in graph.loops_without_way_out():
        first = loop[0]
        if len(loop) == 1:
            message = (
                f"Callers who reach {quoted(first.name)} can only hear it again and again: "
                "no key there leads to a person, voicemail, an outside number or a text message."
            )
        else:
            message = (
                f"Callers who reach {quoted(first.name)} can only go round between "
                f"{names_list([quoted(m.name) for m in loop])}: no key there leads to a person, "
                "voicemail, an outside number or a text message."
            )
        yield Finding(
            "menu-loop",
            Severity.ERROR,
            message,
            "Add a route out of the loop, for example a default route to a group or voicemail.",
            menu_key=first.key,
        )
    for loop in graph.no_key_loops():
        first = loop[0]
        path = " → ".join(quoted(m.name) for m in (*loop, first))
        yield Finding(
            "no-key-loop",
            Severity.WARNING,
            f"Callers in {quoted(first.name)} who press nothing are sent round in circles "
            f"({path}) and never reach anyone.",
            "Point one of these default routes at a group or voicemail.",
            menu_key=first.key,
            keypress=DEFAULT_KEYPRESS,
        )


def menu_findings(
    document: IvrDocument, menu: Menu, lookups: Lookups, graph: MenuGraph
) -> Iterator[Finding]:
    name = quoted(menu.name)
    if not menu.name.strip():
        yield _menu_finding(
            "menu-name-missing",
            Severity.ERROR,
            menu,
            "A menu has no name.",
            "Give it a name that says what callers choose there.",
        )
    duplicates = Counter(m.name.strip().casefold() for m in document.menus)
    if menu.name.strip() and duplicates[menu.name.strip().casefold()] > 1:
        yield _menu_finding(
            "duplicate-menu-name",
            Severity.WARNING,
            menu,
            f"More than one menu is called {name}, so it is hard to tell where callers go.",
            "Give each menu its own name.",
        )
    yield from _greeting_findings(menu, lookups, reachable=menu.key in graph.reachable)
    if menu.key not in graph.reachable:
        if document.default_menu is not None:
            yield _menu_finding(
                "unreachable-menu",
                Severity.WARNING,
                menu,
                f"No key leads to {name} from the menu callers hear first, "
                "so no caller can reach it.",
                "Add a route that goes to it, or delete it.",
            )
        return
    if not menu.routes:
        yield _menu_finding(
            "menu-without-routes",
            Severity.ERROR,
            menu,
            f"{name} has no routes: callers who reach it hear the greeting and are then cut off.",
            "Add routes for the keys callers should press, and a default route.",
        )
    elif menu.route(DEFAULT_KEYPRESS) is None:
        yield _menu_finding(
            "no-default-route",
            Severity.WARNING,
            menu,
            f"{name} has no default route, so Zendesk hangs up on callers who press nothing "
            "or press a wrong key.",
            "Add a default route, for example to your main support group or to voicemail.",
            keypress=DEFAULT_KEYPRESS,
        )


def _greeting_findings(menu: Menu, lookups: Lookups, *, reachable: bool) -> Iterator[Finding]:
    name = quoted(menu.name)
    if menu.greeting_id is None:
        if reachable:
            yield _menu_finding(
                "greeting-missing",
                Severity.WARNING,
                menu,
                f"{name} has no greeting, so callers are not told which keys to press.",
                "Choose one of your IVR greetings for it.",
            )
        return
    greeting = lookups.greetings.get(menu.greeting_id)
    if greeting is None:
        yield _menu_finding(
            "greeting-gone",
            Severity.ERROR,
            menu,
            f"The greeting of {name} no longer exists.",
            "Choose another of your IVR greetings.",
        )
    elif greeting.is_built_in_ivr_greeting:
        # Zendesk's own "None" of the IVR category, set in its Admin Center: silence.
        if reachable:
            yield _menu_finding(
                "greeting-built-in",
                Severity.WARNING,
                menu,
                f"{name} plays Zendesk's built-in greeting {quoted(greeting.name)}, so callers "
                "are not told which keys to press.",
                "Choose one of your IVR greetings for it.",
            )
    elif not greeting.can_play_in_a_menu:
        yield _menu_finding(
            "greeting-wrong-kind",
            Severity.ERROR,
            menu,
            f"{name} is set to play {quoted(greeting.name)}, which is not one of your own IVR "
            "greetings; Zendesk plays only those in a menu.",
            "Choose one of your IVR greetings, or create one in Zendesk's greetings settings.",
        )
    elif greeting.pending and reachable:
        yield _menu_finding(
            "greeting-not-recorded",
            Severity.WARNING,
            menu,
            f"The greeting {quoted(greeting.name)} of {name} has no recording yet, "
            "so callers hear nothing there.",
            "Upload or record it in Zendesk before callers reach this menu.",
        )


def _menu_finding(
    rule: str,
    severity: Severity,
    menu: Menu,
    message: str,
    fix: str,
    *,
    keypress: str | None = None,
) -> Finding:
    return Finding(rule, severity, message, fix, menu_key=menu.key, keypress=keypress)
