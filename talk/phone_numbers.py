"""Phone numbers: list, show, change settings, search, provision and release."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from talk.pagination import Paginated
from talk.resources import AvailablePhoneNumber, Page, PhoneNumber

PHONE_NUMBERS_PATH = "/api/v2/channels/voice/phone_numbers"
INCLUDES = frozenset({"settings", "ivrs", "all_greetings", "all_groups", "all_schedules"})
# What Zendesk lets a PUT change (everything else on a number is read-only).
WRITABLE_FIELDS = frozenset(
    {
        "nickname", "brand_id", "group_ids", "default_group_id", "ivr_id", "schedule_id",
        "priority", "recorded", "transcription", "call_recording_consent", "outbound_enabled",
        "sms_enabled", "voice_enabled", "sms_group_id", "line_type", "greeting_ids",
        "failover_number", "post_call_voice_ai_enabled", "voice_qa_enabled",
        "categorised_greetings",
    }
)  # fmt: skip


def _number(phone_number_id: int) -> str:
    return f"{PHONE_NUMBERS_PATH}/{int(phone_number_id)}"


def _include(include: Iterable[str]) -> str | None:
    names = [name for name in include]
    unknown = set(names) - INCLUDES
    if unknown:
        raise ValueError(f"unknown include {sorted(unknown)}; Zendesk knows {sorted(INCLUDES)}")
    return ",".join(names) or None


class PhoneNumberEndpoints(Paginated):
    """Phone-number endpoints of TalkClient."""

    def list_phone_numbers(self, *, minimal: bool = False) -> list[PhoneNumber]:
        """Every phone number of the account (minimal=True: Zendesk's short form, faster)."""
        params = {"minimal_mode": "true"} if minimal else None
        return self._list_all(PHONE_NUMBERS_PATH, "phone_numbers", PhoneNumber, params)

    def list_phone_numbers_page(
        self, *, page: int = 1, per_page: int = 100, minimal: bool = False
    ) -> Page[PhoneNumber]:
        """One page of phone numbers, for a paginated screen."""
        params = {"minimal_mode": "true"} if minimal else None
        return self._list_page(
            PHONE_NUMBERS_PATH,
            "phone_numbers",
            PhoneNumber,
            page=page,
            per_page=per_page,
            params=params,
        )

    def get_phone_number(
        self, phone_number_id: int, *, include: Iterable[str] = ("settings",)
    ) -> PhoneNumber:
        """One number; by default with its `settings` (include any of INCLUDES)."""
        body = self._get(_number(phone_number_id), {"include": _include(include)})
        return self._one(body, "phone_number", PhoneNumber)

    def update_phone_number(
        self,
        phone_number_id: int,
        fields: Mapping[str, Any] | None = None,
        *,
        settings: Mapping[str, Any] | None = None,
    ) -> PhoneNumber:
        """Change the given fields and settings of a number, and nothing else.

        fields: top-level writable fields (WRITABLE_FIELDS), e.g. {"recorded": True};
        settings: keys of the settings object, e.g. {"voicemail": False}.
        Returns the number as Zendesk now holds it, settings included.
        """
        fields = dict(fields or {})
        read_only = set(fields) - WRITABLE_FIELDS
        if read_only:
            raise ValueError(f"read-only phone number fields cannot be sent: {sorted(read_only)}")
        if settings:
            fields["settings"] = dict(settings)
        if not fields:
            raise ValueError("update_phone_number needs at least one field or setting")
        body = self._write(
            "PUT", _number(phone_number_id), {"phone_number": fields}, {"include": "settings"}
        )
        self._forget_lookups("greetings", "lines")
        self._forget_number_settings(phone_number_id)
        return self._one(body, "phone_number", PhoneNumber)

    def search_available_numbers(
        self,
        *,
        country: str,
        area_code: str | None = None,
        contains: str | None = None,
        toll_free: bool | None = None,
    ) -> list[AvailablePhoneNumber]:
        """Numbers Zendesk can provision in `country` (ISO code, e.g. "US"), with their tokens.

        area_code works for US and Canada only; contains matches digits or letters on the
        keypad; toll_free=True for toll-free numbers, False for local ones. An empty country
        raises ValueError before anything is sent.
        """
        if not country.strip():
            # Zendesk documents it as required, yet a real account answered 200 with an empty
            # list: without it the admin would read "no numbers", so it is never left out.
            raise ValueError("a number search needs the country (an ISO code such as US)")
        params: dict[str, Any] = {"country": country.strip().upper()}
        if area_code:
            params["area_code"] = area_code
        if contains:
            params["contains"] = contains
        if toll_free is not None:
            params["toll_free"] = "true" if toll_free else "false"
        body = self._get(f"{PHONE_NUMBERS_PATH}/search", params)
        return self._items(body, "phone_numbers", AvailablePhoneNumber)

    def create_phone_number(self, *, token: str, address_sid: str | None = None) -> PhoneNumber:
        """Provision the available number a search returned `token` for.

        address_sid: the `provider_reference` of a registered address, for numbers whose
        address_requirements is not "none".
        """
        body: dict[str, Any] = {"phone_number": {"token": token}}
        if address_sid:
            body["address_sid"] = address_sid  # beside phone_number, not inside it
        answer = self._write("POST", PHONE_NUMBERS_PATH, body)
        self._forget_lookups("lines")
        return self._one(answer, "phone_number", PhoneNumber)

    def delete_phone_number(self, phone_number_id: int) -> None:
        """Release a number from the account (Zendesk answers `null`)."""
        self._write("DELETE", _number(phone_number_id))
        self._forget_lookups("greetings", "lines")
        self._forget_number_settings(phone_number_id)
