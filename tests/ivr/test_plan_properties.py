"""For any live IVR and any draft of it, the plan makes Zendesk hold the draft, minimally.

Live IVRs are drawn in Zendesk's JSON; drafts are drawn as sequences of the editor's own edits
(ivr.engine.edit), from a single changed key to most of the IVR rebuilt. Each plan is applied to an
in-memory Zendesk that enforces the sandbox's contract (tests/ivr/zendesk_model.py).
"""

import contextlib

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from ivr.engine.destinations import (
    Destination,
    GoToMenu,
    QueueForGroups,
    TextBack,
    TransferToNumber,
    Voicemail,
)
from ivr.engine.document import KEYPRESSES, IvrDocument, Route, menu_key_for_id
from ivr.engine.edit import (
    EditError,
    add_menu,
    add_route,
    delete_menu,
    delete_route,
    rekey_menu,
    rename_ivr,
    rename_menu,
    set_menu_greeting,
    update_route,
)
from ivr.engine.lookups import Lookups
from ivr.engine.plan import plan_changes
from tests.ivr.applying import (
    InjectedFailure,
    apply_plan,
    configuration,
    desired_as_zendesk,
    differing_objects,
)
from tests.ivr.zendesk_model import InMemoryZendesk

DESTINATIONS = (
    QueueForGroups((10,)),
    QueueForGroups((11, 10)),
    Voicemail((10,)),
    TransferToNumber("+15105550199"),
    TextBack("Track your order at acme.example", 31),
)
GREETINGS = (None, 501, 502)
MENU_NAMES = ("Billing", "Returns", "Opening hours", "Sales", "Promotions")
TAGS = (None, ("vip",), ("vip", "billing"))
EDITS = (
    *["set_route"] * 4,
    *["delete_route"] * 2,
    *["add_menu", "delete_menu"] * 2,
    *["move_route", "rename_menu", "greeting", "rename"],
)
NO_LOOKUPS = Lookups()  # sentences may say "a group that no longer exists"; plans are the same


@st.composite
def live_ivrs(draw: st.DrawFn) -> dict:
    """An IVR as Zendesk would return it: 1 to 4 menus, each with a few routes."""
    menu_ids = [100 * (position + 1) for position in range(draw(st.sampled_from([1, 2, 3, 4])))]
    route_ids = iter(range(1000, 2000))
    menus = []
    for position, menu_id in enumerate(menu_ids):
        routes = []
        for keypress in draw(st.lists(st.sampled_from(KEYPRESSES), unique=True, max_size=6)):
            choice = draw(st.integers(0, len(DESTINATIONS) + len(menu_ids) - 1))
            if choice < len(DESTINATIONS):
                destination = DESTINATIONS[choice]
                action, options = destination.action, _options(destination)
            else:
                action, options = "menu", {"menu_id": menu_ids[choice - len(DESTINATIONS)]}
            tags = draw(st.sampled_from(TAGS))
            if tags:
                options["tags"] = list(tags)
            routes.append(
                {
                    "id": next(route_ids),
                    "keypress": keypress,
                    "action": action,
                    "options": options,
                    "option_text": None,
                    "greeting": None,
                    "overflow_options": [],
                }
            )
        menus.append(
            {
                "id": menu_id,
                "name": "Main menu" if position == 0 else f"Menu {position}",
                "default": position == 0,
                "greeting_id": draw(st.sampled_from(GREETINGS)),
                "routes": routes,
            }
        )
    return {
        "id": 77,
        "name": "Acme",
        "menus": menus,
        "phone_number_ids": [],
        "phone_number_names": [],
    }


def _options(destination: Destination) -> dict:
    return Route(keypress="1", destination=destination).options_json(menu_id=None)


@st.composite
def drafts_of(draw: st.DrawFn, live: IvrDocument) -> IvrDocument:
    """The live IVR after 1 to 30 of the editor's edits (edits it refuses are skipped)."""
    document = live
    for edit in draw(st.lists(st.sampled_from(EDITS), min_size=1, max_size=30)):
        keys = [menu.key for menu in document.menus]
        menu_key = draw(st.sampled_from(keys))
        with contextlib.suppress(EditError):
            document = _edit(draw, document, edit, menu_key, keys)
    return document


