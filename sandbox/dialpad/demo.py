"""The demo company: Northwind Outfitters on Dialpad, the same on every start.

Two offices, London and New York, each with departments; the "Support queue" call centre in
London; three users; and one target of every other kind Dialpad's custom IVR endpoints name
(a room, a call router, a channel, a coaching team, a staff group, a coaching group), so every
target_type has something to address. Recordings (real MP3s, sandbox/dialpad/recordings/) play
in several situations, and a few things a reviewer should notice are there on purpose:
- London's menu and closed voicemail are its own, but its closed-hours menu plays Dialpad's
  default; the Sales department welcomes callers when open but not when closed;
- the queue announces places 1 to 3 with its own recordings, and Dialpad's default after that;
- New York still plays "Christmas closed" (uploaded on 2 December 2024) when closed, with its
  usual "New York closed" recording unused beside it; London keeps an unused 2023 menu;
- the call centre's recording notice differs for inbound and outbound calls, and its survey
  question is text-to-speech (a `text`, no MP3);
- the New York Billing department plays Dialpad's defaults everywhere.
Ids are 64-bit numbers like Dialpad's; times are milliseconds since 1970, as Dialpad gives them.
"""

from __future__ import annotations

import functools
import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sandbox.dialpad.state import DIRECTIONS, FIRST_RECORDING_ID, DialpadState

RECORDINGS = Path(__file__).resolve().parent / "recordings"
HOLD_MUSIC = Path(__file__).resolve().parents[1] / "recordings" / "acoustic-hold-music.mp3"
COMPANY_ID = 5_066_549_580_791_808
LONDON, NEW_YORK = 5_629_499_534_213_120, 5_910_974_510_923_776
SALES, SUPPORT, BILLING = 4_785_074_604_081_152, 5_348_024_557_502_464, 6_192_449_487_634_432
SUPPORT_QUEUE = 4_644_337_115_725_824
DANA, MARIA, KENJI = 5_207_287_069_147_136, 5_770_237_022_568_448, 6_333_186_975_989_760
WEEKDAY_HOURS = ["08:00", "18:00"]


def _milliseconds(day: str) -> int:
    return int(datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp() * 1000)


@functools.cache
def _audio(file_name: str) -> dict[str, Any]:
    path = HOLD_MUSIC if file_name == HOLD_MUSIC.name else RECORDINGS / file_name
    content = path.read_bytes()
    return {"file": file_name, "bytes": len(content), "sha256": hashlib.sha256(content).hexdigest()}


def _routing(action: str) -> dict[str, Any]:
    """routing_options in the shape of Dialpad's office and department examples."""
    return {
        "closed": {
            "action": "voicemail",
            "dtmf": [{"input": "0", "options": {"action": "disabled"}}],
            "operator_routing": "simultaneous",
            "try_dial_operators": False,
        },
        "open": {
            "action": action,
            "dtmf": [{"input": "0", "options": {"action": "operator"}}],
            "operator_routing": "simultaneous",
            "try_dial_operators": True,
        },
    }


def _hours() -> dict[str, list[str]]:
    days = ("monday", "tuesday", "wednesday", "thursday", "friday")
    return {f"{day}_hours": list(WEEKDAY_HOURS) for day in days}


def _office(office_id: int, name: str, country: str, zone: str, number: str, primary: bool):
    return {
        "availability_status": "open", "country": country, "first_action": "menu",
        "id": str(office_id), "is_primary_office": primary, "name": name,
        "no_operators_action": "voicemail", "office_id": str(office_id),
        "phone_numbers": [number], "ring_seconds": "30", "routing_options": _routing("menu"),
        "state": "active", "timezone": zone, **_hours(),
    }  # fmt: skip


