"""`make bench`: how fast TalkAdmin is against the floor the Talk API sets, in one run.

    .venv/bin/python bench/run.py [--latency-ms 100] [--runs 7] [--quick]

Set-up: the Talk sandbox as its own process holding a scaled-up demo account (see
bench/scaled_account.py), adding --latency-ms to every API request as a distant Zendesk would;
TalkAdmin served by gunicorn (2 workers, DEBUG off) on its own PostgreSQL database,
talkadmin_bench (created and migrated here; never the test or production database).

Figures, each measured in the same run as its floor (bench/floor.py: the fewest Talk API calls
the page needs, sent directly with `requests`, in parallel where they are independent):
- each main page, first visit (empty cache) and visited again: median and p95 of the HTTP
  request's wall time from a signed-in session, the Talk API calls it made (the sandbox's log),
  and the ratio of the median to the floor's median (target at most 1.3). A page that answers
  404 is "not built".
- a one-route edit and publish on a 10 x 12 IVR (through the services, as bench/ivr_publish.py):
  calls against the minimum (1 read for the conflict check + 1 write) and time against the floor.
- throughput of the IVR page with 20 concurrent clients (wrk), and its p95 under that load.
- with the sandbox limited to 100 requests a minute (and TalkAdmin's TALK_RATE_LIMIT_PER_MINUTE
  set to the same), a publish of 40 operations right after other work spent most of the
  minute's budget: no 429 reaches the admin, and the time is at most 1.1 x what the limit allows
  (or, when the budget left cannot take the whole plan, the publish is refused before its
  first write with how long to wait, and nothing is sent).

Prints a table and writes the same figures as JSON to bench/results/ (bench-<time>.json and
latest.json).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    BASE_DIR,
    cell,
    configure_django,
    database_url,
    format_table,
    median,
    percentile,
    ratio,
    write_results,
)

BENCH_DATABASE = "talkadmin_bench"
TARGET_RATIO = 1.3
RATE_LIMIT = 100  # requests a minute, the sandbox's and TalkAdmin's
RATE_LIMIT_TARGET = 1.1
RATE_LIMIT_SPENT = 70  # of the window's budget, spent just before the second publish
PUBLISH_OPERATIONS = 40
WRK = Path("/usr/bin/wrk")
WRK_CLIENTS = 20
THREADS = 8  # per gunicorn worker, for the second throughput figure
# wrk's own summary has no p95: this prints it (and p50, p90, p99) in microseconds.
WRK_SCRIPT = """
done = function(summary, latency, requests)
  for _, p in pairs({50, 90, 95, 99}) do
    io.write(string.format("percentile %d %d\\n", p, latency:percentile(p)))
  end
  io.write(string.format("completed %d errors %d\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout))
end
"""


@dataclass
class PageFigure:
    page: str
    visit: str  # "first visit" (empty cache) or "visited again"
    url: str
    built: bool = True
    status: int | None = None
    median_ms: float | None = None
    p95_ms: float | None = None
    calls: int | None = None
    repeated_calls: int | None = None  # the same read sent more than once
    floor_ms: float | None = None
    ratio: float | None = None
    site_cpu_ms: float | None = None  # CPU time the site's workers spent on it (median)
    samples_ms: list[float] = field(default_factory=list)
    floor_samples_ms: list[float] = field(default_factory=list)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--latency-ms", type=int, default=100, help="added to every API request")
    parser.add_argument("--runs", type=int, default=None, help="runs of each page (default 7)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="3 runs, 5 s of wrk, and the rate limit's window shortened to 20 s",
    )
    options = parser.parse_args()
    runs = options.runs or (3 if options.quick else 7)
    window = 20.0 if options.quick else 60.0

    configure_django(BENCH_DATABASE, recreate=True)
    bench = Bench(latency_ms=options.latency_ms, runs=runs, window=window, quick=options.quick)
    try:
        bench.start()
        figures = bench.measure()
    finally:
        bench.stop()
    print(report(figures))
    dated, latest = write_results(figures)
    print(f"\nFigures written to {dated.relative_to(BASE_DIR)} and {latest.relative_to(BASE_DIR)}")


class Bench:
    def __init__(self, *, latency_ms: int, runs: int, window: float, quick: bool):
        self.latency_ms, self.runs, self.window, self.quick = latency_ms, runs, window, quick
        self.workdir = Path(tempfile.mkdtemp(prefix="talkadmin-bench-"))
        self.cache_dir = self.workdir / "cache"
        self.cache_dir.mkdir()
        self.sandbox = None
        self.site = None

    # --- set-up ------------------------------------------------------------------------------
    def start(self) -> None:
        import json

        from bench.scaled_account import counts, scaled_account
        from sandbox.process import start_sandbox
        from talkadmin.serving import serve_site, site_environment

        account = scaled_account()
        self.account_counts = counts(account)
        state_file = self.workdir / "sandbox-state.json"
        state_file.write_text(json.dumps(account))
        print(f"Starting the sandbox ({self.account_counts}) and the site ...", flush=True)
        self.sandbox = start_sandbox(state_file=state_file, save=False)
        env = site_environment(
            {
                "SECRET_KEY": os.environ["SECRET_KEY"],
                "DATABASE_URL": database_url(BENCH_DATABASE),
                "STATIC_ROOT": str(self.workdir / "static"),
                "CACHE_URL": f"filecache://{self.cache_dir}",
                "TALK_BASE_URL": self.sandbox.base_url,
                "TALK_EMAIL": self.sandbox.email,
                "TALK_API_TOKEN": self.sandbox.api_token,
                "TALK_SANDBOX": "true",
                # The pages are measured against latency, not the rate limit (measured apart).
                "TALK_RATE_LIMIT_PER_MINUTE": "100000",
                "LOG_LEVEL": "WARNING",
            }
        )
        self.env = env
        self.site = serve_site(env, log=BASE_DIR / "bench" / "results" / "site.log", workers=2)
        self._configure_talk(rate_limit=10**9)
        self.cookie = self._session_cookie()

    def stop(self) -> None:
        if self.site is not None:
            self.site.stop()
        if self.sandbox is not None:
            self.sandbox.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def _configure_talk(self, *, rate_limit: int, window: float = 60.0) -> None:
        """This process's Talk client (the services the publishes run through)."""
        from django.conf import settings
        from django.core.cache import cache

        import talk

        settings.TALK_BASE_URL = self.sandbox.base_url
        settings.TALK_EMAIL, settings.TALK_API_TOKEN = self.sandbox.email, self.sandbox.api_token
        settings.TALK_RATE_LIMIT_PER_MINUTE = rate_limit
        settings.TALK_RATE_WINDOW_SECONDS = window
        cache.clear()
        talk.reset_client()

    def _session_cookie(self) -> str:
        """An editor's session, written to the database as signing in would."""
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.test import Client

        from core.roles import EDITOR

        self.user, _ = get_user_model().objects.get_or_create(
            username="bench-editor", defaults={"first_name": "Bench", "last_name": "Editor"}
        )
        self.user.groups.add(Group.objects.get(name=EDITOR.name))
        client = Client()
        client.force_login(self.user)
        name = settings.SESSION_COOKIE_NAME
        return f"{name}={client.cookies[name].value}"

    # --- measuring ---------------------------------------------------------------------------
    def measure(self) -> dict[str, Any]:
        from bench.floor import DirectApi
        from bench.scaled_account import (
            PAGE_IVR,
            PREVIEW_IVR,
            PUBLISH_IVR,
            RATE_LIMIT_IVR,
            SPENT_IVR,
        )
        from sandbox.state import SandboxState

        state = SandboxState(self._account())
        names = (PAGE_IVR, PUBLISH_IVR, RATE_LIMIT_IVR, SPENT_IVR, PREVIEW_IVR)
        ids = {name: state.ivr_named(name)["id"] for name in names}
        number_id = state.numbers_using(ids[PAGE_IVR])[0]["id"]
        self.api = DirectApi(self.sandbox.base_url, self.sandbox.email, self.sandbox.api_token)
        self.sandbox.set_faults({"latency_ms": self.latency_ms})
        started = datetime.now(UTC)
        load_before = os.getloadavg()
        self._draft_for_preview(ids[PREVIEW_IVR])
        pages = self.pages(ids[PAGE_IVR], number_id, preview_ivr_id=ids[PREVIEW_IVR])
        print("Publishing one route ...", flush=True)
        one_route = self.one_route_publish(ids[PUBLISH_IVR])
        print("Measuring throughput with wrk ...", flush=True)
        throughput = self.throughput(self.site.url, f"/ivrs/{ids[PAGE_IVR]}/")
        throughput_threaded = self.throughput_threaded(f"/ivrs/{ids[PAGE_IVR]}/")
        self._wait_until_quiet()  # wrk's last requests still being answered spend the budget
        print(f"Publishing {PUBLISH_OPERATIONS} operations under the rate limit ...", flush=True)
        rate_limited = [
            self.rate_limited_publish(ids[RATE_LIMIT_IVR], spent=0),
            self.rate_limited_publish(ids[SPENT_IVR], spent=RATE_LIMIT_SPENT),
        ]
        return {
            "started_at": started.isoformat(),
            "finished_at": datetime.now(UTC).isoformat(),
            "set_up": {
                "latency_ms": self.latency_ms,
                "runs": self.runs,
                "quick": self.quick,
                "gunicorn_workers": 2,
                "account": self.account_counts,
                "ivr_measured": PAGE_IVR,
                "load_average": {"before": load_before, "after": os.getloadavg()},
                "cpus": os.cpu_count(),
            },
            "pages": [asdict(figure) for figure in pages],
            "one_route_publish": one_route,
            "throughput": throughput,
            "throughput_threaded": throughput_threaded,
            "rate_limited_publish": rate_limited,
        }

    def _account(self) -> dict[str, Any]:
        from bench.scaled_account import scaled_account

        return scaled_account()

    def _draft_for_preview(self, ivr_id: int) -> None:
        """A draft of the measured IVR with one route changed, for the publish preview page."""
        from audit.actor import Actor
        from ivr.engine.destinations import QueueForGroups
        from ivr.engine.document import menu_key_for_id
        from ivr.engine.edit import update_route
        from ivr.services import edit_draft, open_draft

        live = self.api.ivr(ivr_id)
        menu = live["menus"][1]
        route = next(r for r in menu["routes"] if r["action"] == "group")
        other = next(
            g["id"]
            for g in self.api.groups()
            if g["id"] not in route["options"]["group_ids"] and not g.get("deleted")
        )
        actor = Actor.for_user(self.user)
        draft = open_draft(ivr_id=ivr_id, actor=actor)
        edit = partial(
            update_route,
            menu_key=menu_key_for_id(menu["id"]),
            keypress=route["keypress"],
            destination=QueueForGroups((other,)),
        )
        edit_draft(draft=draft, edit=edit, actor=actor, expected_version=draft.version)

    def pages(self, ivr_id: int, number_id: int, *, preview_ivr_id: int) -> list[PageFigure]:
        """The main pages; the IVR page's IVR has no draft, the preview's has one (one route)."""
        from bench import floor

        api = self.api
        pages: list[tuple[str, str, Callable[..., None] | None]] = [
            ("IVR list", "/ivrs/", partial(floor.ivr_list_floor, api)),
            ("IVR page (10 x 12)", f"/ivrs/{ivr_id}/", partial(floor.ivr_page_floor, api, ivr_id)),
            ("number list", "/numbers/", partial(floor.number_list_floor, api)),
            ("number page", f"/numbers/{number_id}/",
             partial(floor.number_page_floor, api, number_id)),
            ("audit list", "/audit/", None),
            ("publish preview", f"/ivrs/{preview_ivr_id}/publish/",
             partial(floor.publish_preview_floor, api, preview_ivr_id)),
        ]  # fmt: skip
        figures = []
        for name, url, floor_of in pages:
            for cold in (True, False):
                print(f"  {name}, {'first visit' if cold else 'visited again'} ...", flush=True)
                figures.append(self.page(name, url, floor_of, cold=cold))
        return figures

    def page(self, name: str, url: str, floor_of, *, cold: bool) -> PageFigure:
        import requests

        figure = PageFigure(name, "first visit" if cold else "visited again", url)
        http = requests.Session()
        http.headers["Cookie"] = self.cookie
        calls: Counter[int] = Counter()
        repeated = 0
        cpu = []
        for _ in range(self.runs):
            if cold:
                self._empty_site_cache()
            else:
                http.get(self.site.url + url, timeout=120)  # the visit this one follows
            self.sandbox.control("DELETE", "/sandbox/requests")
            cpu_before = cpu_seconds(self.site.process.pid)
            began = time.perf_counter()
            answer = http.get(self.site.url + url, timeout=120, allow_redirects=False)
            figure.samples_ms.append((time.perf_counter() - began) * 1000)
            cpu.append((cpu_seconds(self.site.process.pid) - cpu_before) * 1000)
            figure.status = answer.status_code
            if answer.status_code == 404:
                figure.built = False
                return figure
            received = self.sandbox.requests()
            calls[len(received)] += 1
            sent = Counter(
                (r["method"], r["path"], tuple(sorted(r["query"].items()))) for r in received
            )
            repeated = max(repeated, sum(count - 1 for count in sent.values()))
            if floor_of is not None:
                began = time.perf_counter()
                floor_of(cold=cold)
                figure.floor_samples_ms.append((time.perf_counter() - began) * 1000)
        figure.median_ms = median(figure.samples_ms)
        figure.p95_ms = percentile(figure.samples_ms, 0.95)
        figure.site_cpu_ms = median(cpu)
        figure.calls = calls.most_common(1)[0][0]
        figure.repeated_calls = repeated
        if floor_of is not None:
            figure.floor_ms = median(figure.floor_samples_ms)
            figure.ratio = ratio(figure.median_ms, figure.floor_ms)
        return figure

    def _empty_site_cache(self) -> None:
        for entry in self.cache_dir.iterdir():
            entry.unlink(missing_ok=True)

    # --- publishing --------------------------------------------------------------------------
    def one_route_publish(self, ivr_id: int) -> dict[str, Any]:
        """One route of a 10 x 12 IVR moved to another group and published (lookups cached)."""
        import talk
        from audit.actor import Actor
        from ivr.engine.destinations import QueueForGroups
        from ivr.engine.document import menu_key_for_id
        from ivr.engine.edit import update_route
        from ivr.services import edit_draft, open_draft, publish_draft

        client = talk.get_client()
        actor = Actor.for_user(self.user)
        groups = [g["id"] for g in self.api.groups() if not g.get("deleted")][:2]
        live = self.api.ivr(ivr_id)
        menu = live["menus"][3]
        route = next(r for r in menu["routes"] if r["keypress"] == "1")
        path = f"/api/v2/channels/voice/ivr/{ivr_id}/menus/{menu['id']}/routes/{route['id']}"
        times, floors, cpu, counts = [], [], [], Counter()
        for _ in range(self.runs):
            now = self._route(ivr_id, menu["id"], "1")["options"]["group_ids"]
            group = next(g for g in groups if g not in now)
            draft = open_draft(ivr_id=ivr_id, actor=actor)
            edit = partial(
                update_route,
                menu_key=menu_key_for_id(menu["id"]),
                keypress="1",
                destination=QueueForGroups((group,)),
            )
            draft = edit_draft(draft=draft, edit=edit, actor=actor, expected_version=draft.version)
            client.load_lookups("groups", "greetings", "lines")  # an editor's page loaded them
            self.sandbox.control("DELETE", "/sandbox/requests")
            began, cpu_began = time.perf_counter(), time.process_time()
            result = publish_draft(draft=draft, actor=actor, reason="Benchmark: one route")
            times.append((time.perf_counter() - began) * 1000)
            cpu.append((time.process_time() - cpu_began) * 1000)
            if result.outcome != "applied":
                raise SystemExit(f"The one-route publish did not apply: {result.message}")
            received = self.sandbox.requests()
            reads = sum(1 for r in received if r["method"] == "GET")
            counts[(reads, len(received) - reads)] += 1
            # The floor: read the IVR (the conflict check), then write the route back.
            other = next(g for g in groups if g != group)
            began = time.perf_counter()
            self.api.ivr(ivr_id)
            self.api.put(
                path, {"ivr_route": {"action": "group", "options": {"group_ids": [other]}}}
            )
            floors.append((time.perf_counter() - began) * 1000)
        (reads, writes), _ = counts.most_common(1)[0]
        return {
            "reads": reads,
            "writes": writes,
            "minimum_reads": 1,
            "minimum_writes": 1,
            "varied": len(counts) > 1,
            "median_ms": median(times),
            "p95_ms": percentile(times, 0.95),
            "cpu_ms": median(cpu),
            "floor_ms": median(floors),
            "ratio": ratio(median(times), median(floors)),
            "samples_ms": times,
        }

    def _route(self, ivr_id: int, menu_id: int, keypress: str) -> dict[str, Any]:
        menu = next(m for m in self.api.ivr(ivr_id)["menus"] if m["id"] == menu_id)
        return next(r for r in menu["routes"] if r["keypress"] == keypress)

    def rate_limited_publish(self, ivr_id: int, *, spent: int) -> dict[str, Any]:
        """A publish of 40 route changes, after other work spent `spent` of the minute's calls.

        Both the sandbox and TalkAdmin (this process's client, which the services use) allow
        RATE_LIMIT requests per window. What the limit allows is simulated from the requests
        the sandbox received: the publish's calls, one after another as it sends them, each
        taking as long as the same call sent again directly takes, and none sent while
        RATE_LIMIT others were sent in the window before it. A publish that stopped part-way
        is compared with the time all its writes would have been allowed (the writes it did not
        send counted at the median write's time).
        """
        from concurrent.futures import ThreadPoolExecutor

        import talk
        from audit.actor import Actor
        from ivr.engine.destinations import QueueForGroups
        from ivr.engine.document import menu_key_for_id
        from ivr.engine.edit import update_route
        from ivr.services import edit_draft, open_draft, publish_draft

        self._configure_talk(rate_limit=RATE_LIMIT, window=self.window)
        self.sandbox.set_faults(
            {
                "latency_ms": self.latency_ms,
                "rate_limit_per_minute": RATE_LIMIT,
                "rate_limit_window_seconds": self.window,
            }
        )
        client = talk.get_client()
        actor = Actor.for_user(self.user)
        live = self.api.ivr(ivr_id)
        groups = [g["id"] for g in self.api.groups() if not g.get("deleted")]
        draft = open_draft(ivr_id=ivr_id, actor=actor)
        changed = 0
        for menu in live["menus"]:
            for route in menu["routes"]:
                if changed == PUBLISH_OPERATIONS or route["action"] != "group":
                    continue
                now = route["options"]["group_ids"][0]
                other = next(g for g in groups if g != now)
                edit = partial(
                    update_route,
                    menu_key=menu_key_for_id(menu["id"]),
                    keypress=route["keypress"],
                    destination=QueueForGroups((other,)),
                )
                draft = edit_draft(
                    draft=draft, edit=edit, actor=actor, expected_version=draft.version
                )
                changed += 1
        if changed < PUBLISH_OPERATIONS:
            raise SystemExit(f"only {changed} group routes to change in {ivr_id}")
        self._wait_for_a_new_window()
        self.sandbox.control("DELETE", "/sandbox/requests")
        with ThreadPoolExecutor(max_workers=10) as pool:  # pages read through TalkAdmin
            list(pool.map(lambda _: client.get_ivr(ivr_id), range(spent)))
        before = self.sandbox.requests()
        began_at = time.time()
        began = time.perf_counter()
        result = publish_draft(draft=draft, actor=actor, reason="Benchmark: 40 operations")
        elapsed = time.perf_counter() - began
        received = self.sandbox.requests()[len(before) :]
        refused = sum(1 for r in self.sandbox.requests() if r["status"] == 429)
        self.sandbox.set_faults({"latency_ms": self.latency_ms})  # no limit for the replay
        durations = self._replay(received)
        writes = [d for d, call in zip(durations, received, strict=True) if call["method"] != "GET"]
        missing = changed - len(writes)  # a publish that stopped part-way: its writes not sent
        durations += [median(writes) if writes else self.latency_ms / 1000] * missing
        allowed = allowed_seconds(
            earlier=[r["at"] for r in before],
            durations=durations,
            began_at=began_at,
            limit=RATE_LIMIT,
            window=self.window,
        )
        self._configure_talk(rate_limit=10**9)
        return {
            "limit": RATE_LIMIT,
            "window_seconds": self.window,
            "spent_before": len(before),
            "operations": changed,
            "calls": len(received),
            "writes": len(writes),
            "writes_not_sent": missing,
            "outcome": result.outcome,
            "message": result.message,
            "answered_429": refused,
            "seconds": elapsed,
            "allowed_seconds": allowed,
            "ratio": elapsed / allowed,
            "direct_calls_seconds": sum(durations),
        }

    def _replay(self, received: list[dict[str, Any]]) -> list[float]:
        """Each call again, directly and one after another: how long each takes by itself.
        (The writes set what they already set, so the IVR stays as published.)"""
        durations = []
        for call in received:
            began = time.perf_counter()
            self.api.send(call["method"], call["path"], params=call["query"], body=call["body"])
            durations.append(time.perf_counter() - began)
        return durations

    def _wait_until_quiet(self) -> None:
        """Until the sandbox has received nothing for a while (the site has finished)."""
        quiet_for = 2 * self.latency_ms / 1000 + 1
        count, since = -1, time.monotonic()
        while time.monotonic() - since < quiet_for:
            now = len(self.sandbox.requests())
            if now != count:
                count, since = now, time.monotonic()
            time.sleep(0.2)

    def _wait_for_a_new_window(self) -> None:
        """Start right after the sandbox's window turns, so its count starts from nothing."""
        left = self.window - (time.time() % self.window)
        if left < self.window - 1:
            time.sleep(left + 0.05)

    # --- throughput --------------------------------------------------------------------------
    def throughput_threaded(self, url: str) -> dict[str, Any]:
        """The same with gunicorn's gthread workers (2 x THREADS): how much of the IVR page's
        time under load is a worker waiting for Zendesk."""
        from talkadmin.serving import serve_site

        log = BASE_DIR / "bench" / "results" / "site-threaded.log"
        site = serve_site(self.env, log=log, workers=2, threads=THREADS, collect=False)
        try:
            self._wait_until_quiet()
            return {"threads": THREADS, **self.throughput(site.url, url)}
        finally:
            site.stop()

    def throughput(self, site_url: str, url: str) -> dict[str, Any]:
        seconds = 5 if self.quick else 20
        if not WRK.exists():
            return {"error": f"{WRK} is missing (apt-get install wrk)"}
        script = self.workdir / "p95.lua"
        script.write_text(WRK_SCRIPT)
        import requests

        requests.get(site_url + url, headers={"Cookie": self.cookie}, timeout=120)
        self.sandbox.control("DELETE", "/sandbox/requests")
        command = [
            str(WRK), f"-t{4}", f"-c{WRK_CLIENTS}", f"-d{seconds}s", "--latency",
            "--timeout", "60s", "-s", str(script), "-H", f"Cookie: {self.cookie}",
            site_url + url,
        ]  # fmt: skip
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        calls = len(self.sandbox.requests())
        found = dict(re.findall(r"percentile (\d+) (\d+)", output))
        completed = re.search(r"completed (\d+) errors (\d+)", output)
        rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
        non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        return {
            "clients": WRK_CLIENTS,
            "seconds": seconds,
            "requests_per_second": float(rps.group(1)) if rps else None,
            "completed": int(completed.group(1)) if completed else None,
            "errors": int(completed.group(2)) if completed else None,
            "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
            "p50_ms": int(found["50"]) / 1000 if "50" in found else None,
            "p90_ms": int(found["90"]) / 1000 if "90" in found else None,
            "p95_ms": int(found["95"]) / 1000 if "95" in found else None,
            "p99_ms": int(found["99"]) / 1000 if "99" in found else None,
            "talk_calls_per_request": calls / int(completed.group(1)) if completed else None,
            "wrk_output": output,
        }


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by process `pid` and its children (gunicorn's
    master and its workers), from /proc: unlike wall time, about the same on a busy machine."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):  # itself, or its parent is pid
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def allowed_seconds(
    *, earlier: list[float], durations: list[float], began_at: float, limit: int, window: float
) -> float:
    """How soon calls sent one after another from `began_at` can finish, each taking its
    `durations` (seconds), when no call may be sent while `limit` others were sent in the
    `window` seconds before it; `earlier` are the times of the calls sent before (same budget)."""
    sent = sorted(earlier)
    moment = began_at
    for duration in durations:
        if len(sent) >= limit:
            moment = max(moment, sent[-limit] + window)
        sent.append(moment)
        moment += duration
    return moment - began_at


# --- The report ----------------------------------------------------------------------------------
def report(figures: dict[str, Any]) -> str:
    set_up = figures["set_up"]
    account = set_up["account"]
    lines = [
        "",
        f"TalkAdmin against the Talk API floor: sandbox adding {set_up['latency_ms']} ms to every "
        f"request; gunicorn {set_up['gunicorn_workers']} workers, DEBUG off, PostgreSQL.",
        f"Account: {account['ivrs']} IVRs ({account['big_ivrs']} of 10 menus x 12 routes), "
        f"{account['phone_numbers']} numbers ({account['numbers_with_an_ivr']} answering with an "
        f"IVR), {account['groups']} groups, {account['greetings']} greetings. "
        f"{set_up['runs']} runs of each page; times in ms. Load average "
        f"{set_up['load_average']['before'][0]:.1f} before, "
        f"{set_up['load_average']['after'][0]:.1f} after, on {set_up['cpus']} CPUs. "
        "CPU: the site's own CPU time for the request.",
        "",
    ]
    rows = []
    for page in figures["pages"]:
        if not page["built"]:
            rows.append([page["page"], page["visit"], "not built", "", "", "", "", "", "", ""])
            continue
        verdict = "" if page["ratio"] is None else (
            "ok" if page["ratio"] <= TARGET_RATIO else "OVER"
        )  # fmt: skip
        status = "" if page["status"] == 200 else f" (HTTP {page['status']})"
        rows.append([
            page["page"] + status, page["visit"], cell(page["median_ms"]), cell(page["p95_ms"]),
            cell(page.get("site_cpu_ms")), cell(page["calls"]), cell(page["repeated_calls"]),
            cell(page["floor_ms"]), cell(page["ratio"], 2), verdict,
        ])  # fmt: skip
    lines.append(
        format_table(
            [
                "page",
                "visit",
                "median",
                "p95",
                "CPU",
                "calls",
                "repeated",
                "floor",
                "ratio",
                "<=1.3",
            ],
            rows,
        )
    )
    one = figures["one_route_publish"]
    lines += [
        "",
        "One-route edit and publish on a 10 x 12 IVR (lookups cached):",
        f"  calls {one['reads']} reads + {one['writes']} writes (minimum "
        f"{one['minimum_reads']} + {one['minimum_writes']}); median {cell(one['median_ms'])} ms, "
        f"p95 {cell(one['p95_ms'])} ms (CPU {cell(one.get('cpu_ms'))} ms); "
        f"floor {cell(one['floor_ms'])} ms; "
        f"ratio {cell(one['ratio'], 2)}",
    ]
    for key, how in (("throughput", "2 sync workers, as specified"),
                     ("throughput_threaded", f"2 workers x {THREADS} threads")):  # fmt: skip
        load = figures.get(key)
        if load is None:
            continue
        lines += ["", f"IVR page under load (wrk, {WRK_CLIENTS} concurrent clients, {how}):"]
        if "error" in load:
            lines.append(f"  not measured: {load['error']}")
            continue
        lines.append(
            f"  {cell(load['requests_per_second'], 1)} requests/s over {load['seconds']} s; "
            f"p50 {cell(load['p50_ms'])} ms, p95 {cell(load['p95_ms'])} ms, p99 "
            f"{cell(load['p99_ms'])} ms; {load['completed']} answered, {load['errors']} errors, "
            f"{load['non_2xx']} not 2xx; {cell(load['talk_calls_per_request'], 1)} Talk calls "
            "per answer (with those of requests still running when wrk stopped)"
        )
    for limited in figures["rate_limited_publish"]:
        verdict = rate_limit_verdict(limited)
        missing = limited.get("writes_not_sent")
        unsent = f", {missing} not sent" if missing else ""
        lines += [
            "",
            f"Publish of {limited['operations']} operations, sandbox and TalkAdmin limited to "
            f"{limited['limit']} requests per {cell(limited['window_seconds'])} s, "
            f"{limited['spent_before']} spent just before:",
            f"  outcome {limited['outcome']}; {limited['calls']} calls ({limited['writes']} "
            f"writes{unsent}); 429 answers from the sandbox: {limited['answered_429']}; "
            f"{cell(limited['seconds'], 1)} s against {cell(limited['allowed_seconds'], 1)} s the "
            f"limit allows; ratio {cell(limited['ratio'], 2)} (target <= {RATE_LIMIT_TARGET}) "
            + verdict,
        ]
        if limited["outcome"] != "applied":
            lines.append(f"  the admin read: {limited['message'][-300:]}")
    return "\n".join(lines)


def rate_limit_verdict(limited: dict[str, Any]) -> str:
    """ok: applied within the target with no 429 shown; also ok: refused before the first
    write, nothing sent (the budget could not take the whole plan, and the admin is told how
    long to wait); OVER otherwise (slower than the limit allows, or stopped part-way)."""
    if limited["answered_429"] and limited["outcome"] != "applied":
        return "OVER"
    if limited["outcome"] == "applied":
        return "ok" if limited["ratio"] <= RATE_LIMIT_TARGET else "OVER"
    if limited["outcome"] == "over_budget" and limited["writes"] == 0:
        return "ok (refused up front, nothing sent)"
    return "OVER"


if __name__ == "__main__":
    main()
