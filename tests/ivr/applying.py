"""Applying a plan to the in-memory Zendesk the way the publish service will, and checking it.

`configuration` reads what callers experience straight from JSON, without the engine's own diff,
so a test comparing configurations cannot share a blind spot with the planner.
"""

import json
from typing import Any

from ivr.engine.document import IvrDocument
from ivr.engine.plan import OperationKind, Plan
from tests.ivr.zendesk_model import InMemoryZendesk


class InjectedFailure(Exception):
    """Zendesk stopped answering in the middle of a publish."""


def apply_plan(
    plan: Plan,
    zendesk: InMemoryZendesk,
    *,
    fail_at: int | None = None,
    failed_call_took_effect: bool = False,
    surviving_menu_keys: frozenset[str] = frozenset(),
) -> dict[str, int]:
    """Send each operation in order; return the menu ids known afterwards, by key.

    With `fail_at`, operation number `fail_at` raises InjectedFailure, before or after Zendesk
    acted on it; the ids learned until then are in the exception's `menu_ids`.
    After each call, no menu that stays in the desired IVR may lead to a menu that is gone.
    """
    menu_ids = dict(plan.menu_ids)
    ivr_id = zendesk.ivr["id"]
    for position, operation in enumerate(plan):
        path = operation.path(ivr_id=ivr_id, menu_ids=menu_ids)
        body = operation.body(menu_ids=menu_ids)
        if position == fail_at and not failed_call_took_effect:
            raise _failure(menu_ids)
        response = zendesk.request(operation.method, path, body)
        if position == fail_at:
            raise _failure(menu_ids)  # the answer was lost: the created id is not learned
        if operation.kind is OperationKind.CREATE_MENU:
            menu_ids[operation.menu_key] = response["ivr_menu"]["id"]
        _no_kept_route_dangles(zendesk, menu_ids, surviving_menu_keys)
    return menu_ids


def _failure(menu_ids: dict[str, int]) -> InjectedFailure:
    failure = InjectedFailure()
    failure.menu_ids = dict(menu_ids)  # type: ignore[attr-defined]
    return failure


def _no_kept_route_dangles(
    zendesk: InMemoryZendesk, menu_ids: dict[str, int], surviving: frozenset[str]
) -> None:
    kept_ids = {menu_ids[key] for key in surviving if key in menu_ids}
    existing = {menu["id"] for menu in zendesk.ivr["menus"]}
    for menu in zendesk.ivr["menus"]:
        if menu["id"] not in kept_ids:
            continue
        for route in menu["routes"]:
            if route["action"] == "menu":
                assert route["options"]["menu_id"] in existing, (
                    f"key {route['keypress']} of menu {menu['name']!r} leads to a deleted menu"
                )


def configuration(ivr: dict[str, Any]) -> dict[str, Any]:
    """What callers experience, from Zendesk-shaped JSON (menus by id, routes by key)."""
    return {
        "name": ivr["name"],
        "menus": {
            menu["id"]: {
                "name": menu["name"],
                "greeting_id": menu.get("greeting_id"),
                "default": bool(menu.get("default")),
                "routes": {
                    route["keypress"]: (route["action"], _canonical_options(route["options"]))
                    for route in menu["routes"]
                },
            }
            for menu in ivr["menus"]
        },
    }


def desired_as_zendesk(document: IvrDocument, menu_ids: dict[str, int]) -> dict[str, Any]:
    """The desired document in Zendesk's shape, its menu keys replaced by the ids Zendesk gave."""
    stored = document.to_json()
    for menu in stored["menus"]:
        menu["id"] = menu_ids[menu.pop("key")]
        for route in menu["routes"]:
            if route["action"] == "menu":
                route["options"]["menu_id"] = menu_ids[route["options"].pop("menu_key")]
    return stored


def differing_objects(live: dict[str, Any], desired: dict[str, Any]) -> int:
    """How many parts differ: the name, each menu, each key of a kept menu (or a new menu's)."""
    count = int(live["name"] != desired["name"])
    for menu_id, menu in desired["menus"].items():
        old = live["menus"].get(menu_id)
        if old is None:
            count += 1 + len(menu["routes"])
            continue
        count += (old["name"], old["greeting_id"]) != (menu["name"], menu["greeting_id"])
        keys = set(old["routes"]) | set(menu["routes"])
        count += sum(old["routes"].get(key) != menu["routes"].get(key) for key in keys)
    count += sum(menu_id not in desired["menus"] for menu_id in live["menus"])
    return count


def _canonical_options(options: dict[str, Any]) -> str:
    options = dict(options)
    if not options.get("tags"):
        options.pop("tags", None)
    return json.dumps(options, sort_keys=True)
