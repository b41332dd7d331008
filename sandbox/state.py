"""The sandbox's account: what a Zendesk account holds, kept normalised.

IVRs, menus and routes are stored apart and joined when rendered, so the derived fields
Zendesk computes (an IVR's phone_number_ids and phone_number_names, a route's option_text, a
greeting's ivr_ids and phone_number_ids) are always consistent with the numbers' ivr_id.

Tests change it directly, as an admin would in Zendesk's Admin Center, through the `add_*`
helpers (which skip the API's validation, to seed hostile or broken data) or by editing the
stored dicts under `with state.lock:`.

Greetings' audio is not in the records: each greeting keeps a reference ("audio") to a file in
`state.audio` (sandbox.audio.AudioStore), so the state file stays small.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

from sandbox.audio import AudioStore, demo_reference

logger = logging.getLogger("sandbox")
GENERIC_RECORDING = "thank-you-for-calling.mp3"
FIRST_ID = 21_973_195_678_484  # Zendesk ids are 64-bit; the demo's look like real ones
ID_STEP = 1_009


def write_json_atomically(path: Path, data: Any) -> None:
    """Write `data` as JSON to `path` so that a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".sandbox-", suffix=".json")
    with os.fdopen(handle, "w") as file:
        json.dump(data, file, indent=1)
    os.replace(temporary, path)


