"""What Zendesk would count in a minute, with 1, 2 and 4 gunicorn workers, before and after the
shared rate budget (issue 24).

    .venv/bin/python bench/budget_workers.py [--workers 1,2,4] [--versions before,after]
                                             [--before-rev REV] [--sessions 8] [--limit 60]

The Talk sandbox runs as its own process with Zendesk's per-minute limit (--limit, answered 429
with Retry-After beyond it), and TalkAdmin's TALK_RATE_LIMIT_PER_MINUTE is the same
(--sandbox-limit 0: the sandbox accepts everything, to see what TalkAdmin itself sends). For each
version and number of workers, TalkAdmin is served by gunicorn (DEBUG off, the default cache:
per process) on its own database, talkadmin_bench_workers; --sessions signed-in sessions keep
reloading the IVR list (each visit reads the IVRs from Zendesk) for one whole minute of the
sandbox's clock. The table shows what the sandbox received in that minute (what Zendesk would
count against the account), how many of those it answered 429, and the most it received in any
60 seconds.

- after: this checkout (the budget in the database, shared by every worker);
- before: --before-rev, by default the commit before the shared budget, extracted with
  `git archive` into a temporary folder and served from there (each worker its own budget).

About 2 minutes per row (a minute of load, the wait for the sandbox's next minute, start-up).
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BASE_DIR, configure_django, database_url, format_table

BENCH_DATABASE = "talkadmin_bench_workers"
WINDOW = 60.0  # Zendesk's, and the only one the code before the change knows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", default="1,2,4", help="gunicorn workers, comma-separated")
    parser.add_argument("--versions", default="before,after", help="before, after or both")
    parser.add_argument("--before-rev", default="", help="the commit to measure as 'before'")
    parser.add_argument("--sessions", type=int, default=8, help="browsing sessions at once")
    parser.add_argument("--limit", type=int, default=60, help="requests a minute")
    parser.add_argument(
        "--sandbox-limit",
        type=int,
        default=None,
        help="the sandbox's own limit (default: --limit; 0: none, to see what TalkAdmin sends)",
    )
    options = parser.parse_args()
    workers = [int(count) for count in options.workers.split(",")]
    versions = [version.strip() for version in options.versions.split(",")]

    configure_django(BENCH_DATABASE, recreate=True)
    sandbox_limit = options.limit if options.sandbox_limit is None else options.sandbox_limit
    bench = Bench(limit=options.limit, sandbox_limit=sandbox_limit, sessions=options.sessions)
    rows = []
    try:
        bench.start(before_rev=options.before_rev if "before" in versions else None)
        for version in versions:
            for count in workers:
                print(f"Measuring {version} with {count} worker(s) ...", flush=True)
                rows.append(bench.minute(version=version, workers=count))
    finally:
        bench.stop()
    print(report(rows, limit=options.limit, sandbox_limit=sandbox_limit, before=bench.before_rev))


class Bench:
    def __init__(self, *, limit: int, sandbox_limit: int, sessions: int):
        self.limit, self.sandbox_limit, self.sessions = limit, sandbox_limit, sessions
        self.workdir = Path(tempfile.mkdtemp(prefix="talkadmin-bench-workers-"))
        self.sandbox = None
        self.sources: dict[str, Path] = {"after": BASE_DIR}
        self.before_rev = ""

    def start(self, *, before_rev: str | None) -> None:
        from sandbox.process import start_sandbox

        if before_rev is not None:
            self.before_rev = before_rev or commit_before_the_shared_budget()
            self.sources["before"] = extract(self.before_rev, self.workdir / "before")
        self.sandbox = start_sandbox()
        self.cookie = viewer_session()

    def stop(self) -> None:
        if self.sandbox is not None:
            self.sandbox.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def minute(self, *, version: str, workers: int) -> dict[str, Any]:
        """One minute of browsing against `version` served by `workers` workers."""
        from talk.budget_database import DatabaseBudgetStore
        from talkadmin.serving import serve_site, site_environment

        assert self.sandbox is not None
        self.sandbox.reset()  # also clears its faults and its counter
        faults = {
            "rate_limit_per_minute": self.sandbox_limit or None,
            "rate_limit_window_seconds": WINDOW,
        }
        self.sandbox.set_faults(faults)
        budget = DatabaseBudgetStore(account=self.sandbox.base_url)
        budget.clear(range(0))
        budget.close()
        env = site_environment(
            {
                "SECRET_KEY": os.environ["SECRET_KEY"],
                "DATABASE_URL": database_url(BENCH_DATABASE),
                "STATIC_ROOT": str(self.workdir / f"static-{version}"),
                "TALK_BASE_URL": self.sandbox.base_url,
                "TALK_EMAIL": self.sandbox.email,
                "TALK_API_TOKEN": self.sandbox.api_token,
                "TALK_RATE_LIMIT_PER_MINUTE": str(self.limit),
                "LOG_LEVEL": "WARNING",
            }
        )
        log = self.workdir / f"site-{version}-{workers}.log"
        collect = not (self.workdir / f"static-{version}").exists()  # once per version
        site = serve_site(
            env, log=log, workers=workers, collect=collect, source=self.sources[version]
        )
        try:
            time.sleep(WINDOW - time.time() % WINDOW + 0.05)  # the sandbox's minute begins
            began = time.time()
            self.sandbox.control("DELETE", "/sandbox/requests")
            pages = browse(f"{site.url}/ivrs/", self.cookie, sessions=self.sessions)
            received = [
                r for r in self.sandbox.requests() if began <= r["at"] < began + WINDOW - 0.05
            ]
        finally:
            site.stop()
        return {
            "version": version,
            "workers": workers,
            "received": len(received),
            "answered_429": sum(1 for r in received if r["status"] == 429),
            "most_in_60_s": most_in_any_window([r["at"] for r in received], WINDOW),
            "pages": pages,
        }


def browse(url: str, cookie: str, *, sessions: int) -> dict[str, int]:
    """`sessions` sessions reloading `url` for one window; the pages they got, by status."""
    statuses: dict[str, int] = {}
    lock = threading.Lock()
    deadline = time.time() + WINDOW - 0.05

    def session() -> None:
        while time.time() < deadline:
            request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
            try:
                with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310
                    status = str(answer.status)
            except urllib.error.HTTPError as error:
                status = str(error.code)
                time.sleep(0.05)
            except OSError:
                status = "no answer"
                time.sleep(0.2)
            with lock:
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=session) for _ in range(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def most_in_any_window(moments: list[float], window: float) -> int:
    moments = sorted(moments)
    most, first = 0, 0
    for last, moment in enumerate(moments):
        while moments[first] <= moment - window:
            first += 1
        most = max(most, last - first + 1)
    return most


def viewer_session() -> str:
    """A viewer's session, written to the benchmark's database as signing in would."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from core.roles import VIEWER

    user, _ = get_user_model().objects.get_or_create(username="bench-viewer")
    user.groups.add(Group.objects.get(name=VIEWER.name))
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


