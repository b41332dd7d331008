"""What publishing an IVR draft costs: Talk API calls and time, against the floor.

    .venv/bin/python bench/ivr_publish.py [--runs 7] [--latency-ms 100]

Builds an IVR of 10 menus x 12 routes in the sandbox served as its own process, then makes the
sandbox add `--latency-ms` to every request, as a distant Zendesk would. For each scenario it
publishes a draft through the real services (draft in PostgreSQL, audit change set, Talk
client) and prints the API calls the publish made and its median time, beside the floor: the
same minimal calls sent directly with `requests`, one after the other, with nothing around them.

Uses its own database, talkadmin_bench_publish, on the server in DATABASE_URL (created and
migrated when missing; never the test or production database).
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Discard, configure_django

BENCH_DATABASE = "talkadmin_bench_publish"
IVR_PATH = "/api/v2/channels/voice/ivr"


def build_ivr(client) -> tuple[int, dict[str, Any]]:
    """An IVR of 10 menus with 12 routes each, every menu reachable and lint-clean."""
    from talk.recording import recording_calls

    groups = [group.id for group in client.list_groups() if not group.raw.get("deleted")][:9]
    with recording_calls(Discard()):
        ivr = client.create_ivr(name=f"Benchmark line {secrets.token_hex(3)}")
        main_id = ivr.menus[0].id
        menus = [main_id] + [client.create_menu(ivr.id, name=f"Menu {n}").id for n in range(1, 10)]
        for position, menu_id in enumerate(menus):
            keys = [*"1234567890*", "default"]
            for index, keypress in enumerate(keys):
                group = [groups[(position + index) % len(groups)]]
                if position == 0 and keypress in "123456789":
                    action, options = "menu", {"menu_id": menus[int(keypress)]}
                elif position and keypress == "0":
                    action, options = "menu", {"menu_id": main_id}
                elif keypress == "*":
                    action, options = "voicemail", {"group_ids": group}
                else:
                    action, options = "group", {"group_ids": group}
                client.create_route(
                    ivr.id, menu_id, keypress=keypress, action=action, options=options
                )
    return ivr.id, {"groups": groups, "menus": menus}


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--latency-ms", type=int, default=100)
    options = parser.parse_args()
    configure_django(BENCH_DATABASE)

    from django.conf import settings
    from django.core.cache import cache

    import talk
    from sandbox.process import start_sandbox

    served = start_sandbox()
    try:
        settings.TALK_BASE_URL = served.base_url
        settings.TALK_EMAIL, settings.TALK_API_TOKEN = served.email, served.api_token
        settings.TALK_RATE_LIMIT_PER_MINUTE = 10**9
        cache.clear()
        talk.reset_client()
        ivr_id, built = build_ivr(talk.get_client())
        served.set_faults({"latency_ms": options.latency_ms})
        rows = run_scenarios(served, ivr_id, built, options.runs)
    finally:
        served.stop()
    print(
        f"IVR of 10 menus x 12 routes; sandbox served with {options.latency_ms} ms added to "
        f"every request; median of {options.runs} runs.\n"
    )
    header = (
        f"{'scenario':<44} {'reads':>5} {'writes':>6} {'target':>8} "
        f"{'publish ms':>10} {'floor ms':>9} {'overhead ms':>11}"
    )
    print(header)
    print("-" * len(header))
    for name, reads, writes, target, publish, floor in rows:
        print(
            f"{name:<44} {reads:>5} {writes:>6} {target:>8} "
            f"{publish:>10.0f} {floor:>9.0f} {publish - floor:>11.0f}"
        )


def run_scenarios(served, ivr_id: int, built: dict[str, Any], runs: int) -> list[tuple]:
    import requests

    import talk
    from audit.actor import Actor
    from ivr.engine.destinations import GoToMenu, QueueForGroups
    from ivr.engine.document import menu_key_for_id, new_menu_key
    from ivr.engine.edit import add_menu, add_route, update_route
    from ivr.services import edit_draft, open_draft, publish_draft

    actor = Actor.system("bench/ivr_publish.py")
    client = talk.get_client()
    groups, menus = built["groups"], built["menus"]
    menu_3 = menus[3]
    route = next(r for r in client.get_ivr(ivr_id).menus[3].routes if r.keypress == "1")
    session = requests.Session()
    session.auth = (f"{served.email}/token", served.api_token)
    base = served.base_url

    def publish(edits: list[Callable], *, cold: bool) -> tuple[float, int, int]:
        draft = open_draft(ivr_id=ivr_id, actor=actor)
        for edit in edits:
            draft = edit_draft(draft=draft, edit=edit, actor=actor, expected_version=draft.version)
        if cold:
            client.forget_lookups()
        else:
            client.load_lookups("groups", "greetings", "lines")
        served.control("DELETE", "/sandbox/requests")
        started = time.perf_counter()
        result = publish_draft(draft=draft, actor=actor, reason="Benchmark")
        elapsed = time.perf_counter() - started
        if result.outcome != "applied":
            raise SystemExit(f"The benchmark's publish did not apply: {result.message}")
        received = served.requests()
        reads = sum(1 for r in received if r["method"] == "GET")
        return elapsed, reads, len(received) - reads

    def one_route(run: int) -> list[Callable]:
        live = next(r for r in client.get_ivr(ivr_id).menus[3].routes if r.keypress == "1")
        group = groups[1] if live.options.get("group_ids") == [groups[0]] else groups[0]
        return [
            partial(
                update_route,
                menu_key=menu_key_for_id(menu_3),
                keypress="1",
                destination=QueueForGroups((group,)),
            )
        ]

    def floor_one_route(run: int) -> float:
        started = time.perf_counter()
        session.get(f"{base}{IVR_PATH}/{ivr_id}.json").raise_for_status()
        body = {"ivr_route": {"action": "group", "options": {"group_ids": [groups[run % 2]]}}}
        path = f"{base}{IVR_PATH}/{ivr_id}/menus/{menu_3}/routes/{route.id}.json"
        session.put(path, json=body).raise_for_status()
        return time.perf_counter() - started

    def new_menu(run: int) -> list[Callable]:
        key = new_menu_key()
        edits: list[Callable] = [partial(add_menu, name=f"Campaign {run}", key=key)]
        for keypress in [*"1234567890*", "default"]:
            destination = QueueForGroups((groups[0],))
            edits.append(
                partial(add_route, menu_key=key, keypress=keypress, destination=destination)
            )
        edits.append(
            partial(
                add_route,
                menu_key=menu_key_for_id(menus[1]),
                keypress="#",
                destination=GoToMenu(key),
            )
        )
        return edits

    def floor_new_menu(run: int) -> float:
        started = time.perf_counter()
        session.get(f"{base}{IVR_PATH}/{ivr_id}.json").raise_for_status()
        answer = session.post(
            f"{base}{IVR_PATH}/{ivr_id}/menus.json", json={"ivr_menu": {"name": f"Floor {run}"}}
        )
        menu_id = answer.json()["ivr_menu"]["id"]
        created = [
            session.post(
                f"{base}{IVR_PATH}/{ivr_id}/menus/{menu_id}/routes.json",
                json={
                    "ivr_route": {
                        "keypress": k,
                        "action": "group",
                        "options": {"group_ids": [groups[0]]},
                    }
                },
            )
            for k in [*"1234567890*", "default"]
        ]
        link = session.post(
            f"{base}{IVR_PATH}/{ivr_id}/menus/{menus[1]}/routes.json",
            json={
                "ivr_route": {"keypress": "#", "action": "menu", "options": {"menu_id": menu_id}}
            },
        )
        elapsed = time.perf_counter() - started
        for answer in (*created, link):
            answer.raise_for_status()
        _remove_menu(session, base, ivr_id, menu_id, menus[1], link.json()["ivr_route"]["id"])
        return elapsed

    def remove_campaign(run: int) -> None:
        ivr = client.get_ivr(ivr_id)
        campaign = next(m for m in ivr.menus if m.name == f"Campaign {run}")
        link = next(r for r in ivr.menus[1].routes if r.keypress == "#")
        _remove_menu(session, base, ivr_id, campaign.id, menus[1], link.id)

    rows = []
    for name, edits, floor, cold, cleanup in [
        ("one route changed (lookups cached)", one_route, floor_one_route, False, None),
        ("one route changed (lookups not cached)", one_route, floor_one_route, True, None),
        ("new menu with 12 routes, and a key to it", new_menu, floor_new_menu, False,
         remove_campaign),
    ]:  # fmt: skip
        times, floors, counts = [], [], set()
        for run in range(runs):
            elapsed, reads, writes = publish(edits(run), cold=cold)
            times.append(elapsed)
            counts.add((reads, writes))
            if cleanup is not None:
                cleanup(run)
            floors.append(floor(run))
        (reads, writes), *others = sorted(counts)
        if others:
            raise SystemExit(f"{name}: the number of calls varied between runs: {counts}")
        target = "1 + 1" if name.startswith("one route") and not cold else "-"
        rows.append((name, reads, writes, target, median_ms(times), median_ms(floors)))
    return rows


def _remove_menu(session, base: str, ivr_id: int, menu_id: int, from_menu: int, link: int) -> None:
    menus = f"{base}{IVR_PATH}/{ivr_id}/menus"
    session.delete(f"{menus}/{from_menu}/routes/{link}.json").raise_for_status()
    session.delete(f"{menus}/{menu_id}.json").raise_for_status()


if __name__ == "__main__":
    main()