class SandboxState:
    """All records of one sandbox account, guarded by `lock` (the server is threaded)."""

    COLLECTIONS = (
        "ivrs", "menus", "routes", "phone_numbers", "digital_lines", "groups", "greetings",
        "schedules", "addresses", "brands",
    )  # fmt: skip
    # Each collection, by id (set by load from COLLECTIONS; declared for the type checker).
    ivrs: dict[int, dict[str, Any]]
    menus: dict[int, dict[str, Any]]
    routes: dict[int, dict[str, Any]]
    phone_numbers: dict[int, dict[str, Any]]
    digital_lines: dict[int, dict[str, Any]]
    groups: dict[int, dict[str, Any]]
    greetings: dict[int | str, dict[str, Any]]  # Zendesk's defaults have ids like "voicemail_en"
    schedules: dict[int, dict[str, Any]]
    addresses: dict[int, dict[str, Any]]
    brands: dict[int, dict[str, Any]]

    def __init__(self, data: dict[str, Any] | None = None, *, audio: AudioStore | None = None):
        self.lock = threading.RLock()
        self.audio = audio or AudioStore()
        self.load(data if data is not None else empty_account())

    # --- persistence --------------------------------------------------------------------------
    def load(self, data: dict[str, Any]) -> None:
        """Replace everything with `data` (the shape to_json produces)."""
        with self.lock:
            self.next_id: int = data.get("next_id", FIRST_ID)
            for name in self.COLLECTIONS:
                setattr(
                    self, name, {item["id"]: copy.deepcopy(item) for item in data.get(name, [])}
                )
            self.greeting_categories: list[dict[str, Any]] = copy.deepcopy(
                data.get("greeting_categories", [])
            )
            self.available_numbers: list[dict[str, Any]] = copy.deepcopy(
                data.get("available_numbers", [])
            )

    def to_json(self) -> dict[str, Any]:
        with self.lock:
            data: dict[str, Any] = {"next_id": self.next_id}
            for name in self.COLLECTIONS:
                data[name] = copy.deepcopy(list(getattr(self, name).values()))
            data["greeting_categories"] = copy.deepcopy(self.greeting_categories)
            data["available_numbers"] = copy.deepcopy(self.available_numbers)
            return data

    def save(self, path: Path) -> None:
        """Write the state to `path` atomically (a crash never leaves half a file)."""
        write_json_atomically(path, self.to_json())

    @classmethod
    def from_file(
        cls, path: Path, *, default: dict[str, Any], audio: AudioStore | None = None
    ) -> SandboxState:
        if path.exists():
            data = json.loads(path.read_text())
            greetings = data.get("greetings") or []
            if greetings and not any("audio" in greeting for greeting in greetings):
                # Saved before greetings had audio: its greetings would all be pending.
                kept = path.with_name(f"{path.name}.before-greeting-audio")
                path.replace(kept)
                logger.warning("%s predates greetings' audio (kept as %s)", path, kept)
                return cls(default, audio=audio)
            return cls(data, audio=audio)
        return cls(default, audio=audio)

    def forget_unused_audio(self) -> None:
        """Drop uploaded audio that no greeting refers to any more."""
        with self.lock:
            keys = [g["audio"]["key"] for g in self.greetings.values() if g.get("audio")]
        self.audio.keep_only(keys)

    # --- ids ----------------------------------------------------------------------------------
    def new_id(self) -> int:
        with self.lock:
            self.next_id += ID_STEP
            return self.next_id

    # --- queries ------------------------------------------------------------------------------
    def menus_of(self, ivr_id: int) -> list[dict[str, Any]]:
        return sorted(
            (menu for menu in self.menus.values() if menu["ivr_id"] == ivr_id),
            key=lambda menu: (not menu.get("default"), menu["id"]),
        )

    def routes_of(self, menu_id: int) -> list[dict[str, Any]]:
        return sorted(
            (route for route in self.routes.values() if route["menu_id"] == menu_id),
            key=lambda route: route["id"],
        )

    def numbers_using(self, ivr_id: int) -> list[dict[str, Any]]:
        return sorted(
            (n for n in self.phone_numbers.values() if n.get("ivr_id") == ivr_id),
            key=lambda number: number["id"],
        )

    # --- seeding (no validation: as if changed in Admin Center, or hostile data) --------------
    def add_group(self, name: str, *, deleted: bool = False, **extra: Any) -> dict[str, Any]:
        group = {
            "id": self.new_id(), "name": name, "description": extra.pop("description", ""),
            "default": False, "deleted": deleted, "is_public": True,
            "created_at": "2024-01-15T09:00:00Z", "updated_at": "2024-01-15T09:00:00Z", **extra,
        }  # fmt: skip
        with self.lock:
            self.groups[group["id"]] = group
        return group

    def add_greeting(
        self,
        name: str,
        *,
        category_id: int,
        greeting_id: int | str | None = None,
        recording: str | None = GENERIC_RECORDING,
        **extra: Any,
    ) -> dict[str, Any]:
        """A greeting as if made in Admin Center: with `recording` (a file of
        sandbox/recordings/) as its audio, or, with recording=None, created but still pending.
        A string greeting_id makes one of Zendesk's default greetings."""
        default = isinstance(greeting_id, str)
        greeting_id = greeting_id if greeting_id is not None else self.new_id()
        audio = None
        if recording is not None:  # a seeded upload's id is its greeting's: no id is used up
            upload_id = greeting_id if isinstance(greeting_id, int) else None  # None: a default
            audio = demo_reference(recording, upload_id=upload_id)
        greeting = {
            "id": greeting_id, "name": name, "category_id": category_id, "default": default,
            "default_lang": default and audio is not None, "audio": audio,
            "audio_name": f"{greeting_id}.mp3" if default else recording,
            **extra,
        }  # fmt: skip
        with self.lock:
            self.greetings[greeting["id"]] = greeting
        return greeting

    def add_schedule(
        self, name: str, *, time_zone: str, intervals: list[dict[str, int]]
    ) -> dict[str, Any]:
        schedule: dict[str, Any] = {
            "id": self.new_id(), "name": name, "time_zone": time_zone, "intervals": intervals,
            "created_at": "2024-01-15T09:00:00Z", "updated_at": "2024-01-15T09:00:00Z",
        }  # fmt: skip
        with self.lock:
            self.schedules[schedule["id"]] = schedule
        return schedule

    def add_brand(
        self, name: str, *, brand_id: int | None = None, subdomain: str = "", **extra: Any
    ) -> dict[str, Any]:
        """A brand as Support's brands endpoint lists it (`brand_id`: a phone number's)."""
        new_id = brand_id if brand_id is not None else self.new_id()
        brand: dict[str, Any] = {
            "id": new_id, "name": name, "subdomain": subdomain, "active": True, "default": False,
            "is_deleted": False, "has_help_center": False, "host_mapping": None,
            "brand_url": f"https://{subdomain}.zendesk.com" if subdomain else None,
            "url": f"https://example.zendesk.com/api/v2/brands/{new_id}.json",
            "created_at": "2024-01-15T09:00:00Z", "updated_at": "2024-01-15T09:00:00Z",
            **extra,
        }  # fmt: skip
        with self.lock:
            self.brands[brand["id"]] = brand
        return brand

    def add_address(self, **fields: Any) -> dict[str, Any]:
        address = {"id": self.new_id(), "state": None, "province": None, **fields}
        with self.lock:
            self.addresses[address["id"]] = address
        return address

    def add_phone_number(self, **fields: Any) -> dict[str, Any]:
        """A number with Zendesk's defaults for every field not given."""
        number = default_phone_number(
            self.new_id(), fields.pop("number"), fields.pop("display_number")
        )
        settings = fields.pop("settings", {})
        number.update(fields)
        number["settings"].update(settings)
        number["name"] = number.get("nickname") or number["display_number"]
        with self.lock:
            self.phone_numbers[number["id"]] = number
        return number

    def add_ivr(
        self, name: str, *, default_menu_name: str = "Main menu", **extra: Any
    ) -> dict[str, Any]:
        """An IVR with its default menu, like Zendesk creates it."""
        ivr = {"id": self.new_id(), "name": name, **extra}
        with self.lock:
            self.ivrs[ivr["id"]] = ivr
            self.add_menu(ivr["id"], default_menu_name, default=True)
        return ivr

    def add_menu(
        self, ivr_id: int, name: str, *, greeting_id: int | str | None = None, default: bool = False
    ) -> dict[str, Any]:
        menu: dict[str, Any] = {
            "id": self.new_id(),
            "ivr_id": ivr_id,
            "name": name,
            "greeting_id": greeting_id,
            "default": default,
        }
        with self.lock:
            self.menus[menu["id"]] = menu
        return menu

    def add_route(
        self, menu_id: int, keypress: str, action: str, options: dict[str, Any], **extra: Any
    ) -> dict[str, Any]:
        route = {
            "id": self.new_id(), "menu_id": menu_id, "keypress": keypress, "action": action,
            "options": copy.deepcopy(options), "overflow_options": [], **extra,
        }  # fmt: skip
        with self.lock:
            self.routes[route["id"]] = route
        return route

    def default_menu(self, ivr_id: int) -> dict[str, Any]:
        return next(menu for menu in self.menus_of(ivr_id) if menu.get("default"))

    def menu_named(self, ivr_id: int, name: str) -> dict[str, Any]:
        return next(menu for menu in self.menus_of(ivr_id) if menu["name"] == name)

    def ivr_named(self, name: str) -> dict[str, Any]:
        return next(ivr for ivr in self.ivrs.values() if ivr["name"] == name)

    def group_named(self, name: str) -> dict[str, Any]:
        return next(group for group in self.groups.values() if group["name"] == name)

    def number_named(self, nickname: str) -> dict[str, Any]:
        return next(n for n in self.phone_numbers.values() if n.get("nickname") == nickname)


