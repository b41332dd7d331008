"""The sandbox PBX's records: IVRs and everything their destinations can point at.

IVRs are kept whole, in the shape `ivr/get` answers (all fourteen slots, every field), plus the
prompt manager's password, which the API only ever shows as "****". Lookups are kept in the
shapes their list endpoints answer. Tests change the PBX directly, as an admin would on its web
portal, by editing these dicts under `with state.lock:` (nothing is validated there, so they can
also seed broken or dangling data).
"""

from __future__ import annotations

import copy
import json
import threading
from pathlib import Path
from typing import Any

from sandbox.state import write_json_atomically

SLOTS = ("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "#", "*", "timeout", "invalid")
_STEM = {"#": "press_hash", "*": "press_star", "timeout": "timeout", "invalid": "invalid"}
_RECORD = {"#": "_hash", "*": "_star", "timeout": "_timeout", "invalid": "_invalid"}
PASSWORD_KEY = "prompt_manger_password"  # noqa: S105 - a field name (sic, as Yeastar spells it)


def slot_keys(slot: str) -> tuple[str, str, str, str]:
    """(dest, dest_prefix, dest_value, allow_out_record) of a key or fallback."""
    stem = _STEM.get(slot, f"press{slot}")
    return (
        f"{stem}_dest",
        f"{stem}_dest_prefix",
        f"{stem}_dest_value",
        "allow_out_record" + _RECORD.get(slot, slot),
    )


class YeastarState:
    """All records of one sandbox PBX, guarded by `lock` (the server is threaded)."""

    COLLECTIONS = (
        "ivrs", "extensions", "extension_groups", "ring_groups", "queues", "conferences",
        "group_voicemails", "custom_prompts", "outbound_routes",
    )  # fmt: skip
    # Each collection, by id (set by load from COLLECTIONS; declared for the type checker).
    ivrs: dict[int, dict[str, Any]]
    extensions: dict[int, dict[str, Any]]
    extension_groups: dict[int, dict[str, Any]]
    ring_groups: dict[int, dict[str, Any]]
    queues: dict[int, dict[str, Any]]
    conferences: dict[int, dict[str, Any]]
    group_voicemails: dict[int, dict[str, Any]]
    custom_prompts: dict[int, dict[str, Any]]
    outbound_routes: dict[int, dict[str, Any]]

    def __init__(self, data: dict[str, Any] | None = None):
        self.lock = threading.RLock()
        self.load(data or {})

    def load(self, data: dict[str, Any]) -> None:
        """Replace everything with `data` (the shape to_json produces)."""
        with self.lock:
            for name in self.COLLECTIONS:
                records = {item["id"]: copy.deepcopy(item) for item in data.get(name, [])}
                setattr(self, name, records)

    def to_json(self) -> dict[str, Any]:
        with self.lock:
            return {
                name: copy.deepcopy(sorted(getattr(self, name).values(), key=lambda r: r["id"]))
                for name in self.COLLECTIONS
            }

    def save(self, path: Path) -> None:
        write_json_atomically(path, self.to_json())

    @classmethod
    def from_file(cls, path: Path, *, default: dict[str, Any]) -> YeastarState:
        if path.exists():
            return cls(json.loads(path.read_text()))
        return cls(default)

    def collection(self, name: str) -> dict[int, dict[str, Any]]:
        return getattr(self, name)

    def new_id(self, name: str) -> int:
        """The next id of a collection (the PBX numbers each kind of object from 1)."""
        with self.lock:
            return max(self.collection(name), default=0) + 1

    # --- queries ------------------------------------------------------------------------------
    def ivr_named(self, name: str) -> dict[str, Any]:
        return next(ivr for ivr in self.ivrs.values() if ivr["name"] == name)

    def numbers_in_use(self) -> dict[str, str]:
        """Every number the PBX has given out -> what holds it ("IVR 'Sales'")."""
        held: dict[str, str] = {}
        for kind, name_key in (
            ("extensions", "caller_id_name"),
            ("ivrs", "name"),
            ("ring_groups", "name"),
            ("queues", "name"),
            ("conferences", "name"),
            ("group_voicemails", "name"),
        ):
            for record in self.collection(kind).values():
                held[str(record.get("number"))] = f"{kind} {record.get(name_key)!r}"
        return held

    def prompt_names(self) -> set[str]:
        """The custom prompts' file names ("IVR.wav"), as IVRs and destinations name them."""
        return {prompt["real_filename"] for prompt in self.custom_prompts.values()}


def ivr_record(
    ivr_id: int,
    number: str,
    name: str,
    *,
    prompt: str = "default",
    prompt_repeat: int = 3,
    resp_timeout: int = 3,
    digit_timeout: int = 3,
    dial_ext_option: str = "disable",
    routes: dict[str, tuple[str, str, str]] | None = None,
    stop_recording: tuple[str, ...] = (),
    **extra: Any,
) -> dict[str, Any]:
    """An IVR as the sandbox stores it: `routes` maps a slot to (kind, value, prefix)."""
    record: dict[str, Any] = {
        "id": ivr_id,
        "number": number,
        "name": name,
        "prompt": prompt,
        "prompt_repeat": prompt_repeat,
        "resp_timeout": resp_timeout,
        "digit_timeout": digit_timeout,
        "dial_ext_option": dial_ext_option,
        "enb_dial_outb_routes": 0,
        "enb_dial_check_vm": 0,
    }
    for slot in SLOTS:
        dest, prefix, value, record_key = slot_keys(slot)
        kind, target, extra_prefix = (routes or {}).get(slot, ("", "", ""))
        record.update(
            {
                dest: kind,
                prefix: extra_prefix,
                value: target,
                record_key: int(slot in stop_recording),
            }
        )
    record.update(
        {
            "dial_ext_list": [],
            "restrict_dial_ext_list": [],
            "dial_outb_route_list": [],
            "alert_info": "",
            "prompt_manger_enb": 0,
            PASSWORD_KEY: "",
        }
    )
    record.update(extra)
    return record


def ivr_json(record: dict[str, Any]) -> dict[str, Any]:
    """An IVR as `ivr/get` shows it: the password masked, each list only where it applies."""
    shown = copy.deepcopy(record)
    shown[PASSWORD_KEY] = "****" if record.get(PASSWORD_KEY) else ""
    if shown.get("dial_ext_option") != "allow":
        shown.pop("dial_ext_list", None)
    if shown.get("dial_ext_option") != "restrict":
        shown.pop("restrict_dial_ext_list", None)
    if shown.get("enb_dial_outb_routes") != 1:
        shown.pop("dial_outb_route_list", None)
    return shown


def ivr_summary(record: dict[str, Any]) -> dict[str, Any]:
    """An IVR as `ivr/list` and `ivr/search` show it."""
    return {
        "id": record["id"],
        "number": record["number"],
        "name": record["name"],
        "dial_ext_option": record.get("dial_ext_option", "disable"),
        "enb_dial_outb_routes": record.get("enb_dial_outb_routes", 0),
    }
