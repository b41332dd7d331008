"""Dialpad's custom IVR endpoints: list a target's recordings, upload one, rename it, assign it
to a situation, un-assign and delete it (../shared/talk-api/dialpad-custom-ivrs.txt and Dialpad's
OpenAPI description, operations custom_ivrs.get, ivr.create, ivr_details.update, ivr.update and
ivr.delete)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import time
from collections import defaultdict
from typing import Any

from sandbox.audio import audio_type
from sandbox.dialpad.envelope import (
    bad_request,
    error,
    json_body,
    not_found,
    number,
    one_of,
    page,
)
from sandbox.dialpad.state import (
    DIRECTIONS,
    TARGET_TYPES,
    UPLOAD_TARGET_TYPES,
    DialpadState,
    recording_json,
)
from sandbox.http import Answer, Request

IVR_TYPES = (
    "ASK_FIRST_OPERATOR_NOT_AVAILABLE", "AUTO_RECORDING", "CALLAI_AUTO_RECORDING",
    "CG_AUTO_RECORDING", "CLOSED", "CLOSED_DEPARTMENT_INTRO", "CLOSED_MENU",
    "CLOSED_MENU_OPTION", "CSAT_INTRO", "CSAT_OUTRO", "CSAT_PREAMBLE", "CSAT_QUESTION",
    "DEPARTMENT_INTRO", "GREETING", "HOLD_AGENT_READY", "HOLD_APPREC", "HOLD_CALLBACK_ACCEPT",
    "HOLD_CALLBACK_ACCEPTED", "HOLD_CALLBACK_CONFIRM", "HOLD_CALLBACK_CONFIRM_NUMBER",
    "HOLD_CALLBACK_DIFFERENT_NUMBER", "HOLD_CALLBACK_DIRECT", "HOLD_CALLBACK_FULFILLED",
    "HOLD_CALLBACK_INVALID_NUMBER", "HOLD_CALLBACK_KEYPAD", "HOLD_CALLBACK_REJECT",
    "HOLD_CALLBACK_REJECTED", "HOLD_CALLBACK_REQUEST", "HOLD_CALLBACK_REQUESTED",
    "HOLD_CALLBACK_SAME_NUMBER", "HOLD_CALLBACK_TRY_AGAIN", "HOLD_CALLBACK_UNDIALABLE",
    "HOLD_ESCAPE_VM_EIGHT", "HOLD_ESCAPE_VM_FIVE", "HOLD_ESCAPE_VM_FOUR", "HOLD_ESCAPE_VM_NINE",
    "HOLD_ESCAPE_VM_ONE", "HOLD_ESCAPE_VM_POUND", "HOLD_ESCAPE_VM_SEVEN", "HOLD_ESCAPE_VM_SIX",
    "HOLD_ESCAPE_VM_STAR", "HOLD_ESCAPE_VM_TEN", "HOLD_ESCAPE_VM_THREE", "HOLD_ESCAPE_VM_TWO",
    "HOLD_ESCAPE_VM_ZERO", "HOLD_INTERRUPT", "HOLD_INTRO", "HOLD_MUSIC", "HOLD_POSITION_EIGHT",
    "HOLD_POSITION_FIVE", "HOLD_POSITION_FOUR", "HOLD_POSITION_MORE", "HOLD_POSITION_NINE",
    "HOLD_POSITION_ONE", "HOLD_POSITION_SEVEN", "HOLD_POSITION_SIX", "HOLD_POSITION_TEN",
    "HOLD_POSITION_THREE", "HOLD_POSITION_TWO", "HOLD_POSITION_ZERO", "HOLD_WAIT", "MENU",
    "MENU_OPTION", "NEXT_TARGET", "VM_DROP_MESSAGE", "VM_UNAVAILABLE", "VM_UNAVAILABLE_CLOSED",
)  # fmt: skip
NAME_MAX, DESCRIPTION_MAX = 100, 256
MAX_AUDIO_BYTES = 10 * 1024 * 1024  # the sandbox's choice: Dialpad documents no limit
REQUIRED_FOR_UPLOAD = ("file", "ivr_type", "target_id", "target_type")


def _target(state: DialpadState, kind: Any, raw_id: Any, *, kinds: tuple[str, ...]) -> int:
    """A target's id, after checking its type against `kinds` and that it exists."""
    one_of(kind, kinds, "target_type")
    target_id = number(raw_id, "target_id")
    if state.target(str(kind), target_id) is None:
        raise not_found("Target")
    return target_id


def _single_line(body: dict[str, Any], field: str, limit: int) -> str | None:
    if field not in body or body[field] is None:
        return None
    value = body[field]
    if not isinstance(value, str):
        raise bad_request(f"Invalid value for {field}: it must be a string.")
    if "\n" in value or "\r" in value:
        raise bad_request(f"Invalid value for {field}: it must be a single line.")
    if len(value) > limit:
        raise bad_request(f"Invalid value for {field}: at most {limit} characters.")
    return value


def _situation_json(state: DialpadState, kind: str, target_id: int, ivr_type: str) -> dict:
    recordings = state.recordings_of(kind, target_id, ivr_type)
    return {"ivr_type": ivr_type, "ivrs": [recording_json(r) for r in recordings]}


