# ruff: noqa: RUF009 - json_field() returns a dataclasses.field, which ruff cannot see
"""Typed Talk API resources that keep the JSON exactly as Zendesk returned it.

Every resource is a frozen dataclass built with `Resource.from_json(data)`: its typed fields are
read from the JSON, and `raw` keeps the whole object, unknown fields included, so a newer Zendesk
answer never breaks a page and an audit snapshot holds what Zendesk really said. `to_json()`
returns that JSON with the edits made to known fields (`dataclasses.replace(route, keypress="2")`)
applied, and nothing else changed.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

from core import phone

GreetingId = int | str  # built-in greetings have string ids ("voicemail_en"), custom ones integers


def json_field(
    key: str | None = None,
    *,
    parse: Callable[[Any], Any] | None = None,
) -> Any:
    """A resource field read from JSON key `key` (default: the field's name) through `parse`.

    A field built by hand without a value gets what parsing a missing key gives (None, (), {}).
    """
    metadata = {"json_key": key, "parse": parse}
    if parse is None:
        return field(default=None, metadata=metadata)
    return field(default_factory=lambda: parse(None), metadata=metadata)


def _tuple(value: Any) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, list | tuple) else ()


def _dict(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, Mapping) else {}


def _nested(resource: type[Resource]) -> Callable[[Any], Any]:
    def parse(value: Any) -> Any:
        # JSON objects: from_json made dicts of them all
        return resource._from_shared(value) if isinstance(value, dict) else None

    return parse


def _nested_list(resource: type[Resource]) -> Callable[[Any], tuple[Any, ...]]:
    def parse(value: Any) -> tuple[Any, ...]:
        return tuple(
            resource._from_shared(item) for item in _tuple(value) if isinstance(item, dict)
        )

    return parse


def _dump(value: Any) -> Any:
    if isinstance(value, Resource):
        return value.to_json()
    if isinstance(value, tuple | list):
        return [_dump(item) for item in value]
    return copy.deepcopy(value)


@dataclass(frozen=True, kw_only=True)
class Resource:
    """Base of every Talk resource: typed fields plus `raw`, the JSON object as received."""

    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        """Build the resource from a JSON object (a copy is kept; `data` is not changed)."""
        return cls._from_shared(copy.deepcopy(dict(data)))

    @classmethod
    def _from_shared(cls, raw: dict[str, Any]) -> Self:
        # Nested resources share slices of their parent's copy: resources are never mutated.
        values = {}
        for spec in dataclasses.fields(cls):
            if spec.name == "raw":
                continue
            value = raw.get(spec.metadata.get("json_key") or spec.name)
            parse = spec.metadata.get("parse")
            values[spec.name] = parse(value) if parse else value
        return cls(raw=raw, **values)

    def to_json(self) -> dict[str, Any]:
        """The JSON object as Zendesk returned it, with edits to known fields applied."""
        as_received = type(self)._from_shared(self.raw)
        result = copy.deepcopy(self.raw)
        for spec in dataclasses.fields(self):
            if spec.name == "raw":
                continue
            value = getattr(self, spec.name)
            if value != getattr(as_received, spec.name):
                result[spec.metadata.get("json_key") or spec.name] = _dump(value)
        return result


@dataclass(frozen=True, kw_only=True)
class IvrRoute(Resource):
    """What happens when a caller presses `keypress` in a menu.

    action is one of group, voicemail, phone_number, textback, menu; options holds the action's
    settings ({"group_ids": [..]}, {"menu_id": N}, ...). option_text and greeting are filled in
    by Zendesk and read-only; a null option_text on a group, voicemail or menu route is a sign of
    a dangling reference.
    """

    KEYPRESSES: ClassVar[tuple[str, ...]] = (*"0123456789*#", "default")
    ACTIONS: ClassVar[tuple[str, ...]] = ("group", "voicemail", "phone_number", "textback", "menu")

    id: int | None = json_field()
    keypress: str | None = json_field()
    action: str | None = json_field()
    options: dict[str, Any] = json_field(parse=_dict)
    option_text: str | None = json_field()
    greeting: str | None = json_field()
    overflow_options: Any = json_field()

    @property
    def group_ids(self) -> tuple[int, ...]:
        return _tuple(self.options.get("group_ids"))

    @property
    def menu_id(self) -> int | None:
        return self.options.get("menu_id")

    @property
    def phone_number(self) -> str | None:
        return self.options.get("phone_number")

    @property
    def sms_text(self) -> str | None:
        """The text-back message; older accounts spell the key `sms_textstring`."""
        return self.options.get("sms_text", self.options.get("sms_textstring"))

    @property
    def textback_phone_number_id(self) -> int | None:
        return self.options.get("textback_phone_number_id")

    @property
    def tags(self) -> tuple[str, ...]:
        return _tuple(self.options.get("tags"))


@dataclass(frozen=True, kw_only=True)
class IvrMenu(Resource):
    """One menu of an IVR; `is_default` (JSON "default") marks the one callers hear first."""

    id: int | None = json_field()
    name: str | None = json_field()
    is_default: bool | None = json_field("default")
    greeting_id: GreetingId | None = json_field()
    routes: tuple[IvrRoute, ...] = json_field(parse=_nested_list(IvrRoute))

    def route_for(self, keypress: str) -> IvrRoute | None:
        return next((route for route in self.routes if route.keypress == keypress), None)


@dataclass(frozen=True, kw_only=True)
class Ivr(Resource):
    """An IVR with its menus (each with its routes) and the phone numbers that use it."""

    id: int | None = json_field()
    name: str | None = json_field()
    menus: tuple[IvrMenu, ...] = json_field(parse=_nested_list(IvrMenu))
    phone_number_ids: tuple[int, ...] = json_field(parse=_tuple)
    phone_number_names: tuple[str, ...] = json_field(parse=_tuple)

    @property
    def default_menu(self) -> IvrMenu | None:
        return next((menu for menu in self.menus if menu.is_default), None)

    def menu(self, menu_id: int) -> IvrMenu | None:
        return next((menu for menu in self.menus if menu.id == menu_id), None)


@dataclass(frozen=True, kw_only=True)
class PhoneNumberSettings(Resource):
    """A number's call-handling settings (returned and written only with ?include=settings)."""

    RETENTION_PERIODS: ClassVar[tuple[str, ...]] = (
        "never", "1.days", "1.weeks", "2.weeks", "1.months", "2.months", "3.months",
        "6.months", "1.years", "2.years",
    )  # fmt: skip

    allow_outbound_calls: bool | None = json_field()
    average_wait_time_message_enabled: bool | None = json_field()
    call_offering_duration: int | None = json_field()
    call_recording_delete_after: str | None = json_field()
    callback_from_queue: bool | None = json_field()
    callback_locale: str | None = json_field()
    create_ticket_for_abandoned_calls: bool | None = json_field()
    dequeue_retry_if_attempted: bool | None = json_field()
    maximum_queue_size: int | None = json_field()
    maximum_queue_wait_time: int | None = json_field()
    overflow_number: dict[str, Any] | None = json_field()
    priority: int | None = json_field()
    voicemail: bool | None = json_field()
    voicemail_outside_business_hours: bool | None = json_field()
    voicemail_recording_delete_after: str | None = json_field()
    wrap_up_enabled: bool | None = json_field()
    wrap_up_time_limit: int | None = json_field()


@dataclass(frozen=True, kw_only=True)
class PhoneNumber(Resource):
    """A Talk phone number (or, from the lines list, a digital line: see `line_type`)."""

    id: int | None = json_field()
    number: str | None = json_field()
    display_number: str | None = json_field()
    name: str | None = json_field()
    nickname: str | None = json_field()
    country_code: str | None = json_field()
    location: str | None = json_field()
    toll_free: bool | None = json_field()
    external: bool | None = json_field()
    created_at: str | None = json_field()
    line_type: str | None = json_field()
    brand_id: int | None = json_field()
    capabilities: dict[str, Any] = json_field(parse=_dict)
    call_recording_consent: str | None = json_field()
    recorded: bool | None = json_field()
    transcription: bool | None = json_field()
    outbound_enabled: bool | None = json_field()
    sms_enabled: bool | None = json_field()
    voice_enabled: bool | None = json_field()
    sms_group_id: int | None = json_field()
    priority: int | None = json_field()
    default_group_id: int | None = json_field()
    group_ids: tuple[int, ...] = json_field(parse=_tuple)
    greeting_ids: tuple[GreetingId, ...] = json_field(parse=_tuple)
    default_greeting_ids: tuple[str, ...] = json_field(parse=_tuple)
    categorised_greetings: dict[str, Any] = json_field(parse=_dict)
    categorised_greetings_with_sub_settings: dict[str, Any] = json_field(parse=_dict)
    ivr_id: int | None = json_field()
    schedule_id: int | None = json_field()
    failover_number: str | None = json_field()
    token: str | None = json_field()
    post_call_voice_ai_enabled: bool | None = json_field()
    voice_qa_enabled: bool | None = json_field()
    settings: PhoneNumberSettings | None = json_field(parse=_nested(PhoneNumberSettings))

    @property
    def label(self) -> str:
        """How an admin recognises the number: its nickname, else the formatted number."""
        return phone.short_label(
            nickname=self.nickname,
            number=self.number,
            display_number=self.display_number,
            name=self.name,
        )

    @property
    def can_send_sms(self) -> bool:
        return bool(self.sms_enabled and self.capabilities.get("sms", True))


@dataclass(frozen=True, kw_only=True)
class AvailablePhoneNumber(Resource):
    """A number Zendesk can provision; `token` reserves it for create_phone_number."""

    number: str | None = json_field()
    display_number: str | None = json_field()
    toll_free: bool | None = json_field()
    location: str | None = json_field()
    country_code: str | None = json_field()
    token: str | None = json_field()
    price: str | None = json_field()
    address_requirements: str | None = json_field()  # none, local, any or foreign
    capabilities: dict[str, Any] = json_field(parse=_dict)
    nickname: str | None = json_field()

    @property
    def needs_address(self) -> bool:
        return (self.address_requirements or "none") != "none"


@dataclass(frozen=True, kw_only=True)
class Group(Resource):
    id: int | None = json_field()
    name: str | None = json_field()
    deleted: bool | None = json_field()
    default: bool | None = json_field()
    is_public: bool | None = json_field()
    description: str | None = json_field()


@dataclass(frozen=True, kw_only=True)
class Greeting(Resource):
    """A recorded greeting; Zendesk's defaults have string ids, the account's own integer ids.

    pending: created, its audio not uploaded yet (audio_url null); active: used by a phone
    number; audio_url: a path on Zendesk's host or a URL elsewhere (talk.audio_fetch);
    ivr_ids, phone_number_ids: where it is used; category_id is writable on create only.
    """

    id: GreetingId | None = json_field()
    name: str | None = json_field()
    category_id: int | None = json_field()
    default: bool | None = json_field()
    default_lang: bool | None = json_field()
    active: bool | None = json_field()
    pending: bool | None = json_field()
    audio_url: str | None = json_field()
    audio_name: str | None = json_field()
    upload_id: int | None = json_field()
    has_sub_settings: bool | None = json_field()
    phone_number_ids: tuple[int, ...] = json_field(parse=_tuple)
    ivr_ids: tuple[int, ...] = json_field(parse=_tuple)

    IVR_CATEGORY: ClassVar[int] = 5

    @property
    def is_custom(self) -> bool:
        return isinstance(self.id, int) and not isinstance(self.id, bool)

    @property
    def has_audio(self) -> bool:
        """Something to play: uploaded (not pending) and with an audio_url."""
        return bool(self.audio_url) and not self.pending

    @property
    def usable_for_menu(self) -> bool:
        """A menu's greeting must be a custom greeting of the IVR category."""
        return self.is_custom and self.category_id == self.IVR_CATEGORY


@dataclass(frozen=True, kw_only=True)
class GreetingCategory(Resource):
    id: int | None = json_field()
    name: str | None = json_field()


@dataclass(frozen=True, kw_only=True)
class Schedule(Resource):
    """Business hours; intervals are minutes since Sunday 00:00 in `time_zone`."""

    id: int | None = json_field()
    name: str | None = json_field()
    time_zone: str | None = json_field()
    intervals: tuple[dict[str, Any], ...] = json_field(parse=_tuple)


@dataclass(frozen=True, kw_only=True)
class Brand(Resource):
    """A customer-facing identity of the account (Support's brands endpoint); a phone number
    belongs to one (its brand_id)."""

    id: int | None = json_field()
    name: str | None = json_field()
    active: bool | None = json_field()
    default: bool | None = json_field()


@dataclass(frozen=True, kw_only=True)
class Address(Resource):
    """A registered address; `provider_reference` is what provisioning takes as address_sid."""

    id: int | None = json_field()
    name: str | None = json_field()
    street: str | None = json_field()
    zip: str | None = json_field()
    city: str | None = json_field()
    state: str | None = json_field()
    province: str | None = json_field()
    country_code: str | None = json_field()
    provider_reference: str | None = json_field()


@dataclass(frozen=True, kw_only=True)
class Line(Resource):
    """A phone number or a digital line, from the lines list (digital lines cannot run an IVR)."""

    id: int | None = json_field()
    nickname: str | None = json_field()
    line_type: str | None = json_field()
    country_code: str | None = json_field()
    display_number: str | None = json_field()
    brand_id: int | None = json_field()
    priority: int | None = json_field()

    @property
    def can_run_ivr(self) -> bool:
        return self.line_type != "digital"


@dataclass(frozen=True)
class Page[T: Resource]:
    """One page of an offset-paginated list, for screens that page through Zendesk's lists."""

    items: tuple[T, ...]
    count: int | None
    page: int
    per_page: int
    next_page: int | None  # the page number to ask for next, None on the last page
    previous_page: int | None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        return copy.deepcopy(self.raw)
