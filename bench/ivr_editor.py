"""What editing an IVR in place costs: Talk API calls and server time per step of the editor.

    .venv/bin/python bench/ivr_editor.py [--runs 7] [--latency-ms 100]

Builds an IVR of 10 menus x 12 routes in the sandbox served as its own process (as
bench/ivr_publish.py does), adds `--latency-ms` to every request, then drives the editor's
views as an editor's browser does (htmx requests through Django's test client: sessions, CSRF
off, templates rendered) and prints, per step, the Talk API calls it made and its median time.
An edit reuses what the page was read from, so it should cost no Talk API call.

Uses the database talkadmin_bench_publish (see bench/ivr_publish.py), never the test or
production database.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.ivr_publish import BENCH_DATABASE, build_ivr, configure_django

HTMX = {"HX-Request": "true"}


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
        # Pages are rendered without `collectstatic`, as in the tests.
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        cache.clear()
        talk.reset_client()
        ivr_id, built = build_ivr(talk.get_client())
        served.set_faults({"latency_ms": options.latency_ms})
        rows = measure(served, ivr_id, built, options.runs)
    finally:
        served.stop()
    print(
        f"IVR of 10 menus x 12 routes; sandbox served with {options.latency_ms} ms added to "
        f"every request; median of {options.runs} runs.\n"
    )
    header = f"{'step':<52} {'Talk calls':>10} {'ms':>7}"
    print(header)
    print("-" * len(header))
    for name, calls, milliseconds in rows:
        print(f"{name:<52} {calls:>10} {milliseconds:>7.0f}")


def measure(served, ivr_id: int, built: dict, runs: int) -> list[tuple[str, int, float]]:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from audit.actor import Actor
    from core.roles import EDITOR
    from ivr.engine.document import menu_key_for_id
    from ivr.models import Draft
    from talkadmin.accounts import create_user

    user = get_user_model().objects.filter(username="bench-editor").first() or create_user(
        username="bench-editor",
        password=secrets.token_urlsafe(24),  # nobody signs in: the client logs in directly
        role=EDITOR,
        display_name="Bench Editor",
        actor=Actor.system("benchmark set-up"),
    )
    client = Client()
    client.force_login(user)
    Draft.objects.filter(ivr_id=ivr_id).delete()
    client.post(reverse("ivr:draft_open", args=[ivr_id]))
    menu = menu_key_for_id(built["menus"][3])
    group = str(built["groups"][0])

    def version() -> int:
        return Draft.objects.get(ivr_id=ivr_id).version

    def edit(run: int):
        # Alternate between two destinations so every run is a real change.
        data = {"version": version(), "keypress": "5", "action": "group"}
        data["group_ids"] = [group] if run % 2 else [str(built["groups"][1])]
        return client.post(
            reverse("ivr:route_change", args=[ivr_id, menu, "5"]), data, headers=HTMX
        )

    steps = [
        ("IVR page with the draft, first visit", True, lambda run: client.get(_page(ivr_id))),
        ("IVR page with the draft, visited again", False, lambda run: client.get(_page(ivr_id))),
        (
            "open the route form in place",
            False,
            lambda run: client.get(
                reverse("ivr:route_change", args=[ivr_id, menu, "5"]), headers=HTMX
            ),
        ),
        ("save a route change (tree, checks, keypad swapped)", False, edit),
        (
            "check an outside number as it is typed",
            False,
            lambda run: client.get(
                reverse("ivr:check_number", args=[ivr_id]),
                {"phone_number": "+1 415 555 0123"},
                headers=HTMX,
            ),
        ),
        ("publish page (preview, before/after)", False, lambda run: client.get(_publish(ivr_id))),
    ]
    from django.core.cache import cache

    rows = []
    for name, cold, step in steps:
        samples, calls = [], 0
        for run in range(runs):
            if cold:
                cache.clear()
            else:
                client.get(_page(ivr_id))  # what the step follows: the page, already visited
            served.control("DELETE", "/sandbox/requests")
            started = time.perf_counter()
            response = step(run)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (name, response.status_code)
            calls = len(served.requests())
        rows.append((name, calls, statistics.median(samples)))
    return rows


def _page(ivr_id: int) -> str:
    from django.urls import reverse

    return reverse("ivr:detail", args=[ivr_id])


def _publish(ivr_id: int) -> str:
    from django.urls import reverse

    return reverse("ivr:publish", args=[ivr_id])


if __name__ == "__main__":
    main()
