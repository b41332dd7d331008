"""Typed Yeastar P-Series resources that keep the JSON exactly as the PBX returned it.

A Yeastar IVR is one menu. Its fourteen slots, keys "0"-"9", "*", "#" and the fallbacks
"timeout" (the caller pressed nothing, after the prompt played `prompt_repeat` times) and
"invalid" (the caller pressed a key with no destination), each hold a `Route`: a `Destination`
(one of the twelve documented kinds, its value and its prefix) and whether recording stops once
the call is routed there. An `ivr` destination leads to another IVR, which is how a Yeastar call
flow gets sub-menus.

`Ivr.from_json(data)` reads the `ivr/get` object; `to_json()` gives that JSON back with the edits
made to typed fields applied and nothing else changed (unknown fields and odd values, like a
prefix on an `ext_vm` destination, survive). `to_request()` is the body `ivr/create` takes, and
`changes_from(before)` the fewest fields an `ivr/update` must send.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, Self

KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#")  # keypad order
FALLBACKS = ("timeout", "invalid")
SLOTS = KEYS + FALLBACKS
_SLOT_STEM = {"*": "press_star", "#": "press_hash", "timeout": "timeout", "invalid": "invalid"}
_RECORD_SUFFIX = {"*": "_star", "#": "_hash", "timeout": "_timeout", "invalid": "_invalid"}


class DestinationKind(StrEnum):
    """The twelve destination types of `pressX_dest` (Yeastar's ivr/get), and "" for none."""

    NONE = ""
    END_CALL = "end_call"
    EXTENSION = "extension"
    EXTENSION_VOICEMAIL = "ext_vm"
    IVR = "ivr"
    RING_GROUP = "ring_group"
    QUEUE = "queue"
    GROUP_VOICEMAIL = "group_vm"
    CONFERENCE = "conference"
    DIAL_BY_NAME = "dial_by_name"
    EXTERNAL_NUMBER = "external_num"
    PLAY_PROMPT_AND_EXIT = "play_greeting"
    PLAY_PROMPT_AND_RETURN = "play_prompt"


# Yeastar's own names for the kinds, as its documentation and web portal show them.
KIND_LABELS = {
    DestinationKind.NONE: "Not set",
    DestinationKind.END_CALL: "Hang Up",
    DestinationKind.EXTENSION: "Extension",
    DestinationKind.EXTENSION_VOICEMAIL: "Extension Voicemail",
    DestinationKind.IVR: "IVR",
    DestinationKind.RING_GROUP: "Ring Group",
    DestinationKind.QUEUE: "Queue",
    DestinationKind.GROUP_VOICEMAIL: "Group Voicemail",
    DestinationKind.CONFERENCE: "Conference",
    DestinationKind.DIAL_BY_NAME: "Dial by Name",
    DestinationKind.EXTERNAL_NUMBER: "External Number",
    DestinationKind.PLAY_PROMPT_AND_EXIT: "Play Prompt and Exit",
    DestinationKind.PLAY_PROMPT_AND_RETURN: "Play Prompt and Return to IVR",
}
# Which lookup a kind's value is the id (or, for prompts, the file name) of.
KIND_REFERS_TO: dict[str, str] = {
    DestinationKind.EXTENSION: "extension",
    DestinationKind.EXTENSION_VOICEMAIL: "extension",
    DestinationKind.IVR: "ivr",
    DestinationKind.RING_GROUP: "ring_group",
    DestinationKind.QUEUE: "queue",
    DestinationKind.GROUP_VOICEMAIL: "group_voicemail",
    DestinationKind.CONFERENCE: "conference",
    DestinationKind.PLAY_PROMPT_AND_EXIT: "custom_prompt",
    DestinationKind.PLAY_PROMPT_AND_RETURN: "custom_prompt",
}
PLAYS_A_PROMPT = frozenset(
    {DestinationKind.PLAY_PROMPT_AND_EXIT, DestinationKind.PLAY_PROMPT_AND_RETURN}
)
DIAL_EXT_OPTIONS = ("disable", "all", "allow", "restrict")
# Documented ranges of ivr/create and ivr/update.
PROMPT_REPEAT_RANGE = range(1, 6)
RESPONSE_TIMEOUT_RANGE = range(1, 11)
DIGIT_TIMEOUT_RANGE = range(1, 11)
MAX_PROMPTS = 5


def slot_keys(slot: str) -> tuple[str, str, str, str]:
    """The JSON keys of a slot: (dest, dest_prefix, dest_value, allow_out_record)."""
    if slot not in SLOTS:
        raise ValueError(f"{slot!r} is not an IVR key or fallback")
    stem = _SLOT_STEM.get(slot, f"press{slot}")
    record = "allow_out_record" + _RECORD_SUFFIX.get(slot, slot)
    return f"{stem}_dest", f"{stem}_dest_prefix", f"{stem}_dest_value", record


@dataclass(frozen=True)
class Destination:
    """Where a key sends the caller: a kind, its value (an id, a number, a prompt file) and its
    prefix (the dial-out prefix of an external number, the play count of a prompt)."""

    kind: str = DestinationKind.NONE
    value: str = ""
    prefix: str = ""

    @property
    def is_set(self) -> bool:
        return self.kind != DestinationKind.NONE

    @property
    def refers_to(self) -> str | None:
        """The lookup whose id (or prompt file name) `value` is, e.g. "extension"; else None."""
        return KIND_REFERS_TO.get(self.kind)

    @property
    def play_count(self) -> int | None:
        """How many times a play-prompt destination plays its prompt (None for other kinds)."""
        if self.kind not in PLAYS_A_PROMPT:
            return None
        return int(self.prefix) if self.prefix.isdigit() else None


@dataclass(frozen=True)
class Route:
    """One slot of an IVR: its destination, and whether call recording stops once there."""

    destination: Destination = field(default_factory=Destination)
    stop_recording: bool = False


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _flag(value: Any) -> bool:
    return _int(value) == 1


def _items(value: Any) -> tuple[dict[str, Any], ...]:
    if not isinstance(value, list | tuple):
        return ()
    return tuple(dict(item) for item in value if isinstance(item, Mapping))


def _read_route(raw: Mapping[str, Any], slot: str) -> Route:
    dest, prefix, value, record = slot_keys(slot)
    return Route(
        destination=Destination(
            _text(raw.get(dest)), _text(raw.get(value)), _text(raw.get(prefix))
        ),
        stop_recording=_flag(raw.get(record)),
    )


def _route_json(slot: str, route: Route) -> dict[str, Any]:
    dest, prefix, value, record = slot_keys(slot)
    target = route.destination
    return {
        dest: str(target.kind),
        prefix: target.prefix,
        value: target.value,
        record: int(route.stop_recording),
    }


@dataclass(frozen=True, kw_only=True)
class Ivr:
    """One Yeastar IVR (one menu), as `ivr/get` answers it; see the module docstring."""

    id: int | None = None
    number: str = ""
    name: str = ""
    prompt: str = "default"  # "default" or up to 5 custom prompt file names, comma-separated
    prompt_repeat: int | None = None
    resp_timeout: int | None = None  # seconds waited for a key after each play of the prompt
    digit_timeout: int | None = None  # seconds waited between one key and the next
    dial_ext_option: str = "disable"  # disable, all, allow, restrict
    dial_outbound_routes: bool = False  # enb_dial_outb_routes
    check_voicemail: bool = False  # enb_dial_check_vm
    routes: Mapping[str, Route] = field(default_factory=dict)
    dial_ext_list: tuple[dict[str, Any], ...] = ()
    restrict_dial_ext_list: tuple[dict[str, Any], ...] = ()
    dial_outb_route_list: tuple[dict[str, Any], ...] = ()
    alert_info: str = ""
    prompt_manager: bool = False  # prompt_manger_enb (sic): #9 may re-record the prompt
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        """Build the IVR from an `ivr/get` object (a copy is kept; `data` is not changed)."""
        raw = copy.deepcopy(dict(data))
        return cls(
            id=_int(raw.get("id")),
            number=_text(raw.get("number")),
            name=_text(raw.get("name")),
            prompt=_text(raw.get("prompt")),
            prompt_repeat=_int(raw.get("prompt_repeat")),
            resp_timeout=_int(raw.get("resp_timeout")),
            digit_timeout=_int(raw.get("digit_timeout")),
            dial_ext_option=_text(raw.get("dial_ext_option")),
            dial_outbound_routes=_flag(raw.get("enb_dial_outb_routes")),
            check_voicemail=_flag(raw.get("enb_dial_check_vm")),
            routes={slot: _read_route(raw, slot) for slot in SLOTS},
            dial_ext_list=_items(raw.get("dial_ext_list")),
            restrict_dial_ext_list=_items(raw.get("restrict_dial_ext_list")),
            dial_outb_route_list=_items(raw.get("dial_outb_route_list")),
            alert_info=_text(raw.get("alert_info")),
            prompt_manager=_flag(raw.get("prompt_manger_enb")),
            raw=raw,
        )

    # --- reading ------------------------------------------------------------------------------
    @property
    def prompts(self) -> tuple[str, ...]:
        """The prompt files played in turn ("default" is the PBX's built-in prompt)."""
        return tuple(name.strip() for name in self.prompt.split(",") if name.strip())

    def route(self, slot: str) -> Route:
        """The route of a key ("0"-"9", "*", "#") or fallback ("timeout", "invalid")."""
        if slot not in SLOTS:
            raise ValueError(f"{slot!r} is not an IVR key or fallback")
        return self.routes.get(slot) or Route()

    def linked_ivr_ids(self) -> list[int]:
        """The ids of the IVRs this one sends callers to, in slot order, each once."""
        found: list[int] = []
        for slot in SLOTS:
            target = self.route(slot).destination
            linked = target.kind == DestinationKind.IVR and target.value.isdigit()
            if linked and int(target.value) not in found:
                found.append(int(target.value))
        return found

    def with_route(self, slot: str, route: Route) -> Ivr:
        """A copy with one slot's route replaced."""
        self.route(slot)  # checks the slot
        return replace(self, routes={**{s: self.route(s) for s in SLOTS}, slot: route})

    # --- writing ------------------------------------------------------------------------------
    def _fields(self) -> dict[str, Any]:
        """Every writable field as Yeastar's JSON (the lists only where the PBX uses them)."""
        fields: dict[str, Any] = {
            "number": self.number,
            "name": self.name,
            "prompt": self.prompt,
            "prompt_repeat": self.prompt_repeat,
            "resp_timeout": self.resp_timeout,
            "digit_timeout": self.digit_timeout,
            "dial_ext_option": self.dial_ext_option,
            "enb_dial_outb_routes": int(self.dial_outbound_routes),
            "enb_dial_check_vm": int(self.check_voicemail),
        }
        for slot in SLOTS:
            fields.update(_route_json(slot, self.route(slot)))
        fields["dial_ext_list"] = [dict(item) for item in self.dial_ext_list]
        fields["restrict_dial_ext_list"] = [dict(item) for item in self.restrict_dial_ext_list]
        fields["dial_outb_route_list"] = [dict(item) for item in self.dial_outb_route_list]
        fields["alert_info"] = self.alert_info
        fields["prompt_manger_enb"] = int(self.prompt_manager)
        return fields

    def to_json(self) -> dict[str, Any]:
        """The JSON as the PBX returned it, with edits to typed fields applied."""
        as_received = type(self).from_json(self.raw)._fields()
        result = copy.deepcopy(self.raw)
        for key, value in self._fields().items():
            if value != as_received.get(key):
                result[key] = value
        if self.id != _int(self.raw.get("id")):
            result["id"] = self.id
        return result

    def to_request(self) -> dict[str, Any]:
        """The body of `ivr/create`: every writable field (never the masked prompt password)."""
        fields = self._fields()
        if self.dial_ext_option != "allow":
            del fields["dial_ext_list"]
        if self.dial_ext_option != "restrict":
            del fields["restrict_dial_ext_list"]
        if not self.dial_outbound_routes:
            del fields["dial_outb_route_list"]
        return fields

    def changes_from(self, before: Ivr) -> dict[str, Any]:
        """The fields of an `ivr/update` that makes `before` look like this IVR (without id)."""
        old = before._fields()
        changes = {key: value for key, value in self._fields().items() if old.get(key) != value}
        for slot in SLOTS:  # a slot is sent whole: the PBX reads its four fields together
            keys = slot_keys(slot)
            if any(key in changes for key in keys):
                changes.update(_route_json(slot, self.route(slot)))
        return changes


@dataclass(frozen=True, kw_only=True)
class IvrSummary:
    """An IVR as `ivr/list` and `ivr/search` give it: id, number and name."""

    id: int
    number: str
    name: str
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        raw = copy.deepcopy(dict(data))
        return cls(
            id=int(raw["id"]), number=_text(raw.get("number")), name=_text(raw.get("name")), raw=raw
        )


@dataclass(frozen=True, kw_only=True)
class Numbered:
    """A PBX object a destination points at by id: ring group, queue, conference, group
    voicemail. `label` is how an admin recognises it: "6300 Front desk"."""

    id: int
    number: str
    name: str
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        raw = copy.deepcopy(dict(data))
        return cls(
            id=int(raw["id"]), number=_text(raw.get("number")), name=_text(raw.get("name")), raw=raw
        )

    @property
    def label(self) -> str:
        return f"{self.number} {self.name}".strip()


class RingGroup(Numbered):
    """A ring group (`ringgroup/list`)."""


class Queue(Numbered):
    """A call queue (`queue/list`)."""


class Conference(Numbered):
    """A conference room (`conference/list`)."""


class GroupVoicemail(Numbered):
    """A group voicemail (`vm_group/list`); `raw["type"]` is ring_group, queue or custom."""


@dataclass(frozen=True, kw_only=True)
class Extension(Numbered):
    """An extension (`extension/list`): its number and its caller id name, "1001 Phillip Huff"."""

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        raw = copy.deepcopy(dict(data))
        return cls(
            id=int(raw["id"]),
            number=_text(raw.get("number")),
            name=_text(raw.get("caller_id_name")),
            raw=raw,
        )


@dataclass(frozen=True, kw_only=True)
class CustomPrompt:
    """A custom prompt (`custom_prompt/list`); destinations and IVRs name it by `file_name`."""

    id: int
    file_name: str  # real_filename, e.g. "IVR.wav"
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        raw = copy.deepcopy(dict(data))
        name = raw.get("real_filename") or f"{_text(raw.get('file'))}{_text(raw.get('suffix'))}"
        return cls(id=int(raw["id"]), file_name=_text(name), raw=raw)
