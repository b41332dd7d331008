"""Lookups: groups (cursor pagination), schedules, addresses, brands, lines (greetings:
greetings.py)."""

from __future__ import annotations

import copy

from sandbox.http import Answer, Request, cursor_page, offset_page
from sandbox.render import line_json
from sandbox.state import SandboxState


def list_groups(state: SandboxState, request: Request) -> Answer:
    groups = copy.deepcopy(sorted(state.groups.values(), key=lambda group: group["id"]))
    if any(name.startswith("page[") for name in request.query):
        return Answer(200, cursor_page(request, groups, "groups"))
    return Answer(200, offset_page(request, groups, "groups"))


def list_schedules(state: SandboxState, request: Request) -> Answer:
    schedules = copy.deepcopy(sorted(state.schedules.values(), key=lambda s: s["id"]))
    return Answer(200, {"schedules": schedules})


def list_addresses(state: SandboxState, request: Request) -> Answer:
    addresses = copy.deepcopy(sorted(state.addresses.values(), key=lambda a: a["id"]))
    return Answer(200, offset_page(request, addresses, "addresses"))


def list_brands(state: SandboxState, request: Request) -> Answer:
    """Support's GET /api/v2/brands: offset pages of {"brands": [...]}, deleted ones left out."""
    brands = copy.deepcopy(sorted(state.brands.values(), key=lambda brand: brand["id"]))
    shown = [brand for brand in brands if not brand.get("is_deleted")]
    return Answer(200, offset_page(request, shown, "brands"))


def list_lines(state: SandboxState, request: Request) -> Answer:
    lines = sorted(
        [*state.phone_numbers.values(), *state.digital_lines.values()], key=lambda line: line["id"]
    )
    if request.flag("minimal_mode"):
        keys = ("id", "country_code", "external", "nickname", "priority", "brand_id", "line_type")
        shown = [{key: line.get(key) for key in keys} for line in lines]
    else:
        shown = [line_json(line) for line in lines]
    return Answer(200, offset_page(request, shown, "lines"))
