"""What the account around an IVR holds: groups, greetings and phone numbers, by id.

Lint, the call simulator and the change planner use it to speak in names ("the group 'Billing'")
and to notice references to things that no longer exist. Build it from Zendesk's JSON lists with
`Lookups.from_zendesk`; an empty `Lookups()` knows nothing (every reference looks missing).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from core import phone
from ivr.engine.document import IvrDocument

IVR_GREETING_CATEGORY = 5  # Zendesk's fixed greeting category "ivr"


@dataclass(frozen=True, slots=True)
class Group:
    id: int
    name: str
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class Greeting:
    id: int | str  # built-in greetings have string ids ("ivr_none"), custom ones integers
    name: str
    category_id: int | None
    pending: bool = False  # created, but no recording uploaded yet
    playable: bool = False  # has a recording to play (not pending, with an audio_url)
    script: str = ""  # the words callers hear, as an admin typed them in TalkAdmin ("" unknown)

    @property
    def is_built_in_ivr_greeting(self) -> bool:
        """Zendesk's own greeting of the IVR category ("ivr_none", named "None")."""
        return self.category_id == IVR_GREETING_CATEGORY and isinstance(self.id, str)

    @property
    def can_play_in_a_menu(self) -> bool:
        """Only a custom greeting of the IVR category can be a menu's greeting."""
        return self.category_id == IVR_GREETING_CATEGORY and not isinstance(self.id, str)


@dataclass(frozen=True, slots=True)
class PhoneNumber:
    id: int
    name: str  # the nickname, else the formatted number (Zendesk's `name`)
    number: str  # E.164, e.g. "+353766801402"
    display_number: str = ""
    sms_capable: bool = False
    sms_enabled: bool = False
    line_type: str = "phone"  # "digital" lines cannot run an IVR
    ivr_id: int | None = None
    callback_from_queue: bool = False
    call_recording_consent: str = ""  # "always", "opt_in", "opt_out", "never" ("" unknown)

    @property
    def label(self) -> str:
        """How admins recognise the number: its nickname and number, or the number alone."""
        return phone.full_label(
            nickname=self.name, number=self.number, display_number=self.display_number
        )

    @property
    def asks_for_recording_consent(self) -> bool:
        # Zendesk's spelling of the opt-in/opt-out values is unconfirmed: accept - and _.
        return self.call_recording_consent.replace("-", "_") in ("opt_in", "opt_out")


@dataclass(frozen=True, slots=True)
class Lookups:
    groups: Mapping[int, Group] = field(default_factory=dict)
    greetings: Mapping[int | str, Greeting] = field(default_factory=dict)
    phone_numbers: Mapping[int, PhoneNumber] = field(default_factory=dict)

    @classmethod
    def from_zendesk(
        cls,
        *,
        groups: Iterable[Mapping[str, Any]] = (),
        greetings: Iterable[Mapping[str, Any]] = (),
        phone_numbers: Iterable[Mapping[str, Any]] = (),
        scripts: Mapping[str, str] | None = None,
    ) -> "Lookups":
        """Build the lookups from Zendesk's lists (`groups`, `greetings`, `phone_numbers`).

        A phone number's `settings` (from `?include=settings`) supply its callback setting;
        `scripts` (greeting id as text -> words) what callers hear in each greeting.
        """
        words = scripts or {}
        return cls(
            groups={g["id"]: _group(g) for g in groups},
            greetings={g["id"]: _greeting(g, words.get(str(g["id"]), "")) for g in greetings},
            phone_numbers={n["id"]: _phone_number(n) for n in phone_numbers},
        )

    def numbers_using(self, document: IvrDocument) -> tuple[PhoneNumber, ...]:
        """The account's numbers that answer with this IVR (as the IVR or the number says)."""
        ids = set(document.phone_number_ids)
        if document.id is not None:
            ids |= {n.id for n in self.phone_numbers.values() if n.ivr_id == document.id}
        return tuple(self.phone_numbers[i] for i in sorted(ids) if i in self.phone_numbers)

    def find_number(self, number: str) -> PhoneNumber | None:
        """The account's own number with this E.164 number, if any."""
        return next((n for n in self.phone_numbers.values() if n.number == number), None)


def _group(data: Mapping[str, Any]) -> Group:
    return Group(id=data["id"], name=str(data.get("name") or ""), deleted=bool(data.get("deleted")))


def _greeting(data: Mapping[str, Any], script: str) -> Greeting:
    pending = bool(data.get("pending"))
    return Greeting(
        id=data["id"],
        name=str(data.get("name") or ""),
        category_id=data.get("category_id"),
        pending=pending,
        playable=bool(data.get("audio_url")) and not pending,
        script=script,
    )


def _phone_number(data: Mapping[str, Any]) -> PhoneNumber:
    capabilities = data.get("capabilities") or {}
    settings = data.get("settings") or {}
    return PhoneNumber(
        id=data["id"],
        name=str(data.get("name") or data.get("nickname") or ""),
        number=str(data.get("number") or ""),
        display_number=str(data.get("display_number") or ""),
        sms_capable=bool(capabilities.get("sms")),
        sms_enabled=bool(data.get("sms_enabled")),
        line_type=str(data.get("line_type") or "phone"),
        ivr_id=data.get("ivr_id"),
        callback_from_queue=bool(settings.get("callback_from_queue")),
        call_recording_consent=str(data.get("call_recording_consent") or ""),
    )
