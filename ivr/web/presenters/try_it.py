""" "Try it": a caller's presses on the page's keypad, the simulated call, and its transcript.

The presses so far travel in the page's address (`?call=1-9-nothing`), never in the session,
so a call in progress can be reloaded, shared and walked back with the browser's Back button.
Each token is a key (0-9, "star", "hash"), "nothing" (the caller stays silent while the greeting
plays) or "wrong" (a key that has no route in that menu). No Django here.
"""

from dataclasses import dataclass
from enum import StrEnum

from ivr.engine.document import CALLER_KEYS, DEFAULT_KEYPRESS, IvrDocument
from ivr.engine.lookups import Lookups
from ivr.engine.simulate import (
    PRESSES_NOTHING,
    PRESSES_UNASSIGNED,
    CallEndKind,
    SimulatedCall,
    simulate_call,
)
from ivr.engine.wording import greeting_phrase, quoted
from ivr.web.presenters.call_flow import IVR_ANCHOR, menu_anchor, route_anchor

HANG_UP = "hang-up"  # the keypad's "Hang up / start again"
MAX_PRESSES = 40  # a longer call is a loop the checks already point out
SEPARATOR = "-"

TOKEN_FOR_ACTION = {
    **{key: key for key in CALLER_KEYS if key.isdigit()},
    "*": "star",
    "#": "hash",
    PRESSES_NOTHING: "nothing",
    PRESSES_UNASSIGNED: "wrong",
}
ACTION_FOR_TOKEN = {token: action for action, token in TOKEN_FOR_ACTION.items()}
# The keypad as a phone lays it out: (what the key shows, the token it sends).
KEYPAD = tuple((key, TOKEN_FOR_ACTION[key]) for key in "123456789*0#")

# Calls that end with the caller reaching someone or something, as opposed to being cut off.
REACHED = frozenset(
    {
        CallEndKind.GROUP,
        CallEndKind.VOICEMAIL,
        CallEndKind.OUTSIDE_NUMBER,
        CallEndKind.TEXT_BACK,
    }
)


class UnreadableCall(ValueError):
    """The presses in the address are not ones the keypad sends."""


def read_call(text: str) -> tuple[str, ...]:
    """The caller actions in a `call` parameter ("1-9-nothing" -> ("1", "9", "nothing"))."""
    tokens = [token for token in text.strip().split(SEPARATOR) if token]
    unknown = [token for token in tokens if token not in ACTION_FOR_TOKEN]
    if unknown:
        raise UnreadableCall(f"{quoted(unknown[0])} is not a key on the keypad.")
    if len(tokens) > MAX_PRESSES:
        raise UnreadableCall(f"A call here has at most {MAX_PRESSES} presses.")
    return tuple(ACTION_FOR_TOKEN[token] for token in tokens)


def call_parameter(actions: tuple[str, ...]) -> str:
    """The `call` parameter for these caller actions (the inverse of read_call)."""
    return SEPARATOR.join(TOKEN_FOR_ACTION[action] for action in actions)


class EntryKind(StrEnum):
    HEARS = "hears"  # the caller arrives in a menu and hears its greeting
    PRESS = "press"  # one caller action and what Zendesk made of it
    END = "end"  # how the call ended
    WAITING = "waiting"  # the call goes on: the caller is waiting for a key


@dataclass(frozen=True, slots=True)
class TranscriptEntry:
    kind: EntryKind
    text: str
    detail: str = ""  # the route taken, for a press
    step: int | None = None  # the press's number, as the tree's "Step n" marks show it
    menu_key: str | None = None
    route_keypress: str | None = None  # the route a press took, or the call ended on
    reached: bool = False  # for the end: the caller reached someone or something

    @property
    def anchor(self) -> str:
        """Where the tree shows this entry: the route's row, else the menu's card."""
        if self.menu_key is None:
            return IVR_ANCHOR
        if self.route_keypress is not None:
            return route_anchor(self.menu_key, self.route_keypress)
        return menu_anchor(self.menu_key)