def _group(group_id: int, name: str, office_id: int, zone: str, number: str, **extra: Any):
    return {
        "availability_status": "open", "country": "gb" if office_id == LONDON else "us",
        "first_action": "operators", "hours_on": True, "id": str(group_id), "name": name,
        "no_operators_action": "voicemail", "office_id": str(office_id),
        "phone_numbers": [number], "ring_seconds": "30", "routing_options": _routing("operators"),
        "state": "active", "timezone": zone, **_hours(), **extra,
    }  # fmt: skip


def _user(user_id: int, first: str, last: str, office_id: int, number: str) -> dict[str, Any]:
    email = f"{first.lower()}.{last.lower()}@northwind.example"
    return {
        "company_id": str(COMPANY_ID), "country": "gb" if office_id == LONDON else "us",
        "display_name": f"{first} {last}", "emails": [email], "first_name": first,
        "id": str(user_id), "is_admin": False, "last_name": last, "license": "talk",
        "office_id": str(office_id), "phone_numbers": [number], "state": "active",
        "timezone": "Europe/London" if office_id == LONDON else "America/New_York",
    }  # fmt: skip


# (target type, target id, ivr_type, name, added on, file or None, plays for, text)
RECORDINGS_PLAYED: list[tuple[str, int, str, str, str, str | None, tuple[str, ...], str]] = [
    ("office", LONDON, "DEPARTMENT_INTRO", "Welcome to Northwind London", "2024-03-04",
     "london-welcome.mp3", DIRECTIONS, ""),
    ("office", LONDON, "MENU", "London main menu (2023)", "2023-02-01",
     "london-main-menu-2023.mp3", (), ""),
    ("office", LONDON, "MENU", "London main menu", "2024-03-04", "london-main-menu.mp3",
     DIRECTIONS, ""),
    ("office", LONDON, "CLOSED", "London closed", "2024-03-04", "london-closed.mp3",
     DIRECTIONS, ""),
    ("office", LONDON, "GREETING", "London voicemail", "2024-03-04", "london-voicemail.mp3",
     DIRECTIONS, ""),
    ("office", NEW_YORK, "MENU", "New York main menu", "2024-05-20", "new-york-main-menu.mp3",
     DIRECTIONS, ""),
    ("office", NEW_YORK, "CLOSED", "New York closed", "2024-05-20", "new-york-closed.mp3",
     (), ""),
    ("office", NEW_YORK, "CLOSED", "Christmas closed", "2024-12-02", "christmas-closed.mp3",
     DIRECTIONS, ""),
    ("office", NEW_YORK, "CLOSED_MENU", "New York closed menu", "2024-05-20",
     "new-york-closed-menu.mp3", DIRECTIONS, ""),
    ("department", SALES, "DEPARTMENT_INTRO", "Sales welcome", "2024-06-11",
     "london-sales-welcome.mp3", DIRECTIONS, ""),
    ("callcenter", SUPPORT_QUEUE, "HOLD_INTRO", "Support queue welcome", "2024-04-15",
     "support-queue-welcome.mp3", DIRECTIONS, ""),
    ("callcenter", SUPPORT_QUEUE, "HOLD_MUSIC", "Acoustic hold music", "2024-04-15",
     HOLD_MUSIC.name, DIRECTIONS, ""),
    ("callcenter", SUPPORT_QUEUE, "HOLD_POSITION_ONE", "First in the queue", "2024-04-15",
     "queue-position-1.mp3", DIRECTIONS, ""),
    ("callcenter", SUPPORT_QUEUE, "HOLD_POSITION_TWO", "Second in the queue", "2024-04-15",
     "queue-position-2.mp3", DIRECTIONS, ""),
    ("callcenter", SUPPORT_QUEUE, "HOLD_POSITION_THREE", "Third in the queue", "2024-04-15",
     "queue-position-3.mp3", DIRECTIONS, ""),
    ("callcenter", SUPPORT_QUEUE, "HOLD_CALLBACK_REQUEST", "Callback offer", "2024-04-15",
     "callback-offer.mp3", DIRECTIONS, ""),
    ("callcenter", SUPPORT_QUEUE, "AUTO_RECORDING", "Recording notice (inbound)", "2024-04-15",
     "recording-notice-inbound.mp3", ("inbound",), ""),
    ("callcenter", SUPPORT_QUEUE, "AUTO_RECORDING", "Recording notice (outbound)",
     "2024-04-15", "recording-notice-outbound.mp3", ("outbound",), ""),
    ("callcenter", SUPPORT_QUEUE, "CSAT_QUESTION", "How did we do?", "2024-04-16", None,
     DIRECTIONS, "On a scale of 1 to 5, how satisfied were you with your call today?"),
    ("user", DANA, "GREETING", "Dana's voicemail", "2024-02-12", "dana-voicemail.mp3",
     DIRECTIONS, ""),
    ("user", DANA, "VM_DROP_MESSAGE", "Dana's voicemail drop", "2024-02-12",
     "dana-voicemail-drop.mp3", DIRECTIONS, ""),
]  # fmt: skip


