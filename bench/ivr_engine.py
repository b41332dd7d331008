"""How fast the IVR engine's pure logic is on a large IVR: lint, simulate and plan.

    .venv/bin/python bench/ivr_engine.py [--runs 500]

The IVR has 10 menus of 12 routes each (every action, menus leading to each other and back),
with an account of 20 groups, 12 greetings and 5 numbers. Each figure is the time of one call,
over many runs: median and 95th percentile, in milliseconds. Target: lint + simulate + plan of
a one-route change under 20 ms together, and that change costing 1 write to Zendesk.
"""

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ivr.engine.destinations import GoToMenu, QueueForGroups, TextBack, Voicemail
from ivr.engine.document import IvrDocument
from ivr.engine.edit import add_menu, add_route, delete_menu, delete_route, update_route
from ivr.engine.lint import lint
from ivr.engine.lookups import Lookups
from ivr.engine.plan import plan_changes
from ivr.engine.simulate import PRESSES_NOTHING, PRESSES_UNASSIGNED, simulate_call

MENUS = 10
TARGET_MS = 20.0
CALLER_PATHS = (
    ("1", "1"),  # straight to a group two menus down
    ("3", PRESSES_NOTHING, PRESSES_NOTHING, PRESSES_NOTHING),  # silence: the default route
    ("4", "7", "7", PRESSES_UNASSIGNED, "#", "9", "2"),  # wrong keys, then back to the start
    ("5", "0", "0", "0", "0", "0", "0", "0", "0", "1"),  # through every sub-menu in turn
)


def large_ivr() -> dict[str, Any]:
    menu_ids = [1000 + n for n in range(MENUS)]
    route_ids = iter(range(50_000, 60_000))

    def route(keypress: str, action: str, **options: Any) -> dict[str, Any]:
        return {
            "id": next(route_ids),
            "keypress": keypress,
            "action": action,
            "options": options,
            "option_text": "",
            "greeting": None,
            "overflow_options": [],
        }

    menus = []
    main_routes = [route(str(n), "menu", menu_id=menu_ids[n]) for n in range(1, MENUS)]
    main_routes += [
        route("0", "group", group_ids=[1]),
        route("*", "textback", sms_text="Visit acme.example/help", textback_phone_number_id=31),
        route("default", "voicemail", group_ids=[1]),
    ]
    menus.append(_menu(menu_ids[0], "Main menu", main_routes, default=True, greeting_id=500))
    for n in range(1, MENUS):
        following = menu_ids[n + 1] if n + 1 < MENUS else menu_ids[1]
        routes = [route(str(k), "group", group_ids=[(n * 6 + k) % 20 + 1]) for k in range(1, 7)]
        routes += [
            route("7", "voicemail", group_ids=[n + 1]),
            route("8", "phone_number", phone_number=f"+4420794609{n:02d}"),
            route("9", "menu", menu_id=menu_ids[0]),
            route("0", "menu", menu_id=following),
            route("*", "textback", sms_text=f"Menu {n} help", textback_phone_number_id=31),
            route("default", "group", group_ids=[n + 1]),
        ]
        menus.append(_menu(menu_ids[n], f"Department {n}", routes, greeting_id=500 + n))
    return {
        "id": 9000,
        "name": "Acme global support",
        "menus": menus,
        "phone_number_ids": [31],
        "phone_number_names": ["Main line"],
    }


def _menu(
    menu_id: int, name: str, routes: list, *, default: bool = False, greeting_id: int
) -> dict[str, Any]:
    return {
        "id": menu_id,
        "name": name,
        "default": default,
        "greeting_id": greeting_id,
        "routes": routes,
    }


def account() -> Lookups:
    return Lookups.from_zendesk(
        groups=[{"id": n, "name": f"Team {n}", "deleted": False} for n in range(1, 21)],
        greetings=[
            {"id": 500 + n, "name": f"Greeting {n}", "category_id": 5} for n in range(MENUS + 2)
        ],
        phone_numbers=[
            {
                "id": 31 + n,
                "name": f"Line {n}",
                "number": f"+1510555010{n}",
                "capabilities": {"sms": True},
                "sms_enabled": True,
                "ivr_id": 9000 if n == 0 else None,
            }
            for n in range(5)
        ],
    )