def list_custom_ivrs(state: DialpadState, request: Request, size: int) -> Answer:
    """GET /api/v2/customivrs?target_type=&target_id=: per situation with recordings, its
    recordings (in ivr_type order, as the example lists them)."""
    for name in ("target_type", "target_id"):
        if not request.query.get(name):
            raise bad_request(f"The required parameter {name} is missing.")
    kind = request.query["target_type"]
    target_id = _target(state, kind, request.query["target_id"], kinds=TARGET_TYPES)
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in state.recordings_of(kind, target_id):
        by_type[record["ivr_type"]].append(recording_json(record))
    items = [{"ivr_type": t, "ivrs": by_type[t]} for t in sorted(by_type)]
    return page(request, items, size=size, always_cursor=True)


def create_custom_ivr(state: DialpadState, request: Request) -> Answer:
    """POST /api/v2/customivrs: a new recording for a target and situation, which plays at once
    (the documented example answers it selected)."""
    body = json_body(request)
    for field in REQUIRED_FOR_UPLOAD:
        if body.get(field) in (None, ""):
            raise bad_request(f"The required field {field} is missing.")
    kind = body["target_type"]
    target_id = _target(state, kind, body["target_id"], kinds=UPLOAD_TARGET_TYPES)
    ivr_type = one_of(body["ivr_type"], IVR_TYPES, "ivr_type")
    name = _single_line(body, "name", NAME_MAX)
    description = _single_line(body, "description", DESCRIPTION_MAX)
    if not isinstance(body["file"], str):
        raise bad_request("Invalid value for file: it must be Base64-encoded.")
    try:
        audio = base64.b64decode(body["file"], validate=True)
    except (binascii.Error, ValueError):
        raise bad_request("Invalid value for file: it must be Base64-encoded.") from None
    if len(audio) > MAX_AUDIO_BYTES:
        raise error(413, "The file is too large.")
    if audio_type(audio) != "audio/mpeg":
        raise bad_request("Invalid value for file: it must be an MP3 audio file.")
    record = {
        "id": state.new_recording_id(), "name": name or "", "description": description or "",
        "date_added": int(time.time() * 1000), "target_type": kind, "target_id": target_id,
        "ivr_type": ivr_type, "plays_for": [], "text": "",
        "audio": {"bytes": len(audio), "sha256": hashlib.sha256(audio).hexdigest()},
    }  # fmt: skip
    state.recordings[record["id"]] = record
    state.select(record)
    return Answer(200, recording_json(record))


def update_custom_ivr(state: DialpadState, request: Request, ivr_id: str) -> Answer:
    """PATCH /api/v2/customivrs/{ivr_id}: its name or description; what plays is unchanged."""
    record = state.recordings.get(number(ivr_id, "ivr_id"))
    if record is None:
        raise not_found("Custom IVR")
    body = json_body(request)
    name = _single_line(body, "name", NAME_MAX)
    description = _single_line(body, "description", DESCRIPTION_MAX)
    if name is not None:
        record["name"] = name
    if description is not None:
        record["description"] = description
    return Answer(200, recording_json(record))


def _choice(
    state: DialpadState, request: Request, kind: str, raw_id: str, ivr_type: str
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The recording an assign or delete names, and the directions it concerns."""
    target_id = _target(state, kind, raw_id, kinds=TARGET_TYPES)
    one_of(ivr_type, IVR_TYPES, "ivr_type")
    body = json_body(request)
    if body.get("ivr_id") in (None, ""):
        raise bad_request("The required field ivr_id is missing.")
    recording_id = number(body["ivr_id"], "ivr_id")
    directions: tuple[str, ...] = DIRECTIONS
    if body.get("select_option") is not None:
        directions = (one_of(body["select_option"], DIRECTIONS, "select_option"),)
        if (kind, ivr_type) != ("callcenter", "AUTO_RECORDING"):
            raise bad_request("select_option is for call center auto call recording only.")
    found = next(
        (r for r in state.recordings_of(kind, target_id, ivr_type) if r["id"] == recording_id),
        None,
    )
    if found is None:
        raise not_found("Custom IVR")
    return found, directions


def assign_custom_ivr(
    state: DialpadState, request: Request, kind: str, target_id: str, ivr_type: str
) -> Answer:
    """PATCH /api/v2/customivrs/{target_type}/{target_id}/{ivr_type}: play this recording."""
    record, directions = _choice(state, request, kind, target_id, ivr_type)
    state.select(record, directions)
    return Answer(200, _situation_json(state, kind, int(record["target_id"]), ivr_type))


def delete_custom_ivr(
    state: DialpadState, request: Request, kind: str, target_id: str, ivr_type: str
) -> Answer:
    """DELETE /api/v2/customivrs/{target_type}/{target_id}/{ivr_type}: un-assign and delete."""
    record, _ = _choice(state, request, kind, target_id, ivr_type)
    del state.recordings[record["id"]]
    record["plays_for"] = []
    return Answer(200, recording_json(record))
