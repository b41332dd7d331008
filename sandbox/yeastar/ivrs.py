"""The IVR endpoints: ivr/list, ivr/search, ivr/get, ivr/query, ivr/create, ivr/update, ivr/delete.

Validation follows the documented rules of "Add an IVR" and "Edit an IVR": the required fields of
a create, prompt_repeat 1-5, resp_timeout and digit_timeout 1-10, up to five prompts ("default"
or custom prompt files on the PBX), the four dial_ext_option values and their lists, and each
slot's destination kind among the twelve. Where a rule is not documented (a destination's value
must name something that exists, numbers are digits and unique on the PBX) the sandbox is strict,
and says so in its package docstring.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from sandbox.http import Answer, Request
from sandbox.yeastar.envelope import (
    invalid,
    json_body,
    no_such_id,
    parameter_error,
    success,
)
from sandbox.yeastar.paging import page_of
from sandbox.yeastar.state import (
    PASSWORD_KEY,
    SLOTS,
    YeastarState,
    ivr_json,
    ivr_record,
    ivr_summary,
    slot_keys,
)

REFERS_TO = {
    "extension": "extensions", "ext_vm": "extensions", "ivr": "ivrs", "ring_group": "ring_groups",
    "queue": "queues", "group_vm": "group_voicemails", "conference": "conferences",
}  # fmt: skip
KINDS = {"", "end_call", "dial_by_name", "external_num", "play_greeting", "play_prompt"}
KINDS |= set(REFERS_TO)
REQUIRED_ON_CREATE = (
    "number", "name", "prompt", "prompt_repeat", "resp_timeout", "digit_timeout",
    "dial_ext_option",
)  # fmt: skip
RANGES = {"prompt_repeat": range(1, 6), "resp_timeout": range(1, 11), "digit_timeout": range(1, 11)}
FLAGS = ("enb_dial_outb_routes", "enb_dial_check_vm", "prompt_manger_enb")
DIAL_EXT_OPTIONS = ("disable", "all", "allow", "restrict")
WRITABLE = set(ivr_record(0, "", "")) - {"id"}
NUMBER = re.compile(r"\d{1,7}")
PHONE_NUMBER = re.compile(r"[0-9*#+]{1,32}")
SORT_FIELDS = ("id", "number", "name")


def list_ivrs(state: YeastarState, request: Request) -> Answer:
    summaries = [ivr_summary(record) for record in state.ivrs.values()]
    return page_of(request, summaries, "data", SORT_FIELDS)


def search_ivrs(state: YeastarState, request: Request) -> Answer:
    text = request.query.get("search_value", "").strip().lower()
    summaries = [
        ivr_summary(record)
        for record in state.ivrs.values()
        if not text or text in record["number"].lower() or text in record["name"].lower()
    ]
    return page_of(request, summaries, "data", SORT_FIELDS)


def get_ivr(state: YeastarState, request: Request) -> Answer:
    return success(data=ivr_json(_existing(state, request.query.get("id"))))


def query_ivrs(state: YeastarState, request: Request) -> Answer:
    ids = request.query.get("ids", "")
    if not ids:
        raise parameter_error([invalid("ids", "required")])
    wanted = [part.strip() for part in ids.split(",")]
    if not all(part.isdigit() for part in wanted):
        raise parameter_error([invalid("ids", "invalid", ids)])
    found = [ivr_json(state.ivrs[int(i)]) for i in wanted if int(i) in state.ivrs]
    return success(data=found)


def create_ivr(state: YeastarState, request: Request) -> Answer:
    body = json_body(request.body)
    missing = [invalid(f, "required") for f in REQUIRED_ON_CREATE if body.get(f) in (None, "")]
    if missing:
        raise parameter_error(missing)
    ivr_id = state.new_id("ivrs")
    record = ivr_record(ivr_id, "", "")
    record.update({key: copy.deepcopy(value) for key, value in body.items() if key in WRITABLE})
    _check(state, record)
    state.ivrs[ivr_id] = _named(state, record)
    return success(id=ivr_id)


def update_ivr(state: YeastarState, request: Request) -> Answer:
    body = json_body(request.body)
    if body.get("id") in (None, ""):
        raise parameter_error([invalid("id", "required")])
    record = copy.deepcopy(_existing(state, body["id"]))
    record.update({key: copy.deepcopy(value) for key, value in body.items() if key in WRITABLE})
    _check(state, record)
    state.ivrs[record["id"]] = _named(state, record)
    return success()


def delete_ivr(state: YeastarState, request: Request) -> Answer:
    record = _existing(state, request.query.get("id"))
    del state.ivrs[record["id"]]  # like a route to a deleted menu in Zendesk: others keep it
    return success()


def _existing(state: YeastarState, value: Any) -> dict[str, Any]:
    if value in (None, ""):
        raise parameter_error([invalid("id", "required")])
    text = str(value)
    if not text.isdigit() or int(text) not in state.ivrs:
        raise no_such_id(text)
    return state.ivrs[int(text)]


def _check(state: YeastarState, record: dict[str, Any]) -> None:
    """Refuse the whole change with every problem found (PARAMETER ERROR), as the PBX does."""
    problems = _settings_problems(state, record)
    for slot in SLOTS:
        problems += _slot_problems(state, record, slot)
    duplicates = []
    holder = state.numbers_in_use().get(str(record.get("number")))
    own = state.ivrs.get(record["id"])
    if holder is not None and (own is None or own["number"] != record["number"]):
        duplicates.append({"field": "number", "value": str(record["number"])})
    if problems or duplicates:
        raise parameter_error(problems, duplicates)


def _settings_problems(state: YeastarState, record: dict[str, Any]) -> list[dict[str, Any]]:
    problems = []
    if not isinstance(record["number"], str) or not NUMBER.fullmatch(record["number"]):
        problems.append(invalid("number", "invalid", record["number"]))
    if not isinstance(record["name"], str) or not record["name"].strip():
        problems.append(invalid("name", "invalid", record["name"]))
    prompts = [p.strip() for p in str(record["prompt"]).split(",")]
    known = state.prompt_names() | {"default"}
    if (
        not isinstance(record["prompt"], str)
        or not 1 <= len(prompts) <= 5
        or (set(prompts) - known)
    ):
        problems.append(invalid("prompt", "invalid", record["prompt"]))
    for field, allowed in RANGES.items():
        value = record[field]
        if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
            problems.append(invalid(field, "invalid", value))
    for field in FLAGS:
        if record.get(field) not in (0, 1) or isinstance(record.get(field), bool):
            problems.append(invalid(field, "invalid", record.get(field)))
    option = record["dial_ext_option"]
    if option not in DIAL_EXT_OPTIONS:
        problems.append(invalid("dial_ext_option", "invalid", option))
    for field, needed in (("dial_ext_list", "allow"), ("restrict_dial_ext_list", "restrict")):
        problems += _extension_list_problems(state, field, record.get(field), option == needed)
    routes = record.get("dial_outb_route_list")
    if not isinstance(routes, list) or not all(
        isinstance(r, dict) and str(r.get("value")).isdigit()
        and int(r["value"]) in state.outbound_routes
        for r in routes
    ):  # fmt: skip
        problems.append(invalid("dial_outb_route_list", "invalid"))
    if not isinstance(record.get("alert_info"), str):
        problems.append(invalid("alert_info", "invalid"))
    return problems


def _extension_list_problems(
    state: YeastarState, field: str, items: Any, required: bool
) -> list[dict[str, Any]]:
    if not isinstance(items, list):
        return [invalid(field, "invalid")]
    if required and not items:
        return [invalid(field, "required")]
    for item in items:
        kind = item.get("type") if isinstance(item, dict) else None
        value = str(item.get("value")) if isinstance(item, dict) else ""
        pools = {"extension": state.extensions, "ext_group": state.extension_groups}
        pool = pools.get(kind) if isinstance(kind, str) else None
        if pool is None or not value.isdigit() or int(value) not in pool:
            return [invalid(field, "invalid", value)]
    return []


def _slot_problems(state: YeastarState, record: dict[str, Any], slot: str) -> list[dict[str, Any]]:
    dest, prefix, value, stop = slot_keys(slot)
    kind, target, extra = record.get(dest), record.get(value), record.get(prefix)
    if kind not in KINDS:
        return [invalid(dest, "invalid", kind)]
    if not isinstance(target, str) or not isinstance(extra, str):
        return [invalid(value, "invalid")]
    problems = []
    if record.get(stop) not in (0, 1) or isinstance(record.get(stop), bool):
        problems.append(invalid(stop, "invalid", record.get(stop)))
    if kind in REFERS_TO:
        if not target:
            problems.append(invalid(value, "required"))
        elif not target.isdigit() or int(target) not in state.collection(REFERS_TO[kind]):
            problems.append(invalid(value, "invalid", target))
    elif kind == "external_num":
        if not PHONE_NUMBER.fullmatch(target):
            problems.append(invalid(value, "required" if not target else "invalid", target))
        if extra and not extra.isdigit():
            problems.append(invalid(prefix, "invalid", extra))
    elif kind in ("play_greeting", "play_prompt"):
        if target not in state.prompt_names():
            problems.append(invalid(value, "required" if not target else "invalid", target))
        if not extra.isdigit() or int(extra) < 1:
            problems.append(invalid(prefix, "invalid", extra))
    return problems


def _named(state: YeastarState, record: dict[str, Any]) -> dict[str, Any]:
    """The record with the names the PBX shows beside each chosen extension, group and route."""
    for field in ("dial_ext_list", "restrict_dial_ext_list"):
        named = []
        for item in record[field]:
            value = int(item["value"])
            if item["type"] == "extension":
                extension = state.extensions[value]
                text, text2 = extension["caller_id_name"], extension["number"]
            else:
                text = text2 = state.extension_groups[value]["name"]
            named.append({"text": text, "text2": text2, "value": str(value), "type": item["type"]})
        record[field] = named
    record["dial_outb_route_list"] = [
        {"text": state.outbound_routes[int(r["value"])]["name"], "value": str(r["value"])}
        for r in record["dial_outb_route_list"]
    ]
    record.setdefault(PASSWORD_KEY, "")
    return record