def large_change(document: IvrDocument) -> IvrDocument:
    """Half the IVR rebuilt: routes changed in 4 menus, 2 menus deleted, 2 new ones added."""
    keys = [menu.key for menu in document.menus]
    for key in keys[1:5]:
        for keypress in ("1", "2", "3", "4", "5", "6"):
            document = update_route(
                document, menu_key=key, keypress=keypress, destination=Voicemail((20,))
            )
    for key in keys[8:10]:
        for menu in document.menus:
            for route in menu.routes:
                if menu.key != key and route.destination == GoToMenu(key):
                    document = delete_route(document, menu_key=menu.key, keypress=route.keypress)
        document = delete_menu(document, menu_key=key)
    for n, keypress in ((1, "8"), (2, "9")):
        document = add_menu(document, name=f"New department {n}", greeting_id=500, key=f"new:{n}")
        for k in range(1, 7):
            document = add_route(
                document, menu_key=f"new:{n}", keypress=str(k), destination=QueueForGroups((k,))
            )
        document = add_route(
            document,
            menu_key=f"new:{n}",
            keypress="default",
            destination=TextBack("Sorry, we're closed", 31),
        )
        document = add_route(
            document, menu_key=keys[0], keypress=keypress, destination=GoToMenu(f"new:{n}")
        )
    return document


def timings(action: Callable[[], object], runs: int) -> list[float]:
    action()  # warm up
    samples = []
    for _ in range(runs):
        start = time.perf_counter_ns()
        action()
        samples.append((time.perf_counter_ns() - start) / 1e6)
    return samples


def row(label: str, samples: list[float]) -> str:
    p95 = statistics.quantiles(samples, n=20)[-1]
    return f"| {label:<44} | {statistics.median(samples):9.3f} | {p95:9.3f} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=500)
    runs = parser.parse_args().runs

    zendesk_json = large_ivr()
    live = IvrDocument.from_zendesk(zendesk_json)
    lookups = account()
    menus = len(live.menus)
    routes = sum(len(menu.routes) for menu in live.menus)
    one_route = update_route(
        live, menu_key=live.menus[3].key, keypress="2", destination=QueueForGroups((7,))
    )
    big = large_change(live)

    def simulate_all() -> None:
        for actions in CALLER_PATHS:
            simulate_call(live, lookups=lookups, actions=actions, keep_listening=True)

    def together() -> None:
        lint(one_route, lookups)
        simulate_all()
        plan_changes(live=live, desired=one_route, lookups=lookups)

    assert lint(live, lookups) == (), "the benchmark IVR should lint clean"
    one_route_plan = plan_changes(live=live, desired=one_route, lookups=lookups)
    big_plan = plan_changes(live=live, desired=big, lookups=lookups)

    print(f"IVR engine on {menus} menus x {routes // menus} routes ({routes} routes), {runs} runs")
    print()
    print(f"| {'step':<44} | {'median ms':>9} | {'p95 ms':>9} |")
    print(f"|{'-' * 46}|{'-' * 11}|{'-' * 11}|")
    print(
        row(
            "read the IVR from Zendesk's JSON",
            timings(lambda: IvrDocument.from_zendesk(zendesk_json), runs),
        )
    )
    print(row("lint", timings(lambda: lint(one_route, lookups), runs)))
    print(row(f"simulate {len(CALLER_PATHS)} calls to their end", timings(simulate_all, runs)))
    print(
        row(
            "plan a one-route change",
            timings(lambda: plan_changes(live=live, desired=one_route, lookups=lookups), runs),
        )
    )
    print(
        row(
            "plan a large change",
            timings(lambda: plan_changes(live=live, desired=big, lookups=lookups), runs),
        )
    )
    together_samples = timings(together, runs)
    print(row("lint + simulate + plan (one-route change)", together_samples))
    print()
    print(f"| {'change':<44} | {'writes':>9} |")
    print(f"|{'-' * 46}|{'-' * 11}|")
    print(f"| {'one route changed':<44} | {len(one_route_plan):>9} |")
    print(f"| {'large change: 4 menus edited, 2 gone, 2 new':<44} | {len(big_plan):>9} |")
    print()
    verdict = "met" if statistics.quantiles(together_samples, n=20)[-1] < TARGET_MS else "MISSED"
    print(f"Target: lint + simulate + plan under {TARGET_MS:.0f} ms at p95: {verdict}.")
    one_write = "met" if len(one_route_plan) == 1 else "MISSED"
    print(f"Target: a one-route change costs 1 write: {one_write}.")
    print("Publishing also reads the IVR once first, for the conflict check (1 read).")


if __name__ == "__main__":
    main()