DEFAULT_SETTINGS: dict[str, Any] = {
    "allow_outbound_calls": True,
    "average_wait_time_message_enabled": False,
    "call_offering_duration": 30,
    "call_recording_delete_after": "never",
    "callback_from_queue": False,
    "callback_locale": "en",
    "create_ticket_for_abandoned_calls": True,
    "dequeue_retry_if_attempted": False,
    "maximum_queue_size": 10,
    "maximum_queue_wait_time": 10,
    "overflow_number": {"enabled": False, "number": None},
    "priority": 0,
    "voicemail": True,
    "voicemail_outside_business_hours": True,
    "voicemail_recording_delete_after": "never",
    "wrap_up_enabled": False,
    "wrap_up_time_limit": 30,
}


def default_phone_number(number_id: int, number: str, display_number: str) -> dict[str, Any]:
    """A phone number as Zendesk shows a freshly provisioned one."""
    return {
        "id": number_id, "number": number, "display_number": display_number, "name": display_number,
        "nickname": None, "country_code": "US", "location": "", "toll_free": False,
        "external": False, "created_at": "2024-01-15T09:00:00Z", "line_type": "phone",
        "brand_id": 360_001_234_567,
        "capabilities": {"emergency_address": False, "mms": False, "sms": True, "voice": True},
        "call_recording_consent": "always", "recorded": False, "transcription": False,
        "outbound_enabled": True, "sms_enabled": False, "voice_enabled": True,
        "sms_group_id": None, "priority": 0, "default_group_id": None, "group_ids": [],
        "greeting_ids": [], "default_greeting_ids": list(DEFAULT_GREETING_IDS),
        "categorised_greetings": {"1": "voicemail_en", "2": "available_en"},
        "categorised_greetings_with_sub_settings": default_sub_settings(),
        "ivr_id": None, "schedule_id": None, "failover_number": None,
        "post_call_voice_ai_enabled": False, "voice_qa_enabled": False,
        "settings": copy.deepcopy(DEFAULT_SETTINGS),
    }  # fmt: skip


