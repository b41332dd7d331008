"""Fault injection on the publish path: every call of a publish failed in turn, in every way.

    .venv/bin/python bench/publish_faults.py [--kinds 503,applied-500,...] [--no-kill]

Serves the Talk sandbox as its own process (real HTTP on the loopback) and publishes through the
real services, PostgreSQL and the Talk client. The draft (of the demo's "Main support line")
costs a publish of 13 calls: the IVR, its lookups (greetings, groups, lines, read in parallel),
the settings of its two numbers, then 7 writes: a new menu "Promotions", two keys in it, a key
of "Orders & billing" changed and one deleted, "Technical support" renamed, and key 5 of the
first menu into the new menu. For each fault kind and each call position, from the same demo
account, the sandbox fails that call that way once; the draft is published, then published
again with the faults gone, and the trial holds when:

- draft: kept after a publish that did not finish, closed after one that did;
- ledger: the change set's outcome fits its API-call rows (applied, failed: no write went
  through, partly applied: some did), every write the sandbox received is in the ledger (its
  retries counted as attempts), and nothing was sent when a read failed for good;
- chain: the audit log's hash chain is intact (as `manage.py audit_verify` checks it);
- converges: publishing again succeeds and Zendesk then holds what a publish without faults
  gives;
- no duplicates: no two menus of one name, no create made twice (one Zendesk refused before
  acting may be sent again).

Fault kinds: before Zendesk acts (503, timeout, drop: the connection closed unanswered, 429
with a Retry-After too long to wait, 422), "applied, answer lost" (applied-500, applied-timeout,
applied-drop), and "killed": the worker publishing is SIGKILLed while Zendesk carries out that
write (a child process, killed once the call is on its way; its claim is then released as an
editor would, and the draft published again). Prints a table of kinds x positions (✓ held,
✗ failed, - not applicable) and what failed, under it. Uses its own database,
talkadmin_bench_faults (dropped and created again on each run).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BASE_DIR, configure_django, format_table

BENCH_DATABASE = "talkadmin_bench_faults"
MAIN_LINE = "Main support line"
READ_TIMEOUT = 1.0  # the client's, so a hang past it costs a second, not half a minute
HANG_SECONDS = 1.5  # a forced timeout hangs past the read timeout ...
KILL_HANG_SECONDS = 3.0  # ... and past the moment the killed worker dies
MAX_WAIT = 1.0  # TALK_MAX_WAIT_SECONDS: a 429 asking for more is not waited out
LOST = (0, 500, 504)  # how the sandbox logs an answer lost (0: the connection dropped)
KINDS = (
    "503", "timeout", "drop", "429", "422",
    "applied-500", "applied-timeout", "applied-drop", "killed",
)  # fmt: skip


def forced_rule(kind: str, position: int) -> dict[str, Any]:
    """The sandbox's forced answer that fails request number `position` (from 0) `kind`'s way."""
    rule: dict[str, Any] = {"method": "*", "path": "*", "times": 1, "skip": position}
    applied = kind.startswith("applied-") or kind == "killed"
    what = kind.removeprefix("applied-")
    rule["after_applying"] = applied
    if what in ("timeout", "killed"):
        hang = KILL_HANG_SECONDS if kind == "killed" else HANG_SECONDS
        rule.update(status=None, timeout=True, hang_seconds=hang)
    elif what == "drop":
        rule.update(status=None, drop=True)
    elif what == "429":
        rule.update(status=429, retry_after=int(MAX_WAIT) + 2)
    else:
        rule["status"] = int(what)
    return rule


# --- The draft and what Zendesk should hold -----------------------------------------------------


def make_draft(actor) -> Any:
    import talk
    from ivr.engine.destinations import GoToMenu, QueueForGroups
    from ivr.engine.document import IvrDocument, menu_key_for_id, new_menu_key
    from ivr.engine.edit import add_menu, add_route, delete_route, rename_menu, update_route
    from ivr.services import edit_draft, open_draft

    client = talk.get_client()
    ivr = next(i for i in client.list_ivrs() if i.name == MAIN_LINE)
    live = IvrDocument.from_zendesk(client.get_ivr(ivr.raw["id"]).raw)
    groups = {g.name: g.id for g in client.list_groups()}
    menus = {menu.name: menu.key for menu in live.menus}
    key = new_menu_key()
    sales = QueueForGroups((groups["Sales"],))
    billing = QueueForGroups((groups["Billing"],))
    edits = [
        partial(add_menu, name="Promotions", key=key),
        partial(add_route, menu_key=key, keypress="default", destination=sales),
        partial(add_route, menu_key=key, keypress="1", destination=billing),
        partial(update_route, menu_key=menus["Orders & billing"], keypress="2", destination=sales),
        partial(delete_route, menu_key=menus["Orders & billing"], keypress="3"),
        partial(rename_menu, menu_key=menus["Technical support"], name="Tech help"),
        partial(add_route, menu_key=menu_key_for_id(live.default_menu.id), keypress="5",
                destination=GoToMenu(key)),
    ]  # fmt: skip
    draft = open_draft(ivr_id=ivr.raw["id"], actor=actor)
    for edit in edits:
        draft = edit_draft(draft=draft, edit=edit, actor=actor, expected_version=draft.version)
    return draft


def what_callers_get(ivr_json: dict[str, Any]) -> dict[str, Any]:
    """The IVR as callers experience it, menus by name (ids are Zendesk's choice)."""
    names = {menu["id"]: menu["name"] for menu in ivr_json["menus"]}

    def route(r: dict[str, Any]) -> tuple[str, str, str]:
        options = dict(r.get("options") or {})
        if "menu_id" in options:
            options["menu_id"] = names.get(options["menu_id"], "?")
        if not options.get("tags"):
            options.pop("tags", None)
        return (r["keypress"], r["action"], json.dumps(options, sort_keys=True))

    menus = sorted(
        (m["name"], str(m.get("greeting_id")), sorted(route(r) for r in m.get("routes") or []))
        for m in ivr_json["menus"]
    )
    return {"name": ivr_json["name"], "menus": menus}


# --- One trial ------------------------------------------------------------------------------


@dataclass
class Trial:
    kind: str
    position: int
    problems: list[str] = field(default_factory=list)

    def check(self, held: bool, problem: str) -> None:
        if not held:
            self.problems.append(problem)


@dataclass
class Golden:
    calls: list[tuple[str, str]]  # (method, path) of each request of a fault-free publish
    holds: dict[str, Any]  # what callers get afterwards
    writes: int

    def label(self, position: int) -> str:
        method, path = self.calls[position]
        tail = path.removeprefix("/api/v2/channels/voice").removeprefix("/api/v2")
        parts = [p for p in tail.split("/") if p and not p.isdigit()]
        return f"{method} {'/'.join(parts[-2:])}"

    def is_write(self, position: int) -> bool:
        return self.calls[position][0] != "GET"

    def writes_before(self, position: int) -> int:
        return sum(1 for method, _ in self.calls[:position] if method != "GET")


class Bench:
    def __init__(self, served) -> None:
        from audit.actor import Actor

        self.served = served
        self.actor = Actor.system("bench/publish_faults.py")

    def fresh(self):
        """The demo account, no faults, an empty cache (lookups and rate pauses), a new draft."""
        from django.core.cache import cache

        from ivr.models import Draft

        self.served.reset()
        Draft.objects.all().delete()
        cache.clear()
        draft = make_draft(self.actor)
        cache.clear()  # the publish reads its lookups itself
        self.served.control("DELETE", "/sandbox/requests")
        return draft

    def ivr_json(self) -> dict[str, Any]:
        import talk

        ivrs = [i for i in talk.get_client().list_ivrs() if i.name == MAIN_LINE]
        return talk.get_client().get_ivr(ivrs[0].raw["id"]).raw

    def golden(self) -> Golden:
        from ivr.services import publish_draft

        draft = self.fresh()
        result = publish_draft(draft=draft, actor=self.actor, reason="Fault-free run")
        assert result.outcome == "applied", result.message
        calls = [(r["method"], r["path"]) for r in self.served.requests()]
        holds = what_callers_get(self.ivr_json())
        return Golden(calls=calls, holds=holds, writes=len(result.applied))

    def run(self, kind: str, position: int, golden: Golden) -> Trial:
        from audit.models import ChangeSet

        trial = Trial(kind, position)
        draft = self.fresh()
        first_change_set = (
            ChangeSet.objects.order_by("-id").values_list("id", flat=True).first()
        ) or 0
        if kind == "killed":
            first = self.killed(draft, position, golden, trial)
        else:
            first = self.publish_with_fault(draft, kind, position, trial)
        self.served.set_faults({})
        hang = forced_rule(kind, position).get("hang_seconds")
        if hang and (kind == "killed" or golden.is_write(position) or "timeout" in kind):
            time.sleep(hang)  # the sandbox answers a hung request only then: let it finish
        self.check_first(trial, first, draft, first_change_set, kind, position, golden)
        self.publish_again(trial, golden, first_change_set)
        return trial

    def publish_with_fault(self, draft, kind: str, position: int, trial: Trial):
        from ivr.services import publish_draft
        from talk.errors import TalkError

        self.served.set_faults({"forced": [forced_rule(kind, position)]})
        try:
            return publish_draft(draft=draft, actor=self.actor, reason="Fault trial")
        except TalkError as error:  # a read failed before anything was sent
            return error

    def killed(self, draft, position: int, golden: Golden, trial: Trial):
        """Publish in a child process and SIGKILL it while Zendesk carries out write `position`."""
        from datetime import datetime

        from django.utils import timezone

        from audit.models import ApiCall, ChangeSet
        from ivr.models import Draft
        from ivr.services import release_publish_claim

        self.served.set_faults({"forced": [forced_rule("killed", position)]})
        env = {**os.environ, "BENCH_CHILD_SANDBOX": self.served.base_url}
        child = subprocess.Popen(  # this script, with this interpreter
            [sys.executable, __file__, "--child", str(draft.pk)], cwd=BASE_DIR, env=env
        )
        before = golden.writes_before(position)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and child.poll() is None:
            newest = ChangeSet.objects.order_by("-id").first()
            if newest is not None and newest.action == "publish_ivr":
                written = ApiCall.objects.filter(change_set=newest).exclude(method="GET").count()
                if written == before:
                    time.sleep(0.5)  # write `position` is on its way, hanging after being made
                    break
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        child.wait()
        row = Draft.objects.get(pk=draft.pk)
        trial.check(row.publishing_since is not None, "the killed publish left no claim")
        if row.publishing_since is None:
            return None
        since: datetime = row.publishing_since - timedelta(minutes=3)  # as if 3 minutes passed
        Draft.objects.filter(pk=row.pk).update(publishing_since=since)
        self.served.set_faults({})
        release_publish_claim(
            ivr_id=row.ivr_id, since=since, actor=self.actor, reason="Its worker was killed"
        )
        trial.check(
            not Draft.objects.get(pk=row.pk).is_being_published(timezone.now()),
            "the claim was not released",
        )
        return "killed"

    def check_first(self, trial, first, draft, since_id, kind, position, golden) -> None:
        from audit.models import ApiCall, ChangeSet
        from ivr.models import Draft
        from talk.errors import TalkError

        kept = Draft.objects.filter(pk=draft.pk).first()
        publishes = ChangeSet.objects.filter(id__gt=since_id, action="publish_ivr")
        writes = [r for r in self.served.requests() if r["method"] != "GET"]
        ledger = ApiCall.objects.filter(change_set__in=publishes).exclude(method="GET")
        if isinstance(first, TalkError):
            trial.check(kept is not None and kept.version == draft.version, "draft not kept as is")
            trial.check(not publishes.exists() and not writes, "something was sent")
            return
        if first == "killed" or first is None:
            trial.check(kept is not None, "draft lost")
            return
        trial.check(
            (kept is None) == first.succeeded,
            f"draft kept={kept is not None} after {first.outcome}",
        )
        change_set = first.change_set
        status = change_set.status if change_set is not None else None
        went_through = ledger.filter(status__gte=200, status__lt=300).exists() or (
            "TalkAdmin checked: it was made" in first.message
        )
        expected = {"applied": "applied", "failed": "failed", "partly_applied": "partly_applied"}
        trial.check(
            status == expected.get(first.outcome, status),
            f"change set {status}, publish {first.outcome}",
        )
        if status == "failed":
            trial.check(not went_through, "a failed change set with a write that went through")
        if status == "partly_applied":
            trial.check(went_through, "partly applied, but no write went through")
        trial.check(
            len(writes) == sum(call.attempts for call in ledger),
            f"{len(writes)} writes received, {sum(c.attempts for c in ledger)} in the ledger",
        )

    def publish_again(self, trial: Trial, golden: Golden, since_id: int) -> None:
        from django.core.cache import cache

        from audit.verify import verify_chain
        from ivr.models import Draft
        from ivr.services import publish_draft

        cache.clear()  # time passes: a 429's pause is over
        kept = Draft.objects.first()
        if kept is not None:
            again = publish_draft(draft=kept, actor=self.actor, reason="Publish again")
            trial.check(
                again.succeeded, f"publishing again: {again.outcome}: {again.message[:120]}"
            )
        holds = self.ivr_json()
        names = [menu["name"] for menu in holds["menus"]]
        trial.check(len(names) == len(set(names)), f"menus twice: {sorted(names)}")
        trial.check(what_callers_get(holds) == golden.holds, "Zendesk does not hold the draft")
        # A create refused before Zendesk acted may be sent again; one that was made, never.
        received = self.served.requests()
        applied = trial.kind.startswith("applied-") or trial.kind == "killed"
        faulted = next(
            (i for i, r in enumerate(received) if r["method"] != "GET" and r["status"] in LOST),
            None,
        )
        made = [
            (r["path"], json.dumps(r["body"], sort_keys=True))
            for index, r in enumerate(received)
            if r["method"] == "POST"
            and (200 <= r["status"] < 300 or (applied and index == faulted))
        ]
        trial.check(len(made) == len(set(made)), "a create was made twice")
        verdict = verify_chain()
        while not verdict.finished:
            verdict = verify_chain(
                after_position=verdict.last_position, previous_hash=verdict.last_hash
            )
        trial.check(verdict.intact, f"audit chain broken: {verdict.problem}")


# --- Running it -----------------------------------------------------------------------------


def point_talk_at(base_url: str, email: str, token: str) -> None:
    from django.conf import settings
    from django.core.cache import cache

    import talk

    settings.TALK_BASE_URL = base_url
    settings.TALK_SUBDOMAIN = ""
    settings.TALK_EMAIL, settings.TALK_API_TOKEN, settings.TALK_OAUTH_TOKEN = email, token, ""
    settings.TALK_RATE_LIMIT_PER_MINUTE = 10**9
    settings.TALK_READ_TIMEOUT = READ_TIMEOUT
    settings.TALK_MAX_WAIT_SECONDS = MAX_WAIT
    settings.TALK_RETRY_BACKOFF = 0.01
    cache.clear()
    talk.reset_client()


def child(draft_pk: int) -> None:
    """The worker that gets killed: publish the draft, waiting as long as Zendesk makes it."""
    configure_django(BENCH_DATABASE, migrate=False)
    from sandbox import DEFAULT_API_TOKEN, DEFAULT_EMAIL

    point_talk_at(os.environ["BENCH_CHILD_SANDBOX"], DEFAULT_EMAIL, DEFAULT_API_TOKEN)
    from django.conf import settings

    import talk

    settings.TALK_READ_TIMEOUT = 120.0  # waits, as a worker would, until it is killed
    talk.reset_client()
    from audit.actor import Actor
    from ivr.models import Draft
    from ivr.services import publish_draft

    publish_draft(
        draft=Draft.objects.get(pk=draft_pk),
        actor=Actor.system("bench/publish_faults.py"),
        reason="Fault trial (killed)",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated fault kinds")
    parser.add_argument("--no-kill", action="store_true", help="leave out the killed worker")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.child)
        return
    kinds = [k for k in options.kinds.split(",") if k and not (options.no_kill and k == "killed")]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        sys.exit(f"Unknown fault kinds {unknown}; known: {', '.join(KINDS)}")
    configure_django(BENCH_DATABASE, recreate=True)
    from sandbox.process import start_sandbox

    served = start_sandbox()
    started = time.monotonic()
    try:
        point_talk_at(served.base_url, served.email, served.api_token)
        bench = Bench(served)
        golden = bench.golden()
        trials = [
            bench.run(kind, position, golden)
            if kind != "killed" or golden.is_write(position)
            else None
            for kind in kinds
            for position in range(len(golden.calls))
        ]
    finally:
        served.stop()
    report(kinds, golden, trials, time.monotonic() - started)


def report(kinds: list[str], golden: Golden, trials: list[Trial | None], seconds: float) -> None:
    positions = range(len(golden.calls))
    headers = ["kind \\ call", *(str(p) for p in positions), "held"]
    rows, failures = [], []
    by_key = {(t.kind, t.position): t for t in trials if t is not None}
    for kind in kinds:
        cells, held, run = [], 0, 0
        for position in positions:
            trial = by_key.get((kind, position))
            if trial is None:
                cells.append("-")
                continue
            run += 1
            if trial.problems:
                cells.append("✗")
                failures.append(trial)
            else:
                cells.append("✓")
                held += 1
        rows.append([kind, *cells, f"{held}/{run}"])
    calls = f"{len(golden.calls)} calls ({golden.writes} writes)"
    print(f"Publish of {calls}, each call failed in turn:\n")
    for position in positions:
        print(f"  call {position:>2}: {golden.label(position)}")
    print()
    print(format_table(headers, rows))
    total = sum(1 for t in trials if t is not None)
    checks = total * 5
    print(
        f"\n{total - len(failures)} of {total} trials held ({checks} checks: draft, ledger, "
        f"chain, converges, no duplicates) in {seconds:.0f} s."
    )
    for trial in failures:
        print(f"✗ {trial.kind} at call {trial.position}: " + "; ".join(trial.problems))


if __name__ == "__main__":
    main()
