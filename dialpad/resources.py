"""Typed Dialpad resources, read from the JSON Dialpad answers with (kept whole in `raw`).

Dialpad's "custom IVRs" are recordings: each is uploaded for one target (an office, department,
call centre, user, ...) and one situation (`ivr_type`, dialpad.situations), and for each target
and situation at most one recording is `selected` (plays); with none selected, Dialpad plays its
own default. `GET /api/v2/customivrs?target_type=&target_id=` answers, per situation that has
recordings, `{"ivr_type", "ivrs": [recording, ...]}` (`TargetRecordings`).

Dialpad's examples spell 64-bit ids and `date_added` (milliseconds since 1970) as JSON strings
("1002", "1356998400000") where its schema says integers: both are read.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Self

from dialpad.situations import IvrType


class TargetType(StrEnum):
    """Every `target_type` of the custom IVR endpoints, in the document's spelling."""

    CALL_CENTER = "callcenter"
    CALL_ROUTER = "callrouter"
    CHANNEL = "channel"
    COACHING_GROUP = "coachinggroup"
    COACHING_TEAM = "coachingteam"
    DEPARTMENT = "department"
    OFFICE = "office"
    ROOM = "room"
    STAFF_GROUP = "staffgroup"
    UNKNOWN = "unknown"
    USER = "user"


TARGET_LABELS = {
    TargetType.CALL_CENTER: "Call centre",
    TargetType.CALL_ROUTER: "Call router",
    TargetType.CHANNEL: "Channel",
    TargetType.COACHING_GROUP: "Coaching group",
    TargetType.COACHING_TEAM: "Coaching team",
    TargetType.DEPARTMENT: "Department",
    TargetType.OFFICE: "Office",
    TargetType.ROOM: "Room",
    TargetType.STAFF_GROUP: "Staff group",
    TargetType.UNKNOWN: "Unknown kind",
    TargetType.USER: "User",
}
# A recording can be uploaded (POST /api/v2/customivrs) only for these target types.
UPLOAD_TARGET_TYPES = frozenset(
    {
        TargetType.CALL_CENTER,
        TargetType.COACHING_TEAM,
        TargetType.DEPARTMENT,
        TargetType.OFFICE,
        TargetType.USER,
    }
)
NAME_MAX_LENGTH = 100  # "Max 100 characters", single line
DESCRIPTION_MAX_LENGTH = 256  # "Max 256 characters", single line


class SelectOption(StrEnum):
    """`select_option` of an assignment: "For call center auto call recording only. Set ivr for
    inbound or outbound. Default is both." """

    INBOUND = "inbound"
    OUTBOUND = "outbound"


def takes_select_option(target_type: TargetType, ivr_type: IvrType) -> bool:
    """Whether `select_option` applies: a call centre's auto call recording notice only."""
    return target_type == TargetType.CALL_CENTER and ivr_type == IvrType.AUTO_RECORDING


@dataclass(frozen=True, order=True)
class Target:
    """Who plays the recordings: a target type and the target's id."""

    type: TargetType
    id: int

    @property
    def label(self) -> str:
        return TARGET_LABELS[self.type]


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _when(milliseconds: Any) -> datetime | None:
    number = _int(milliseconds)
    return None if number is None else datetime.fromtimestamp(number / 1000, tz=UTC)


def _texts(value: Any) -> tuple[str, ...]:
    return tuple(str(item) for item in value) if isinstance(value, list) else ()


@dataclass(frozen=True, kw_only=True)
class Recording:
    """One custom IVR (CustomIvrDetailsProto): a recording Dialpad keeps for one target and
    situation. `text` is set for a text-to-speech prompt with no MP3. Dialpad's API offers no
    address to fetch a recording's audio from."""

    id: int
    name: str
    description: str = ""
    date_added: datetime | None = None
    selected: bool = False
    text: str = ""
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        raw = copy.deepcopy(dict(data))
        return cls(
            id=_int(raw.get("id")) or 0,
            name=_text(raw.get("name")),
            description=_text(raw.get("description")),
            date_added=_when(raw.get("date_added")),
            selected=raw.get("selected") is True,
            text=_text(raw.get("text")),
            raw=raw,
        )


@dataclass(frozen=True, kw_only=True)
class SituationRecordings:
    """One situation of one target (CustomIvrProto): its recordings and which of them plays.

    Dialpad marks the playing one `selected`; none selected means Dialpad's default plays. For a
    call centre's auto recording notice two may be selected (one inbound, one outbound): the API
    does not say which is which.
    """

    ivr_type: IvrType
    recordings: tuple[Recording, ...] = ()

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        items = data.get("ivrs") if isinstance(data.get("ivrs"), list) else []
        return cls(
            ivr_type=IvrType(str(data.get("ivr_type"))),
            recordings=tuple(
                Recording.from_json(item) for item in items or [] if isinstance(item, Mapping)
            ),
        )

    @property
    def selected(self) -> tuple[Recording, ...]:
        return tuple(recording for recording in self.recordings if recording.selected)

    @property
    def playing(self) -> Recording | None:
        """The recording callers hear (the first selected), None for Dialpad's default."""
        return next(iter(self.selected), None)

    @property
    def plays_default(self) -> bool:
        return not self.selected


