"""The budget with several real processes (issue 24): the served site's two gunicorn workers
and a third process standing in for the background worker, all on the default settings (the
budget in the database), against the sandbox served as its own process with its own limit.

The test process keeps the site busy from several signed-in sessions while the third process
reads as fast as it may. What the sandbox received (what Zendesk would count) never exceeds
the limit in any window, and a 429 answered to one process pauses them all.
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from sandbox.process import RunningSandbox, start_sandbox, stop_process
from talkadmin.serving import ServedSite, serve_site, site_environment
from tests.browser.live_site import served_database_url
from tests.talk.budgets import most_in_any_window

BASE_DIR = Path(__file__).resolve().parents[2]
# The served processes use the test database (committed rows, made by the module's fixture).
pytestmark = pytest.mark.django_db
LIMIT, WINDOW = 30, 6.0  # requests per window, TalkAdmin's and the sandbox's
SESSIONS = 4  # browsing the site at once
LIST = "/api/v2/channels/voice/ivr"  # what the site's IVR list reads
PAUSE = 3  # seconds of the forced 429's Retry-After
# Requests counted before the pause was marked may still arrive this late on a loaded machine.
IN_FLIGHT = 1.0


@dataclass
class Installation:
    sandbox: RunningSandbox
    site: ServedSite
    worker: subprocess.Popen
    worker_path: str  # what the third process reads, told apart from the site's reads
    limits: dict
    pages: list[int]  # the status of each IVR list page the sessions got

    def received(self, since: float) -> list[dict]:
        return [r for r in self.sandbox.requests() if r["at"] >= since]


def _sign_in_a_viewer() -> tuple[object, str]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from core.roles import VIEWER
    from tests.conftest import ensure_role_groups

    ensure_role_groups()
    user = get_user_model().objects.create_user("budget-viewer", password=None)
    user.groups.add(Group.objects.get(name=VIEWER.name))
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return user, f"{name}={client.cookies[name].value}"


def _browse(url: str, cookie: str, stop: threading.Event, pages: list[int]) -> None:
    while not stop.is_set():
        request = urllib.request.Request(url, headers={"Cookie": cookie})
        try:
            with urllib.request.urlopen(request, timeout=30) as page:
                pages.append(page.status)
        except urllib.error.HTTPError as error:
            pages.append(error.code)  # 503 "try again": the budget is spent, as designed
            time.sleep(0.05)
        except OSError:
            time.sleep(0.2)


@pytest.fixture(scope="module")
def installation(django_db_setup, django_db_blocker) -> Iterator[Installation]:
    workdir = Path(tempfile.mkdtemp(prefix="talkadmin-budget-"))
    api_token = "budget-processes-token"
    limits = {"rate_limit_per_minute": LIMIT, "rate_limit_window_seconds": WINDOW}
    stop = threading.Event()
    with ExitStack() as started:
        sandbox = start_sandbox(env={**os.environ, "SANDBOX_API_TOKEN": api_token})
        started.callback(sandbox.stop)
        sandbox.set_faults(limits)
        state = sandbox.control("GET", "/sandbox/state")
        holiday = next(ivr["id"] for ivr in state["ivrs"] if ivr["name"] == "Holiday closure")
        env = site_environment(
            {
                "SECRET_KEY": settings.SECRET_KEY,  # the sessions made here are valid there
                "DATABASE_URL": served_database_url(),
                "STATIC_ROOT": str(workdir / "static"),
                "TALK_BASE_URL": sandbox.base_url,
                "TALK_EMAIL": sandbox.email,
                "TALK_API_TOKEN": api_token,
                "TALK_RATE_LIMIT_PER_MINUTE": str(LIMIT),
                "TALK_RATE_WINDOW_SECONDS": str(WINDOW),
                "TALK_MAX_WAIT_SECONDS": "1",
                "LOG_LEVEL": "WARNING",
            }
        )
        with django_db_blocker.unblock():
            user, cookie = _sign_in_a_viewer()
        started.callback(_forget, django_db_blocker, user, sandbox.base_url)
        site = serve_site(env, log=workdir / "site.log", workers=2)
        started.callback(site.stop)
        worker = subprocess.Popen(
            [sys.executable, "-m", "tests.talk.budget_worker", str(holiday)],
            cwd=BASE_DIR,
            env={**env, "DJANGO_SETTINGS_MODULE": "talkadmin.settings"},
            stdout=subprocess.PIPE,
            text=True,
        )
        started.callback(stop_process, worker, timeout=5)
        assert worker.stdout.readline().strip() == "ready"
        pages: list[int] = []
        for _ in range(SESSIONS):
            browser = threading.Thread(
                target=_browse, args=(f"{site.url}/ivrs/", cookie, stop, pages), daemon=True
            )
            browser.start()
            started.callback(browser.join, timeout=35)
        started.callback(stop.set)
        yield Installation(sandbox, site, worker, f"{LIST}/{holiday}", limits, pages)
    shutil.rmtree(workdir, ignore_errors=True)


def _forget(django_db_blocker, user, account: str) -> None:
    """The committed rows this module made: the viewer (and its session), the budget's."""
    from talk.budget_database import DatabaseBudgetStore

    with django_db_blocker.unblock():
        user.delete()
        store = DatabaseBudgetStore(account=account)
        store.clear(range(0))
        store.close()


def test_the_three_processes_together_stay_within_the_limit_in_every_window(installation):
    started = time.time()
    time.sleep(2 * WINDOW + 1)
    received = installation.received(started)

    assert [r["status"] for r in received if r["status"] == 429] == []
    per_window: dict[int, int] = {}
    for request in received:
        window = math.floor(request["at"] / WINDOW)
        per_window[window] = per_window.get(window, 0) + 1
    assert max(per_window.values()) <= LIMIT, per_window
    assert most_in_any_window([r["at"] for r in received], WINDOW) <= LIMIT
    paths = {r["path"] for r in received}
    assert {LIST, installation.worker_path} <= paths  # the site and the worker both spent
    assert len(received) >= LIMIT  # the budget was used, not idle
    # What the admins saw: the list, or "try again" (503) when the minute's budget was spent.
    assert set(installation.pages) <= {200, 503} and 200 in installation.pages


def test_a_429_answered_to_the_site_pauses_the_worker_too(installation):
    # Only the forced 429: the sandbox's own limit would pause each process by itself.
    forced = {"method": "GET", "path": LIST, "status": 429, "retry_after": PAUSE, "times": 1}
    installation.sandbox.set_faults({"forced": [forced]})
    deadline = time.time() + 3 * WINDOW
    refused = []
    while not refused and time.time() < deadline:
        time.sleep(0.2)
        refused = [r for r in installation.received(deadline - 3 * WINDOW) if r["status"] == 429]
    assert len(refused) == 1, "the site never read the IVR list"
    paused_at = refused[0]["at"]
    time.sleep(max(0.0, paused_at + PAUSE + 2 - time.time()))

    received = installation.received(paused_at)
    during = [r for r in received if paused_at + IN_FLIGHT < r["at"] < paused_at + PAUSE - 0.1]
    after = [r for r in received if r["at"] >= paused_at + PAUSE - 0.1]
    installation.sandbox.set_faults(installation.limits)
    assert during == []  # neither the other worker nor the background process sent anything
    assert {r["path"] for r in after} >= {LIST, installation.worker_path}  # all resumed
    assert any(r["path"] == LIST and r["status"] == 200 for r in after)  # the retry went
