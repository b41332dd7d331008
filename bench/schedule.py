"""Scheduled changes' figures: from a change's due time to its first Talk API call, and 200
changes due in the same minute across 2 workers against the rate limit's floor.

    .venv/bin/python bench/schedule.py [--changes 200] [--delays 20] [--rate 700]

Real worker processes (`manage.py db_worker --interval 1`) and the sandbox as its own process
over HTTP, on the benchmark's own database, talkadmin_bench_schedule (created afresh). Each
change renames its own IVR (one write), scheduled through changes.services.schedules exactly
as the publish page does; the sandbox's request log says when each IVR was first called.

1. Due time → first Talk API call, one idle worker: `--delays` changes due 1.5 s apart.
2. `--changes` changes due at the same moment, 2 workers, TalkAdmin's budget and the
   sandbox both at `--rate` calls a minute: every change made once, and the time from the due
   moment to the last one made, against the floor (the calls they made, a minute's worth at
   once and the rest at the rate).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Discard, cell, configure_django, format_table, median, percentile
from bench.worker import stop_workers, wait_for_workers

BENCH_DATABASE = "talkadmin_bench_schedule"
IVR_PATH = "/api/v2/channels/voice/ivr/"
BASE_DIR = Path(__file__).resolve().parent.parent


def start_workers(count: int, *, log: Path) -> list[subprocess.Popen]:
    """Workers as production runs them, on this benchmark's database and sandbox (the
    environment configure_django and main() set)."""
    env = {**os.environ, "LOG_LEVEL": "WARNING"}
    command = [sys.executable, "manage.py", "db_worker", "-v", "0", "--interval", "1"]
    with log.open("a") as output:
        return [
            subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=output, stderr=output)
            for _ in range(count)
        ]


def make_ivrs(client, count: int) -> list[int]:
    """`count` lint-clean IVRs: a main menu whose every key goes to one group."""
    from talk.recording import recording_calls

    group = next(g.id for g in client.list_groups() if not g.raw.get("deleted"))
    made = []
    with recording_calls(Discard()):
        for n in range(count):
            ivr = client.create_ivr(name=f"Scheduled line {n:03d}")
            client.create_route(
                ivr.id,
                ivr.menus[0].id,
                keypress="default",
                action="group",
                options={"group_ids": [group]},
            )
            made.append(ivr.id)
    return made


def schedule_renames(ivr_ids: list[int], due: list[datetime], user) -> list[int]:
    from audit.actor import Actor
    from changes.services.schedules import schedule_publish
    from ivr.engine.edit import rename_ivr
    from ivr.services import edit_draft, open_draft

    actor = Actor.for_user(user)
    changes = []
    for ivr_id, when in zip(ivr_ids, due, strict=True):
        draft = open_draft(ivr_id=ivr_id, actor=actor)
        draft = edit_draft(
            draft=draft,
            edit=partial(rename_ivr, name=f"Renamed {ivr_id}"),
            actor=actor,
            expected_version=draft.version,
        )
        changes.append(
            schedule_publish(draft=draft, actor=actor, reason="Benchmark", run_at=when).pk
        )
    return changes


def wait_until_made(change_ids: list[int], *, seconds: float) -> float:
    from changes.models import ScheduledChange

    deadline = time.monotonic() + seconds
    pending = ScheduledChange.objects.filter(pk__in=change_ids).exclude(state="done")
    while pending.exists():
        if time.monotonic() > deadline:
            states = Counter(pending.values_list("state", flat=True))
            sys.exit(f"Not all changes were made within {seconds:.0f} s: {dict(states)}")
        time.sleep(0.1)
    return time.time()


def first_calls(sandbox, ivr_ids: list[int], since: float) -> dict[int, float]:
    firsts: dict[int, float] = {}
    for request in sandbox.requests():
        if request["at"] < since or not request["path"].startswith(IVR_PATH):
            continue
        ivr_id = int(request["path"][len(IVR_PATH) :].split("/")[0].removesuffix(".json"))
        if ivr_id in ivr_ids:
            firsts[ivr_id] = min(firsts.get(ivr_id, request["at"]), request["at"])
    return firsts


def writes_per_ivr(sandbox, ivr_ids: list[int], since: float) -> Counter:
    return Counter(
        int(r["path"][len(IVR_PATH) :].split("/")[0].removesuffix(".json"))
        for r in sandbox.requests()
        if r["at"] >= since and r["method"] != "GET" and r["path"].startswith(IVR_PATH)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--changes", type=int, default=200, help="changes due at one moment")
    parser.add_argument("--delays", type=int, default=20, help="changes for the delay figure")
    parser.add_argument("--rate", type=int, default=300, help="Talk API calls a minute")
    options = parser.parse_args()
    from sandbox.process import start_sandbox

    sandbox = start_sandbox(env={**os.environ, "SANDBOX_RATE_LIMIT_PER_MINUTE": ""})
    os.environ.update(
        TALK_BASE_URL=sandbox.base_url,
        TALK_EMAIL=sandbox.email,
        TALK_API_TOKEN=sandbox.api_token,
        TALK_RATE_LIMIT_PER_MINUTE="1000000",
        # This process's own set-up calls are kept out of the workers' shared budget.
        TALK_RATE_BUDGET_STORE="cache",
        WEB_CONCURRENCY="1",
    )
    scratch = Path(tempfile.mkdtemp(prefix="talkadmin-bench-schedule-"))
    try:
        configure_django(BENCH_DATABASE, recreate=True)
        import talk
        from audit.actor import Actor
        from core.roles import EDITOR
        from talkadmin.accounts import create_user

        user = create_user(
            username="bench",
            password="bench-password-123",  # noqa: S106
            role=EDITOR,
            display_name="Bench Editor",
            actor=Actor.system("bench/schedule.py"),
        )
        client = talk.get_client()
        ivrs = make_ivrs(client, options.delays + options.changes)
        delay_ivrs, burst_ivrs = ivrs[: options.delays], ivrs[options.delays :]

        # 1. One idle worker, changes due one after another.
        start = datetime.now(tz=UTC) + timedelta(seconds=5 + options.delays * 0.3)
        due = [start + timedelta(seconds=1.5 * n) for n in range(options.delays)]
        began = time.monotonic()
        delay_changes = schedule_renames(delay_ivrs, due, user)
        per_change = (time.monotonic() - began) / max(1, options.delays)
        workers = start_workers(1, log=scratch / "workers.log")
        try:
            wait_for_workers(1)
            wait_until_made(delay_changes, seconds=120 + options.delays * 2)
        finally:
            stop_workers(workers)
        firsts = first_calls(sandbox, delay_ivrs, start.timestamp() - 1)
        delays = [firsts[i] - when.timestamp() for i, when in zip(delay_ivrs, due, strict=True)]

        # 2. A burst across 2 workers, at the rate limit (set once they are all scheduled).
        # Due once they are all scheduled and the sandbox's minute of set-up calls is over.
        planned = 65 + per_change * options.changes * 1.5
        moment = datetime.now(tz=UTC) + timedelta(seconds=planned)
        burst_changes = schedule_renames(burst_ivrs, [moment] * len(burst_ivrs), user)
        if datetime.now(tz=UTC) > moment - timedelta(seconds=5):
            sys.exit("Scheduling took longer than planned: run with fewer --changes.")
        sandbox.set_faults({"rate_limit_per_minute": options.rate})
        os.environ.update(
            TALK_RATE_LIMIT_PER_MINUTE=str(options.rate), TALK_RATE_BUDGET_STORE="database"
        )
        os.environ.pop("WEB_CONCURRENCY")
        workers = start_workers(2, log=scratch / "workers.log")
        try:
            wait_for_workers(2)
            done = wait_until_made(burst_changes, seconds=600 + options.changes * 3)
        finally:
            stop_workers(workers)
        since = moment.timestamp() - 1
        calls = [r for r in sandbox.requests() if r["at"] >= since]
        made = writes_per_ivr(sandbox, burst_ivrs, since)
        once = len(made) == len(burst_ivrs) and set(made.values()) == {1}
        # At most `rate` calls in any minute: the first minute's worth at once, the rest paced.
        floor = max(0, len(calls) - options.rate) / options.rate * 60
    finally:
        sandbox.stop()

    load = os.getloadavg()
    print(f"Scheduled changes (workers --interval 1 s); load {load[0]:.2f}")
    print()
    print(
        format_table(
            ["Due change, 1 idle worker", "changes", "median", "p95", "worst"],
            [
                [
                    "due time → first Talk API call (s)",
                    len(delays),
                    cell(median(delays), 2),
                    cell(percentile(delays, 0.95), 2),
                    cell(max(delays), 2),
                ]
            ],
        )
    )
    print()
    print(
        format_table(
            [
                "Changes due at one moment, 2 workers",
                "changes",
                "made once",
                "calls",
                "all made",
                "floor",
            ],
            [
                [
                    f"at {options.rate} calls a minute (s)",
                    len(burst_ivrs),
                    "yes" if once else f"NO ({sum(1 for v in made.values() if v > 1)} twice)",
                    len(calls),
                    cell(done - moment.timestamp(), 1),
                    cell(floor, 1),
                ]
            ],
        )
    )
    print()
    print(
        "floor: the calls the changes made at the rate limit (a minute's worth at once, the "
        "rest paced), with no other cost at all."
    )
    print(f"Worker logs: {scratch / 'workers.log'}")


if __name__ == "__main__":
    main()
