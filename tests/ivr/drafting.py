"""Helpers for the draft and publish tests: the demo account's IVRs, people, and edits.

The sandbox's demo account (sandbox/demo.py): "Main support line" answers US Main Support and
UK Support London; its first menu leads with 1 to "Orders & billing" (1 Billing, 2 Returns &
Exchanges tagged ivr_returns, 3 Sales, 9 back, default Billing) and with 2 to "Technical
support", which leads on to "Hardware & repairs".
"""

from functools import partial

from audit.actor import Actor
from audit.models import ApiCall, ChangeSet
from ivr.engine.destinations import QueueForGroups
from ivr.engine.document import menu_key_for_id
from ivr.engine.edit import update_route

MAIN_LINE = "Main support line"
ORDERS = "Orders & billing"


def actor(user) -> Actor:
    return Actor.for_user(user, client_address="198.51.100.7", user_agent="pytest")


def ivr_id(sandbox, name: str = MAIN_LINE) -> int:
    return sandbox.state.ivr_named(name)["id"]


def menu_key(sandbox, menu_name: str, ivr_name: str = MAIN_LINE) -> str:
    return menu_key_for_id(sandbox.state.menu_named(ivr_id(sandbox, ivr_name), menu_name)["id"])


def group_id(sandbox, name: str) -> int:
    return sandbox.state.group_named(name)["id"]


def send_to_group(sandbox, *, menu: str, keypress: str, group: str):
    """The edit "key `keypress` of `menu` now goes to `group`", as the editor page makes it."""
    return partial(
        update_route,
        menu_key=menu_key(sandbox, menu),
        keypress=keypress,
        destination=QueueForGroups((group_id(sandbox, group),)),
    )


def live_route(sandbox, menu_name: str, keypress: str, ivr_name: str = MAIN_LINE) -> dict:
    """What Zendesk holds for that key, as its API shows it."""
    menu = sandbox.state.menu_named(ivr_id(sandbox, ivr_name), menu_name)
    return next(r for r in sandbox.state.routes_of(menu["id"]) if r["keypress"] == keypress)


def writes(sandbox) -> list:
    return [r for r in sandbox.requests if r.method != "GET"]


def ivr_change_sets(ivr: int) -> list[ChangeSet]:
    return list(ChangeSet.objects.filter(target_type="ivr", target_id=str(ivr)).order_by("id"))


def calls_of(change_set: ChangeSet) -> list[tuple[str, int | None]]:
    calls = ApiCall.objects.filter(change_set=change_set).order_by("sequence")
    return [(call.method, call.status) for call in calls]