GREETING_CATEGORIES = [
    {"id": 1, "name": "voicemail"},
    {"id": 2, "name": "available"},
    {"id": 3, "name": "wait"},
    {"id": 4, "name": "hold"},
    {"id": 5, "name": "ivr"},
    {"id": 6, "name": "callback"},
    {"id": 7, "name": "callback_confirmation"},
    {"id": 8, "name": "call_recording_opt_out"},
    {"id": 9, "name": "call_recording_opt_in"},
]


# Zendesk's default greetings of an English account: ids, names and categories as a real account
# lists them (Airbyte's recorded records), with the sandbox's recording of each (None: silence).
SYSTEM_GREETINGS: tuple[tuple[str, str, int, str | None], ...] = (
    ("voicemail_en", "Default (voicemail on)", 1, "default-voicemail.mp3"),
    ("voicemail_en_voicemail_config", "Default (voicemail off)", 1, "default-voicemail-off.mp3"),
    ("voicemail_none", "None", 1, None),
    ("available_en", "Default", 2, "default-available.mp3"),
    ("available_en_voicemail_config", "Default (voicemail off)", 2,
     "default-available-voicemail-off.mp3"),
    ("available_en_digital_lines", "Default (digital line)", 2,
     "default-available-voicemail-off.mp3"),
    ("available_none", "None", 2, None),
    ("wait_en", "Default", 3, "default-hold-music.mp3"),
    ("hold_en", "Default", 4, "default-hold-music.mp3"),  # Zendesk's two are one file too
    ("ivr_none", "None", 5, None),
    ("callback_en", "Default", 6, "default-callback.mp3"),
    ("callback_none", "None", 6, None),
    ("callback-confirmation_en", "Default", 7, "default-callback-confirmation.mp3"),
    ("callback-confirmation_none", "None", 7, None),
    ("call-recording-opt-out_en", "Opt-out consent greeting (default)", 8,
     "default-recording-opt-out.mp3"),
    ("call-recording-opt-in_en", "Opt-in consent greeting (default)", 9,
     "default-recording-opt-in.mp3"),
)  # fmt: skip
# What a number plays for each category when it chose nothing (a real 2023 answer's defaults).
DEFAULT_GREETING_IDS = (
    "voicemail_en", "available_en", "wait_en", "hold_en", "callback_en",
    "callback-confirmation_en", "call-recording-opt-out_en", "call-recording-opt-in_en",
)  # fmt: skip


def default_sub_settings() -> dict[str, Any]:
    """categorised_greetings_with_sub_settings of a number that chose no greeting."""
    return {
        "1": {
            "voicemail_on_outside_business_hours": "voicemail_en",
            "voicemail_on_inside_business_hours": "voicemail_en",
            "voicemail_off_inside_business_hours": "voicemail_en_voicemail_config",
            "voicemail_off_outside_business_hours": "voicemail_en_voicemail_config",
        },
        "2": {"voicemail_on": "available_en", "voicemail_off": "available_en_voicemail_config"},
        "3": "wait_en", "4": "hold_en", "6": "callback_en", "7": "callback-confirmation_en",
        "8": "call-recording-opt-out_en", "9": "call-recording-opt-in_en",
    }  # fmt: skip


def empty_account() -> dict[str, Any]:
    """An account with nothing but Zendesk's fixed greeting categories and default greetings."""
    state = SandboxState({"next_id": FIRST_ID})
    for greeting_id, name, category_id, recording in SYSTEM_GREETINGS:
        state.add_greeting(
            name, category_id=category_id, greeting_id=greeting_id, recording=recording
        )
    data = state.to_json()
    data["greeting_categories"] = copy.deepcopy(GREETING_CATEGORIES)
    return data
