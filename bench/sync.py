"""The synced copy's passes: Talk API calls and time of a full sync and of an incremental pass,
at the demo account, the bench's scaled account (500 numbers, 50 IVRs) and 5,000 numbers with
500 IVRs, against the sandbox served over real HTTP; and each pass's floor under Zendesk's rate
limits (calls / limit per minute: the least time the calls can take on that plan).

    .venv/bin/python bench/sync.py [--quick]      (--quick: the demo and 500 numbers only)
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import configure_django, format_table

PLANS = (("Team", 200), ("Enterprise", 700))


def _large_account(numbers: int, ivrs: int) -> dict:
    """The scaled account grown to `numbers` numbers and `ivrs` IVRs (copies of its own)."""
    from bench.scaled_account import scaled_account
    from sandbox.state import SandboxState

    state = SandboxState(scaled_account())
    template = next(iter(state.phone_numbers.values()))
    serial = 0
    while len(state.phone_numbers) < numbers:
        serial += 1
        number = json.loads(json.dumps(template))
        number["id"] = state.new_id()
        number["number"] = f"+1{200 + serial // 10000:03d}555{serial % 10000:04d}"
        number["display_number"] = number["number"]
        number["nickname"] = f"Bench line {serial:05d}"
        number["name"] = number["nickname"]
        number["ivr_id"] = None
        state.phone_numbers[number["id"]] = number
    index = 0
    while len(state.ivrs) < ivrs:
        index += 1
        ivr = state.add_ivr(f"Scaled line {index:03d}")
        menu = state.default_menu(ivr["id"])
        group = next(iter(state.groups))
        for key in "123":
            state.add_route(menu["id"], key, "group", {"group_ids": [group]})
    return state.to_json()


def _measure(label: str, account: dict | None) -> list[list[object]]:
    from django.conf import settings
    from django.core.cache import cache

    import talk
    from mirror.models import SyncedIvr, SyncedLookup, SyncedPhoneNumber, SyncPass
    from mirror.services import FULL, INCREMENTAL, run_pass
    from sandbox.process import start_sandbox

    state_file = None
    if account is not None:
        state_file = Path(tempfile.mkdtemp(prefix="bench-sync-")) / "state.json"
        state_file.write_text(json.dumps(account))
    sandbox = start_sandbox(state_file=state_file, save=False)
    try:
        settings.TALK_BASE_URL = sandbox.base_url
        settings.TALK_SUBDOMAIN = ""
        settings.TALK_EMAIL, settings.TALK_API_TOKEN = sandbox.email, sandbox.api_token
        settings.TALK_RATE_LIMIT_PER_MINUTE = 10**9
        settings.TALK_RATE_BUDGET_STORE = "cache"
        talk.reset_client()
        cache.clear()
        for model in (SyncPass, SyncedIvr, SyncedPhoneNumber, SyncedLookup):
            model.objects.all().delete()
        rows = []
        for kind in (FULL, INCREMENTAL):
            started = time.perf_counter()
            sync_pass = run_pass(kind)
            seconds = time.perf_counter() - started
            floors = [f"{sync_pass.calls / per_minute * 60:.0f} s" for _, per_minute in PLANS]
            rows.append(
                [
                    label,
                    kind,
                    SyncedPhoneNumber.objects.count(),
                    SyncedIvr.objects.count(),
                    sync_pass.calls,
                    f"{seconds:.1f} s",
                    *floors,
                ]
            )
        return rows
    finally:
        sandbox.stop()
        talk.reset_client()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    options = parser.parse_args()
    configure_django("talkadmin_bench_sync", recreate=True)
    from bench.scaled_account import scaled_account

    rows = _measure("demo", None)
    rows += _measure("scaled (500 numbers)", scaled_account())
    if not options.quick:
        rows += _measure("5,000 numbers, 500 IVRs", _large_account(5000, 500))
    headers = ["account", "pass", "numbers", "IVRs", "Talk calls", "time (0 ms latency)"]
    headers += [f"floor at {plan} {per}/min" for plan, per in PLANS]
    print(format_table(headers, rows))


if __name__ == "__main__":
    main()