def _edit(
    draw: st.DrawFn, document: IvrDocument, edit: str, menu_key: str, keys: list[str]
) -> IvrDocument:
    keypress = draw(st.sampled_from(KEYPRESSES))
    match edit:
        case "set_route":
            choice = draw(st.integers(0, len(DESTINATIONS) + len(keys) - 1))
            destination = (
                DESTINATIONS[choice]
                if choice < len(DESTINATIONS)
                else GoToMenu(keys[choice - len(DESTINATIONS)])
            )
            tags = draw(st.sampled_from(TAGS))
            if document.find_menu(menu_key).route(keypress) is None:
                return add_route(
                    document,
                    menu_key=menu_key,
                    keypress=keypress,
                    destination=destination,
                    tags=tags,
                )
            return update_route(
                document, menu_key=menu_key, keypress=keypress, destination=destination, tags=tags
            )
        case "delete_route":
            return delete_route(document, menu_key=menu_key, keypress=keypress)
        case "move_route":
            new_keypress = draw(st.sampled_from(KEYPRESSES))
            return update_route(
                document, menu_key=menu_key, keypress=keypress, new_keypress=new_keypress
            )
        case "add_menu":
            return add_menu(
                document,
                name=draw(st.sampled_from(MENU_NAMES)),
                greeting_id=draw(st.sampled_from(GREETINGS)),
            )
        case "delete_menu":
            # As an admin would: first change the keys that lead there, then delete it.
            for menu in document.menus:
                for route in menu.routes:
                    if menu.key != menu_key and route.destination == GoToMenu(menu_key):
                        document = delete_route(
                            document, menu_key=menu.key, keypress=route.keypress
                        )
            return delete_menu(document, menu_key=menu_key)
        case "rename_menu":
            return rename_menu(document, menu_key=menu_key, name=draw(st.sampled_from(MENU_NAMES)))
        case "greeting":
            greeting_id = draw(st.sampled_from(GREETINGS))
            return set_menu_greeting(document, menu_key=menu_key, greeting_id=greeting_id)
        case _:
            return rename_ivr(document, name=draw(st.sampled_from(["Acme", "Acme care"])))


def surviving(document: IvrDocument) -> frozenset[str]:
    return frozenset(menu.key for menu in document.menus)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_the_plan_turns_live_into_the_draft_with_one_call_per_differing_part(data):
    live_json = data.draw(live_ivrs())
    live = IvrDocument.from_zendesk(live_json)
    desired = data.draw(drafts_of(live))

    plan = plan_changes(live=live, desired=desired, lookups=NO_LOOKUPS)
    for kind in {operation.kind for operation in plan}:
        event(f"plan has {kind}")
    event(f"plan length {'0' if not plan.operations else '1-5' if len(plan) <= 5 else '6+'}")
    zendesk = InMemoryZendesk(live_json)
    menu_ids = apply_plan(plan, zendesk, surviving_menu_keys=surviving(desired))

    wanted = configuration(desired_as_zendesk(desired, menu_ids))
    assert configuration(zendesk.ivr_json()) == wanted
    assert len(plan) == differing_objects(configuration(live_json), wanted)
    assert len(zendesk.requests) == len(plan)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_after_a_failure_at_any_call_publishing_again_converges(data):
    live_json = data.draw(live_ivrs())
    live = IvrDocument.from_zendesk(live_json)
    desired = data.draw(drafts_of(live))
    plan = plan_changes(live=live, desired=desired, lookups=NO_LOOKUPS)
    if not plan.operations:
        return
    fail_at = data.draw(st.integers(0, len(plan) - 1), label="fail_at")
    took_effect = data.draw(st.booleans(), label="failed call took effect")
    zendesk = InMemoryZendesk(live_json)

    with pytest.raises(InjectedFailure) as failure:
        apply_plan(
            plan,
            zendesk,
            fail_at=fail_at,
            failed_call_took_effect=took_effect,
            surviving_menu_keys=surviving(desired),
        )

    # The publish service records the menus Zendesk created, so the retry does not repeat them.
    retry = desired
    for key, menu_id in failure.value.menu_ids.items():
        if key not in plan.menu_ids:
            retry = _rekeyed(retry, key, menu_id)
    partly_changed = zendesk.ivr_json()
    second = plan_changes(
        live=IvrDocument.from_zendesk(partly_changed), desired=retry, lookups=NO_LOOKUPS
    )
    menu_ids = apply_plan(second, zendesk, surviving_menu_keys=surviving(retry))

    wanted = configuration(desired_as_zendesk(retry, menu_ids))
    assert configuration(zendesk.ivr_json()) == wanted
    assert len(second) == differing_objects(configuration(partly_changed), wanted)
    assert len(second) <= len(plan) - fail_at + int(took_effect)


def _rekeyed(document: IvrDocument, key: str, menu_id: int) -> IvrDocument:
    return rekey_menu(document, old_key=key, new_key=menu_key_for_id(menu_id), menu_id=menu_id)