def commit_before_the_shared_budget() -> str:
    """The parent of the commit that brought the database budget store in."""
    added = git("log", "--diff-filter=A", "--format=%H", "--", "talk/budget_database.py")
    if not added:
        raise SystemExit("talk/budget_database.py is not in this history: pass --before-rev")
    return git("rev-parse", f"{added.split()[-1]}^")


def extract(rev: str, folder: Path) -> Path:
    """The tree of `rev`, as files in `folder` (git archive: the repository is not touched)."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", rev], cwd=BASE_DIR, capture_output=True, check=True
    ).stdout
    folder.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tree:
        tree.extractall(folder, filter="data")
    return folder


def git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=BASE_DIR, capture_output=True, text=True, check=True
    ).stdout.strip()


def report(rows: list[dict[str, Any]], *, limit: int, sandbox_limit: int, before: str) -> str:
    headers = [
        "version",
        "workers",
        "received in the minute",
        "answered 429",
        "most in any 60 s",
        "over the limit",
        "pages (status: count)",
    ]
    lines = [
        [
            row["version"],
            str(row["workers"]),
            str(row["received"]),
            str(row["answered_429"]),
            str(row["most_in_60_s"]),
            "yes" if row["most_in_60_s"] > limit else "no",
            ", ".join(f"{status}: {count}" for status, count in sorted(row["pages"].items())),
        ]
        for row in rows
    ]
    enforced = f"the sandbox's {sandbox_limit}" if sandbox_limit else "none at the sandbox"
    intro = f"Zendesk-side requests per minute: TALK_RATE_LIMIT_PER_MINUTE {limit}, {enforced}" + (
        f"; before = {before[:10]}" if before else ""
    )
    return f"\n{intro}\n\n" + format_table(headers, lines)


if __name__ == "__main__":
    main()
