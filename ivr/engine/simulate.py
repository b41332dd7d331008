"""The call simulator: what a caller hears and where the call ends, key by key.

Follows Zendesk's documented rules (TALK-API-NOTES.md, "What a caller experiences"): the menu's
greeting plays and a key counts once it has played; when the caller presses nothing the greeting
plays again, and after 3 plays with no key Zendesk takes the menu's `default` route; after 4
wrong keys (keys with no route) it takes the `default` route too; with no `default` route the
call is disconnected. Zendesk does not document whether a wrong key and a silent play count
towards the same limit, so each counts on its own, and both start again in every menu.

The simulator never loops forever: it stops after `max_steps` steps, and when the caller keeps
listening without pressing anything it notices the moment they come back to a menu.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from ivr.engine.destinations import (
    GoToMenu,
    QueueForGroups,
    TextBack,
    TransferToNumber,
    UnknownAction,
    Voicemail,
)
from ivr.engine.document import CALLER_KEYS, DEFAULT_KEYPRESS, IvrDocument, Menu, Route
from ivr.engine.lookups import Lookups
from ivr.engine.wording import (
    destination_phrase,
    greeting_phrase,
    group_phrase,
    keypress_subject,
    names_list,
    quoted,
    route_destination,
)

PRESSES_NOTHING = "nothing"
PRESSES_UNASSIGNED = "unassigned"  # "presses a key that has no route here"
CALLER_ACTIONS = (*CALLER_KEYS, PRESSES_NOTHING, PRESSES_UNASSIGNED)

PLAYS_BEFORE_DEFAULT = 3
WRONG_KEYS_BEFORE_DEFAULT = 4
MAX_STEPS = 60
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth"}


class SimulationError(ValueError):
    """A caller action the simulator does not understand."""


class CallEndKind(StrEnum):
    GROUP = "group"
    VOICEMAIL = "voicemail"
    OUTSIDE_NUMBER = "outside_number"
    TEXT_BACK = "text_back"
    DISCONNECTED = "disconnected"
    ROUND_IN_CIRCLES = "round_in_circles"
    BROKEN_ROUTE = "broken_route"  # a route TalkAdmin cannot follow (missing menu, unknown action)
    NO_FIRST_MENU = "no_first_menu"


@dataclass(frozen=True, slots=True)
class Step:
    """One caller action in one menu, and what Zendesk made of it."""

    menu_key: str
    menu_name: str
    greeting: str  # the greeting the caller heard, in words ("the greeting 'Welcome'")
    caller_action: str  # as given: a key, PRESSES_NOTHING or PRESSES_UNASSIGNED
    what_happened: str  # the action and Zendesk's response, in words
    route_keypress: str | None = None  # the route taken, if one was
    route: str | None = None  # that route, in words


@dataclass(frozen=True, slots=True)
class CallEnd:
    kind: CallEndKind
    sentence: str
    menu_key: str | None = None  # the menu the call left the IVR from
    route_keypress: str | None = None


@dataclass(frozen=True, slots=True)
class SimulatedCall:
    steps: tuple[Step, ...]
    end: CallEnd | None  # None: the caller is still in a menu, waiting for a key
    waiting_in: str | None = None  # that menu's key, when the call has not ended
    ignored_actions: int = 0  # actions left over after the call ended


def simulate_call(
    document: IvrDocument,
    *,
    lookups: Lookups,
    actions: Sequence[str],
    keep_listening: bool = False,
    max_steps: int = MAX_STEPS,
) -> SimulatedCall:
    """Follow a caller through the IVR.

    `actions` are keys ("0"-"9", "*", "#"), PRESSES_NOTHING or PRESSES_UNASSIGNED. When they run
    out, the call is left waiting in its menu, or with `keep_listening` the caller goes on
    pressing nothing until the call ends.
    """
    unknown = [action for action in actions if action not in CALLER_ACTIONS]
    if unknown:
        raise SimulationError(
            f"A caller can press 0 to 9, * or #, press nothing, or press a wrong key; "
            f"{quoted(unknown[0])} is none of those."
        )
    call = _Call(document, lookups)
    if call.menu is None:
        end = CallEnd(
            CallEndKind.NO_FIRST_MENU,
            "This IVR has no menu that callers hear first, so the call cannot start.",
        )
        return SimulatedCall(steps=(), end=end, ignored_actions=len(actions))
    pending = list(actions)
    while call.end is None:
        if len(call.steps) >= max_steps:
            call.going_round(f"after {max_steps} steps they still have not reached anyone")
            break
        if pending:
            call.act(pending.pop(0))
        elif keep_listening:
            call.listening = True
            call.act(PRESSES_NOTHING)
        else:
            return SimulatedCall(steps=tuple(call.steps), end=None, waiting_in=call.menu.key)
    return SimulatedCall(steps=tuple(call.steps), end=call.end, ignored_actions=len(pending))


class _Call:
    """The state of one simulated call."""

    def __init__(self, document: IvrDocument, lookups: Lookups) -> None:
        self.document = document
        self.lookups = lookups
        self.steps: list[Step] = []
        self.end: CallEnd | None = None
        self.listening = False  # pressing nothing until the call ends
        self.entered_while_listening: list[str] = []
        self.menu: Menu | None = None
        self.menus_by_key = {menu.key: menu for menu in document.menus}
        if document.default_menu is not None:
            self._enter(document.default_menu)

    def _enter(self, menu: Menu) -> None:
        self.menu = menu
        self.plays = 1  # the greeting plays as the caller arrives
        self.wrong_keys = 0

    def act(self, action: str) -> None:
        assert self.menu is not None
        if action == PRESSES_NOTHING:
            self._nothing()
            return
        key = self._unassigned_key() if action == PRESSES_UNASSIGNED else action
        if key is None:
            self._record(action, "Pressed a wrong key, but every key has a route in this menu.")
            return
        route = self.menu.route(key)
        if route is not None:
            self._take(action, f"Pressed {key}.", route)
            return
        self.wrong_keys += 1
        if self.wrong_keys < WRONG_KEYS_BEFORE_DEFAULT:
            self._record(
                action,
                f"Pressed {key}, which does nothing in this menu "
                f"(wrong key {self.wrong_keys} of {WRONG_KEYS_BEFORE_DEFAULT}).",
            )
            return
        self._take_default(
            action,
            f"Pressed {key}, the {ORDINALS[WRONG_KEYS_BEFORE_DEFAULT]} wrong key",
            "pressed a wrong key 4 times",
        )

    def _nothing(self) -> None:
        if self.plays < PLAYS_BEFORE_DEFAULT:
            self.plays += 1
            self._record(
                PRESSES_NOTHING,
                f"Pressed nothing, so the greeting plays again "
                f"(play {self.plays} of {PLAYS_BEFORE_DEFAULT}).",
            )
            return
        self._take_default(
            PRESSES_NOTHING,
            f"Pressed nothing for the {ORDINALS[PLAYS_BEFORE_DEFAULT]} time",
            "pressed nothing while the greeting played 3 times",
        )

    def _take_default(self, action: str, happened: str, reason: str) -> None:
        assert self.menu is not None
        route = self.menu.route(DEFAULT_KEYPRESS)
        if route is None:
            self._record(action, f"{happened}, and this menu has no default route.")
            self.end = CallEnd(
                CallEndKind.DISCONNECTED,
                f"Zendesk hangs up: the caller {reason} in {quoted(self.menu.name)}, "
                "which has no default route.",
                menu_key=self.menu.key,
            )
            return
        self._take(action, f"{happened}, so Zendesk takes the default route.", route)

    def _take(self, action: str, happened: str, route: Route) -> None:
        assert self.menu is not None
        menu = self.menu
        described = route_destination(route, self.document, self.lookups)
        self._record(
            action,
            happened,
            route_keypress=route.keypress,
            route=f"{keypress_subject(route.keypress)} goes to {described}.",
        )
        destination = route.destination
        if isinstance(destination, GoToMenu):
            target = self.document.find_menu(destination.menu_key)
            if target is None:
                self._ends(CallEndKind.BROKEN_ROUTE, route, _broken_sentence(route, menu))
                return
            if self.listening and self._comes_back_to(target):
                return
            self._enter(target)
            return
        self._ends(_end_kind(route), route, self._end_sentence(route))

    def _comes_back_to(self, menu: Menu) -> bool:
        """While the caller only listens, coming back to a menu means it never ends."""
        entered = self.entered_while_listening
        if menu.key not in entered:
            entered.append(menu.key)
            return False
        circle = [self.menus_by_key[key].name for key in entered[entered.index(menu.key) :]]
        self.going_round(f"they keep coming back through {names_list([quoted(n) for n in circle])}")
        return True

    def _end_sentence(self, route: Route) -> str:
        destination = route.destination
        where = destination_phrase(
            destination, self.document, self.lookups, zendesk_label=route.option_text
        )
        match destination:
            case QueueForGroups(group_ids) if group_ids:
                return f"The caller waits for an agent of {where}."
            case Voicemail(group_ids) if group_ids:
                groups = group_phrase(group_ids, self.lookups, zendesk_label=route.option_text)
                return f"The caller leaves a voicemail; the ticket goes to {groups}."
            case TransferToNumber(number) if number.strip():
                return (
                    f"The call is transferred to {where}. Zendesk does not record it "
                    "or create a ticket for it."
                )
            case TextBack(sms_text, sending_number_id) if sms_text.strip() and sending_number_id:
                return f"The caller gets {where}, and the call ends."
            case _:
                return _broken_sentence(route, self.menu)

    def _ends(self, kind: CallEndKind, route: Route, sentence: str) -> None:
        assert self.menu is not None
        self.end = CallEnd(kind, sentence, menu_key=self.menu.key, route_keypress=route.keypress)

    def going_round(self, why: str) -> None:
        self.end = CallEnd(
            CallEndKind.ROUND_IN_CIRCLES,
            f"The caller is going round in circles: {why}.",
            menu_key=self.menu.key if self.menu else None,
        )

    def _unassigned_key(self) -> str | None:
        assert self.menu is not None
        return next((key for key in CALLER_KEYS if self.menu.route(key) is None), None)

    def _record(
        self,
        action: str,
        happened: str,
        *,
        route_keypress: str | None = None,
        route: str | None = None,
    ) -> None:
        assert self.menu is not None
        self.steps.append(
            Step(
                menu_key=self.menu.key,
                menu_name=self.menu.name,
                greeting=greeting_phrase(self.menu.greeting_id, self.lookups),
                caller_action=action,
                what_happened=happened,
                route_keypress=route_keypress,
                route=route,
            )
        )


def _end_kind(route: Route) -> CallEndKind:
    match route.destination:
        case QueueForGroups(group_ids) if group_ids:
            return CallEndKind.GROUP
        case Voicemail(group_ids) if group_ids:
            return CallEndKind.VOICEMAIL
        case TransferToNumber(number) if number.strip():
            return CallEndKind.OUTSIDE_NUMBER
        case TextBack(sms_text, sending_number_id) if sms_text.strip() and sending_number_id:
            return CallEndKind.TEXT_BACK
        case _:
            return CallEndKind.BROKEN_ROUTE


def _broken_sentence(route: Route, menu: Menu | None) -> str:
    where = f"{keypress_subject(route.keypress)} in {quoted(menu.name)}" if menu else "The route"
    match route.destination:
        case GoToMenu(None):
            return (
                f"{where} should go to another menu, but none is chosen, so the call cannot go on."
            )
        case GoToMenu():
            return f"{where} goes to a menu that no longer exists, so the call cannot go on."
        case UnknownAction(name):
            return (
                f"{where} does something TalkAdmin does not know ({quoted(name)}), "
                "so the simulation cannot follow the call."
            )
        case TransferToNumber():
            return f"{where} transfers to an outside number that is not filled in."
        case TextBack():
            return (
                f"{where} sends a text message that is not set up: it needs a text and a number "
                "to send it from."
            )
        case _:
            return f"{where} sends the call to no group, so Zendesk cannot queue it."