def demo_company() -> dict[str, Any]:
    """The demo company's records, in the shape DialpadState.load takes."""
    state = DialpadState()
    state.company = {
        "account_type": "standard", "country": "gb", "domain": "northwind.example",
        "id": str(COMPANY_ID), "name": "Northwind Outfitters", "office_count": "2",
    }  # fmt: skip
    for office in (
        _office(LONDON, "London", "gb", "Europe/London", "+442079460000", True),
        _office(NEW_YORK, "New York", "us", "America/New_York", "+12125550100", False),
    ):
        state.targets["office"][int(office["id"])] = office
    for department in (
        _group(SALES, "Sales", LONDON, "Europe/London", "+442079460001"),
        _group(SUPPORT, "Customer support", LONDON, "Europe/London", "+442079460002"),
        _group(BILLING, "Billing", NEW_YORK, "America/New_York", "+12125550101"),
    ):
        state.targets["department"][int(department["id"])] = department
    queue = _group(
        SUPPORT_QUEUE, "Support queue", LONDON, "Europe/London", "+442079460003",
        hold_queue={"announce_position": True, "announcement_interval_seconds": "120",
                    "max_hold_count": "50", "max_hold_seconds": "900",
                    "queue_callback_dtmf": "1", "queue_callback_threshold": "5"},
    )  # fmt: skip
    state.targets["callcenter"][SUPPORT_QUEUE] = queue
    for user in (
        _user(DANA, "Dana", "Whitfield", LONDON, "+442079460010"),
        _user(MARIA, "Maria", "Santos", NEW_YORK, "+12125550110"),
        _user(KENJI, "Kenji", "Watanabe", LONDON, "+442079460011"),
    ):
        state.targets["user"][int(user["id"])] = user
    for kind, target_id, name in (
        ("room", 6_614_661_952_700_416, "Boardroom"),
        ("callrouter", 4_925_812_092_436_480, "After-hours router"),
        ("channel", 5_488_762_045_857_792, "Support escalations"),
        ("coachingteam", 6_051_711_999_279_104, "Support coaching"),
        ("staffgroup", 4_503_599_627_370_496, "Front desk"),
        ("coachinggroup", 5_136_918_324_969_472, "New starters"),
    ):
        state.targets[kind][target_id] = {"id": str(target_id), "name": name}
    for number, row in enumerate(RECORDINGS_PLAYED, start=1):
        kind, target_id, ivr_type, name, day, file_name, plays_for, text = row
        state.recordings[FIRST_RECORDING_ID + number] = {
            "id": FIRST_RECORDING_ID + number, "name": name, "description": "",
            "date_added": _milliseconds(day), "target_type": kind, "target_id": target_id,
            "ivr_type": ivr_type, "plays_for": list(plays_for), "text": text,
            "audio": _audio(file_name) if file_name else None,
        }  # fmt: skip
    return state.to_json()