@dataclass(frozen=True, kw_only=True)
class TargetRecordings:
    """Every custom IVR of one target, by situation (all pages of GET /api/v2/customivrs).

    Situations with no recording are absent from Dialpad's answer: `situation()` gives them as
    empty (Dialpad's default plays). Items whose ivr_type TalkAdmin does not know are kept in
    `unknown`, so nothing Dialpad sent is silently dropped.
    """

    target: Target
    by_type: Mapping[IvrType, SituationRecordings] = field(default_factory=dict)
    unknown: tuple[dict[str, Any], ...] = ()

    @classmethod
    def from_items(cls, target: Target, items: list[dict[str, Any]]) -> Self:
        by_type: dict[IvrType, SituationRecordings] = {}
        unknown: list[dict[str, Any]] = []
        for item in items:
            if str(item.get("ivr_type")) not in IvrType.__members__:
                unknown.append(copy.deepcopy(item))
                continue
            read = SituationRecordings.from_json(item)
            earlier = by_type.get(read.ivr_type)
            if earlier is not None:  # a situation split across two pages
                read = SituationRecordings(
                    ivr_type=read.ivr_type, recordings=earlier.recordings + read.recordings
                )
            by_type[read.ivr_type] = read
        return cls(target=target, by_type=by_type, unknown=tuple(unknown))

    def situation(self, ivr_type: IvrType) -> SituationRecordings:
        return self.by_type.get(ivr_type) or SituationRecordings(ivr_type=ivr_type)

    def playing(self, ivr_type: IvrType) -> Recording | None:
        return self.situation(ivr_type).playing

    def recordings(self) -> list[tuple[IvrType, Recording]]:
        """Every recording with the situation it was uploaded for."""
        return [(kind, rec) for kind, found in self.by_type.items() for rec in found.recordings]

    def find(self, recording_id: int) -> tuple[IvrType, Recording] | None:
        return next(((k, r) for k, r in self.recordings() if r.id == recording_id), None)


@dataclass(frozen=True, kw_only=True)
class Named:
    """A Dialpad object recordings can be assigned to, with the name admins know it by."""

    target_type: TargetType = field(init=False, default=TargetType.UNKNOWN)

    id: int
    name: str
    office_id: int | None = None
    state: str = ""
    phone_numbers: tuple[str, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        raw = copy.deepcopy(dict(data))
        return cls(
            id=_int(raw.get("id")) or 0,
            name=_text(raw.get("name")),
            office_id=_int(raw.get("office_id")),
            state=_text(raw.get("state")),
            phone_numbers=_texts(raw.get("phone_numbers")),
            raw=raw,
        )

    @property
    def target(self) -> Target:
        return Target(self.target_type, self.id)


@dataclass(frozen=True, kw_only=True)
class Office(Named):
    """An office (GET /api/v2/offices): the company's main lines, each with its own hours."""

    target_type: TargetType = field(init=False, default=TargetType.OFFICE)

    @property
    def timezone(self) -> str:
        return _text(self.raw.get("timezone"))


@dataclass(frozen=True, kw_only=True)
class Department(Named):
    """A department (GET /api/v2/departments) of an office."""

    target_type: TargetType = field(init=False, default=TargetType.DEPARTMENT)


@dataclass(frozen=True, kw_only=True)
class CallCenter(Named):
    """A call centre (GET /api/v2/callcenters): a department with a queue and its messages."""

    target_type: TargetType = field(init=False, default=TargetType.CALL_CENTER)


@dataclass(frozen=True, kw_only=True)
class User(Named):
    """A user (GET /api/v2/users); `name` is the display name."""

    target_type: TargetType = field(init=False, default=TargetType.USER)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        raw = copy.deepcopy(dict(data))
        full = " ".join(_text(raw.get(k)) for k in ("first_name", "last_name")).strip()
        return cls(
            id=_int(raw.get("id")) or 0,
            name=_text(raw.get("display_name")) or full,
            office_id=_int(raw.get("office_id")),
            state=_text(raw.get("state")),
            phone_numbers=_texts(raw.get("phone_numbers")),
            raw=raw,
        )

    @property
    def emails(self) -> tuple[str, ...]:
        return _texts(self.raw.get("emails"))
