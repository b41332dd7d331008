"""The demo account scaled up for the benchmark: 50 IVRs, 500 numbers, 100 groups, 200 greetings.

Built from the demo account (sandbox.demo), so the pages meet the same kinds of records they meet
in the demo, only more of them. The same every time (a seeded random generator). Some IVRs are
10 menus x 12 routes (BIG_IVR_NAMES): the IVR page and the publishes are measured on those.
"""

from __future__ import annotations

import random
from typing import Any

from sandbox.demo import demo_account
from sandbox.state import SandboxState

IVRS, PHONE_NUMBERS, GROUPS, GREETINGS = 50, 500, 100, 200
BIG_MENUS, BIG_ROUTES = 10, 12  # the biggest IVRs: menus, and routes in each menu
BIG_IVR_NAMES = ("Big line 1", "Big line 2", "Big line 3", "Big line 4", "Big line 5")
# Where each figure is measured (each publish changes its own IVR).
PAGE_IVR, PUBLISH_IVR, RATE_LIMIT_IVR, SPENT_IVR = BIG_IVR_NAMES[:4]
KEYS = [*"1234567890*", "default"]  # twelve keys: one menu's routes
AREA_CODES = ("206", "212", "303", "312", "404", "415", "512", "617", "702", "808")


def scaled_account(seed: int = 9) -> dict[str, Any]:
    """The scaled account's records, in the shape SandboxState.load takes."""
    rng = random.Random(seed)
    state = SandboxState(demo_account())
    groups = [g["id"] for g in state.groups.values() if not g.get("deleted")]
    groups += [
        state.add_group(f"Team {n:03d}", description=f"Bench team {n}")["id"]
        for n in range(len(groups) + 1, GROUPS + 1)
    ]
    ivr_greetings = []
    for n in range(len(state.greetings) + 1, GREETINGS + 1):
        category = 5 if n % 2 else rng.choice([1, 2, 3, 6])
        greeting = state.add_greeting(f"Bench greeting {n:03d}", category_id=category)
        if category == 5:
            ivr_greetings.append(greeting["id"])
    numbers = _numbers(state, rng, groups)
    free = [n for n in numbers if n.get("ivr_id") is None]
    rng.shuffle(free)
    for index in range(IVRS - len(state.ivrs)):
        big = index < len(BIG_IVR_NAMES)
        name = BIG_IVR_NAMES[index] if big else f"Bench line {index + 1:02d}"
        ivr = state.add_ivr(name)
        _menus(state, rng, ivr["id"], groups, ivr_greetings, big=big)
        for _ in range(rng.choice([1, 1, 2, 3])):  # the numbers that answer with it
            free.pop()["ivr_id"] = ivr["id"]
    return state.to_json()


def _numbers(state: SandboxState, rng: random.Random, groups: list[int]) -> list[dict[str, Any]]:
    """New numbers up to PHONE_NUMBERS, in ranges reserved for fiction (555-01xx)."""
    taken = {number["number"] for number in state.phone_numbers.values()}
    candidates = (
        (area, line) for area in AREA_CODES for line in range(100, 200)
        if f"+1{area}555{line:04d}" not in taken
    )  # fmt: skip
    added = []
    for n in range(len(state.phone_numbers) + 1, PHONE_NUMBERS + 1):
        area, line = next(candidates)
        team = rng.sample(groups, rng.choice([1, 1, 2]))
        added.append(
            state.add_phone_number(
                number=f"+1{area}555{line:04d}",
                display_number=f"+1 ({area}) 555-{line:04d}",
                nickname=f"Bench number {n:03d}",
                group_ids=team,
                default_group_id=team[0],
                recorded=rng.random() < 0.4,
                settings={"callback_from_queue": rng.random() < 0.2},
            )
        )
    return added


def _menus(
    state: SandboxState,
    rng: random.Random,
    ivr_id: int,
    groups: list[int],
    greetings: list[int],
    *,
    big: bool,
) -> None:
    """The IVR's menus: the first reaches every other one; each other one leads back to it."""
    main = state.default_menu(ivr_id)
    main["greeting_id"] = rng.choice(greetings)
    count = BIG_MENUS if big else rng.choice([1, 2, 3])
    menus = [main] + [
        state.add_menu(ivr_id, f"Menu {n}", greeting_id=rng.choice(greetings))
        for n in range(1, count)
    ]
    for position, menu in enumerate(menus):
        keys = KEYS if big else [*rng.sample(KEYS[:10], rng.choice([3, 4, 5])), "default"]
        for index, keypress in enumerate(keys):
            group = {"group_ids": [groups[(position * 13 + index) % len(groups)]]}
            if position == 0 and keypress.isdigit() and 0 < int(keypress) < len(menus):
                state.add_route(
                    menu["id"], keypress, "menu", {"menu_id": menus[int(keypress)]["id"]}
                )
            elif position and keypress == "0":
                state.add_route(menu["id"], keypress, "menu", {"menu_id": main["id"]})
            elif keypress == "*":
                state.add_route(menu["id"], keypress, "voicemail", group)
            else:
                state.add_route(menu["id"], keypress, "group", group)


def counts(account: dict[str, Any]) -> dict[str, int]:
    """How many of each record the account holds (deleted groups left out)."""
    state = SandboxState(account)
    big = [
        ivr for ivr in state.ivrs.values()
        if len(state.menus_of(ivr["id"])) == BIG_MENUS
        and all(len(state.routes_of(m["id"])) == BIG_ROUTES for m in state.menus_of(ivr["id"]))
    ]  # fmt: skip
    return {
        "ivrs": len(state.ivrs),
        "big_ivrs": len(big),
        "phone_numbers": len(state.phone_numbers),
        "numbers_with_an_ivr": sum(1 for n in state.phone_numbers.values() if n.get("ivr_id")),
        "groups": sum(1 for g in state.groups.values() if not g.get("deleted")),
        "greetings": len(state.greetings),
    }