@dataclass(frozen=True, slots=True)
class TryIt:
    """The keypad's state: the presses so far, the call they make, and what to tell the admin."""

    actions: tuple[str, ...]
    call: SimulatedCall
    transcript: tuple[TranscriptEntry, ...]
    notice: str = ""  # why the last press did not count, in plain words
    last_press: str = ""  # the token of the key just pressed, for keyboard focus

    @property
    def call_parameter(self) -> str:
        return call_parameter(self.actions)

    @property
    def keypad(self) -> tuple[tuple[str, str], ...]:
        return KEYPAD

    @property
    def ended(self) -> bool:
        return self.call.end is not None

    @property
    def started(self) -> bool:
        return bool(self.actions)

    @property
    def status(self) -> str:
        """The latest news of the call in one line, for screen readers."""
        if self.notice:
            return self.notice
        latest = [entry for entry in self.transcript if entry.kind is not EntryKind.HEARS]
        if not self.actions or not latest:
            return "No key pressed yet."
        last_press = next(e for e in reversed(self.transcript) if e.kind is EntryKind.PRESS)
        return " ".join(
            part for part in (last_press.text, last_press.detail, latest[-1].text) if part
        )


def try_call(
    *, document: IvrDocument, lookups: Lookups, call: str = "", press: str | None = None
) -> TryIt:
    """The call after the presses in `call`, then `press` (a token, or HANG_UP) if given.

    A press after the call has ended, or one the keypad does not send, is not added; the
    notice says why. An unreadable `call` (an edited address) starts the call again.
    """
    notice = ""
    try:
        actions = read_call(call)
    except UnreadableCall as error:
        actions = ()
        notice = (
            f"The keys in this page's address could not be read ({error}), "
            "so the call starts again."
        )
    if press == HANG_UP:
        actions = ()
    elif press:
        actions, refused = _pressed(document, lookups, actions, press)
        notice = refused or notice
    simulated = simulate_call(document, lookups=lookups, actions=actions)
    return TryIt(
        actions=actions,
        call=simulated,
        transcript=transcript(document, lookups, simulated),
        notice=notice,
        last_press=press or "",
    )


def _pressed(
    document: IvrDocument, lookups: Lookups, actions: tuple[str, ...], press: str
) -> tuple[tuple[str, ...], str]:
    action = ACTION_FOR_TOKEN.get(press)
    if action is None:
        return actions, f"{quoted(press)} is not a key on the keypad."
    if simulate_call(document, lookups=lookups, actions=actions).end is not None:
        return actions, "The call has already ended. Hang up to start a new call."
    if len(actions) >= MAX_PRESSES:
        return actions, f"A call here has at most {MAX_PRESSES} presses. Hang up to start again."
    return (*actions, action), ""


def transcript(
    document: IvrDocument, lookups: Lookups, call: SimulatedCall
) -> tuple[TranscriptEntry, ...]:
    """What the caller hears, presses and reaches, in order."""
    entries: list[TranscriptEntry] = []
    first = document.default_menu
    if first is not None:
        entries.append(_hears(document, lookups, first.key, arriving=False))
    for number, step in enumerate(call.steps, start=1):
        entries.append(
            TranscriptEntry(
                EntryKind.PRESS,
                step.what_happened,
                detail=step.route or "",
                step=number,
                menu_key=step.menu_key,
                route_keypress=step.route_keypress,
            )
        )
        following = call.steps[number] if number < len(call.steps) else None
        next_menu = following.menu_key if following else call.waiting_in
        if next_menu is not None and next_menu != step.menu_key:
            entries.append(_hears(document, lookups, next_menu, arriving=True))
    if call.end is not None:
        entries.append(
            TranscriptEntry(
                EntryKind.END,
                call.end.sentence,
                menu_key=call.end.menu_key,
                # A hang-up for want of a default route is shown on the menu's missing row.
                route_keypress=(
                    DEFAULT_KEYPRESS
                    if call.end.kind is CallEndKind.DISCONNECTED
                    else call.end.route_keypress
                ),
                reached=call.end.kind in REACHED,
            )
        )
    elif call.waiting_in is not None:
        menu = document.find_menu(call.waiting_in)
        name = quoted(menu.name) if menu else "the menu"
        entries.append(
            TranscriptEntry(
                EntryKind.WAITING,
                f"The caller is in {name}, waiting for a key. What do they press?",
                menu_key=call.waiting_in,
            )
        )
    return tuple(entries)


def _hears(
    document: IvrDocument, lookups: Lookups, menu_key: str, *, arriving: bool
) -> TranscriptEntry:
    menu = document.find_menu(menu_key)
    name = quoted(menu.name) if menu else "a menu"
    greeting = greeting_phrase(menu.greeting_id if menu else None, lookups)
    start = f"Now in {name}" if arriving else f"The call starts in {name}"
    return TranscriptEntry(
        EntryKind.HEARS, f"{start}: the caller hears {greeting}.", menu_key=menu_key
    )
