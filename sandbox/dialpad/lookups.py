"""Who can play recordings, as Dialpad's list and get endpoints answer: offices, departments,
call centres and users (their documented filters: active_only; office_id and name_search;
state and email)."""

from __future__ import annotations

import copy
from typing import Any

from sandbox.dialpad.envelope import not_found, number, one_of, page
from sandbox.dialpad.state import DialpadState
from sandbox.http import Answer, Request

USER_STATES = ("active", "all", "cancelled", "deleted", "pending", "suspended")
WHAT = {"office": "Office", "department": "Department", "callcenter": "Call center",
        "user": "User"}  # fmt: skip


def _all(state: DialpadState, kind: str) -> list[dict[str, Any]]:
    records = state.targets[kind]
    return [copy.deepcopy(records[i]) for i in sorted(records)]


def _one(state: DialpadState, kind: str, raw_id: str) -> Answer:
    record = state.target(kind, number(raw_id, "id"))
    if record is None:
        raise not_found(WHAT[kind])
    return Answer(200, copy.deepcopy(record))


def _groups(state: DialpadState, request: Request, kind: str, size: int) -> Answer:
    items = _all(state, kind)
    if request.query.get("office_id"):
        office_id = number(request.query["office_id"], "office_id")
        items = [item for item in items if int(item["office_id"]) == office_id]
    search = request.query.get("name_search", "").strip().lower()
    if search:
        items = [item for item in items if search in item["name"].lower()]
    return page(request, items, size=size)


def list_offices(state: DialpadState, request: Request, size: int) -> Answer:
    items = _all(state, "office")
    if request.query.get("active_only", "").lower() in {"true", "1"}:
        items = [item for item in items if item.get("state") == "active"]
    return page(request, items, size=size)


def get_office(state: DialpadState, request: Request, office_id: str) -> Answer:
    return _one(state, "office", office_id)


def list_departments(state: DialpadState, request: Request, size: int) -> Answer:
    return _groups(state, request, "department", size)


def get_department(state: DialpadState, request: Request, department_id: str) -> Answer:
    return _one(state, "department", department_id)


def list_call_centers(state: DialpadState, request: Request, size: int) -> Answer:
    return _groups(state, request, "callcenter", size)


def get_call_center(state: DialpadState, request: Request, call_center_id: str) -> Answer:
    return _one(state, "callcenter", call_center_id)


def list_users(state: DialpadState, request: Request, size: int) -> Answer:
    items = _all(state, "user")
    wanted = one_of(request.query.get("state") or "all", USER_STATES, "state")
    if wanted != "all":
        items = [item for item in items if item.get("state") == wanted]
    email = request.query.get("email", "").strip().lower()
    if email:
        items = [item for item in items if email in [e.lower() for e in item.get("emails", [])]]
    return page(request, items, size=size)


def get_user(state: DialpadState, request: Request, user_id: str) -> Answer:
    return _one(state, "user", user_id)
