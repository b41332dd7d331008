"""Benchmark the audit log at scale: list pages, filters, deep pages, export, chain check.

    .venv/bin/python bench/audit_log.py [--change-sets 1000000] [--refill]

Fills a separate database (talkadmin_bench_audit on the server in DATABASE_URL; never the
test or production database) with change sets, about three API calls each (the write also on
record as sent before it), and their outcomes, hash-chained and signed exactly as TalkAdmin
writes them, loaded with COPY. A filled database
is reused on the next run unless --refill. Then prints the server time (PostgreSQL's planning
plus execution, from EXPLAIN ANALYZE) of the queries behind the review pages, the time of the
whole list view, the export's throughput and memory, and the chain check's speed.
"""

import argparse
import json
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DATABASE = "talkadmin_bench_audit"
sys.path.insert(0, str(BASE_DIR))

from bench.common import configure_django  # noqa: E402


def configure_pages(database: str, *, refill: bool) -> bool:
    """Django on the bench database (created when missing, or again with `refill`), migrated;
    True when it is empty and must be filled."""
    created = configure_django(database, recreate=refill)
    from django.conf import settings

    # Pages render without `collectstatic` having run.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    return created


# --- Realistic content ---------------------------------------------------------------------------
ACTIONS = [
    ("update_phone_number", "phone_number", 45),
    ("publish_ivr", "ivr", 35),
    ("assign_ivr", "ivr", 6),
    ("revert_ivr", "ivr", 3),
    ("create_ivr", "ivr", 2),
    ("provision_phone_number", "phone_number", 2),
    ("change_role", "user", 3),
    ("add_user", "user", 2),
    ("export_audit_log", "audit_log", 2),
]
REASONS = [
    "Billing moved to the Tier 2 team",
    "Legal asked for recording from 1 March",
    "Christmas opening hours",
    "GDPR audit follow-up",
    "New starter in the phone team",
    "Customer complaint about wait times",
    "",
]
GROUPS = {str(i): name for i, name in enumerate(["Tier 1", "Tier 2", "Billing", "Sales", "VIP"], 1)}


def phone_number_snapshot(number_id: int, rng: random.Random) -> dict:
    return {
        "id": number_id,
        "nickname": f"Line {number_id}",
        "display_number": f"+44 20 7946 {number_id % 10000:04d}",
        "recorded": rng.random() < 0.5,
        "transcription": rng.random() < 0.3,
        "group_ids": sorted(rng.sample(range(1, 6), rng.randint(1, 2))),
        "default_group_id": 1,
        "schedule_id": rng.choice([None, 7, 8]),
        "ivr_id": None,
        "settings": {
            "voicemail": rng.random() < 0.7,
            "maximum_queue_wait_time": rng.choice([2, 5, 10]),
            "wrap_up_time_limit": rng.choice([30, 60]),
            "overflow_number": {"enabled": False, "number": None},
        },
    }


def ivr_snapshot(ivr_id: int, rng: random.Random) -> dict:
    menus = []
    for menu in range(3):
        routes = [
            {
                "id": ivr_id * 100 + menu * 10 + key,
                "keypress": str(key),
                "action": "group",
                "options": {"group_ids": [rng.randint(1, 5)]},
            }
            for key in range(1, 5)
        ]
        menus.append({"id": ivr_id * 10 + menu, "name": f"Menu {menu}", "routes": routes})
    return {"id": ivr_id, "name": f"IVR {ivr_id}", "menus": menus}


def changed(snapshot: dict, rng: random.Random) -> dict:
    after = json.loads(json.dumps(snapshot))
    if "menus" in after:
        route = rng.choice(rng.choice(after["menus"])["routes"])
        route["options"]["group_ids"] = [rng.randint(1, 5)]
    else:
        after["recorded"] = not after["recorded"]
        after["settings"]["maximum_queue_wait_time"] += 1
    return after


# --- Filling the log -----------------------------------------------------------------------------
def fill(change_sets: int, calls_per_change_set: int, seed: int = 7) -> None:
    import hashlib

    import psycopg
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection

    from audit.chain import GENESIS_HASH, row_content
    from audit.describe import changes_in_words
    from audit.models import ApiCall, ChangeSet, ChangeSetOutcome, SentCall

    rng = random.Random(seed)
    people = [
        get_user_model().objects.create(username=f"user{n}", first_name="Person", last_name=str(n))
        for n in range(1, 51)
    ]
    actors = [(user.pk, user.username, user.get_full_name()) for user in people]
    weights = [weight for _, _, weight in ACTIONS]
    start = datetime(2025, 1, 1, tzinfo=UTC)
    step = timedelta(days=365) / change_sets
    position, previous, call_id, outcome_id = 0, GENESIS_HASH, 0, 0
    columns = {
        model: [field.attname for field in model._meta.concrete_fields]
        for model in (ChangeSet, ApiCall, SentCall, ChangeSetOutcome)
    }
    json_columns = {"before", "names", "after", "request_body", "response_body"}

    keys = settings.AUDIT_HMAC_KEYS

    def row(model, values: dict) -> tuple:
        nonlocal position, previous
        position += 1
        values.update(
            chain_position=position, previous_hash=previous, signing_key_id=keys.current.key_id
        )
        content = row_content(model.CHAIN_KIND, {n: values[n] for n in model.HASHED_FIELDS})
        values["row_hash"] = previous = hashlib.sha256(content).hexdigest()
        values["signature"] = keys.sign(content)
        return tuple(
            json.dumps(values[c]) if c in json_columns and values[c] is not None else values[c]
            for c in columns[model]
        )

    began = time.perf_counter()
    # One COPY per connection at a time: a connection for each table, committed intents first.
    config = connection.settings_dict
    links = [
        psycopg.connect(
            host=config["HOST"],
            port=config["PORT"] or 5432,
            user=config["USER"],
            password=config["PASSWORD"] or None,
            dbname=config["NAME"],
        )
        for _ in range(4)
    ]
    copies = [
        link.cursor().copy(f"COPY {model._meta.db_table} ({', '.join(columns[model])}) FROM STDIN")
        for link, model in zip(links, (ChangeSet, ApiCall, SentCall, ChangeSetOutcome), strict=True)
    ]
    sent_id = 0
    with copies[0] as intents, copies[1] as calls, copies[2] as sent, copies[3] as outcomes:
        for change_set_id in range(1, change_sets + 1):
            action, target_type, _ = rng.choices(ACTIONS, weights)[0]
            user_id, username, display_name = rng.choice(actors)
            created = start + step * change_set_id + timedelta(microseconds=rng.randint(0, 999))
            target = rng.randint(1, 500)
            if target_type == "ivr":
                before = ivr_snapshot(target, rng)
            elif target_type == "phone_number":
                before = phone_number_snapshot(target, rng)
            else:
                before = None
            reason = rng.choice(REASONS)
            summary = f"{action.replace('_', ' ').capitalize()} #{target}: change {change_set_id}"
            intents.write_row(
                row(
                    ChangeSet,
                    {
                        "id": change_set_id,
                        "created_at": created,
                        "must_finish_by": created + timedelta(minutes=15),
                        "actor_user_id": user_id,
                        "actor_username": username,
                        "actor_display_name": display_name,
                        "client_address": f"10.0.{user_id}.{rng.randint(1, 250)}",
                        "user_agent": "Mozilla/5.0 (bench)",
                        "request_id": f"{change_set_id:032x}",
                        "action": action,
                        "target_type": target_type,
                        "target_id": str(target),
                        "target_name": f"Target {target}",
                        "reason": reason,
                        "summary": summary,
                        "before": before,
                        "names": {"group": GROUPS},
                    },
                )
            )
            number_of_calls = rng.randint(0, 2 * calls_per_change_set)
            failed_call = rng.random() < 0.05
            died = rng.random() < 0.001  # the worker died during the write: no answer, no outcome
            for sequence in range(1, number_of_calls + 1):
                write = sequence == number_of_calls
                path = f"/api/v2/channels/voice/{target_type}s/{target}"
                if write:  # on record before it is sent, as the Talk client does
                    sent_id += 1
                    sent.write_row(
                        row(
                            SentCall,
                            {
                                "id": sent_id,
                                "change_set_id": change_set_id,
                                "sequence": sequence,
                                "sent_at": created + timedelta(milliseconds=150 * sequence - 1),
                                "method": "PUT",
                                "path": path,
                                "request_body": {"value": sequence},
                            },
                        )
                    )
                    if died:
                        break
                call_id += 1
                status = 503 if failed_call and write else 200
                calls.write_row(
                    row(
                        ApiCall,
                        {
                            "id": call_id,
                            "change_set_id": change_set_id,
                            "sequence": sequence,
                            "recorded_at": created + timedelta(milliseconds=150 * sequence),
                            "method": "PUT" if write else "GET",
                            "path": path,
                            "request_body": {"value": sequence} if write else None,
                            "status": status,
                            "zendesk_request_id": f"zd-{call_id:x}",
                            "duration_ms": rng.randint(80, 900),
                            "attempts": 1,
                            "error": "Zendesk answered 503" if status == 503 else "",
                            "response_body": None,
                        },
                    )
                )
            if died:
                continue  # no outcome
            outcome_id += 1
            outcome = (
                "failed"
                if failed_call
                else rng.choices(["applied", "partly_applied", "interrupted"], [97, 2, 1])[0]
            )
            after = changed(before, rng) if before else None
            outcomes.write_row(
                row(
                    ChangeSetOutcome,
                    {
                        "id": outcome_id,
                        "change_set_id": change_set_id,
                        "finished_at": created + timedelta(seconds=1),
                        "outcome": outcome,
                        "summary": "",
                        "after": after,
                        "names": {},
                        "error": "Zendesk is not answering." if outcome == "failed" else "",
                        # Described as audit.change_set does when it closes.
                        "changes_in_words": changes_in_words(
                            target_type=target_type,
                            before=before,
                            after=after,
                            names={"group": GROUPS},
                        ),
                        "target_id": None,  # set only by changes that create their target
                    },
                )
            )
            if change_set_id % 100_000 == 0:
                rate = change_set_id / (time.perf_counter() - began)
                print(f"  {change_set_id:,} change sets written ({rate:,.0f}/s)", flush=True)
    for link in links:
        link.commit()
        link.close()
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE audit_changeset, audit_apicall, audit_sentcall, audit_changesetoutcome"
        )
    print(f"  filled in {time.perf_counter() - began:,.0f} s: {change_sets:,} change sets, "
          f"{call_id:,} API calls, {sent_id:,} writes as sent, "
          f"{outcome_id:,} outcomes")  # fmt: skip


# --- Measuring -----------------------------------------------------------------------------------
def server_ms(log_filter, before: int | None, runs: int = 5) -> tuple[float, float, int]:
    """(first run, median of the next runs) of the server time, in ms, of every query that
    builds the page (PostgreSQL's planning plus execution, from EXPLAIN ANALYZE), and how many
    queries that is."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from audit.review import log_page

    with CaptureQueriesContext(connection) as captured:
        log_page(log_filter, before=before)
    timings = []
    with connection.cursor() as cursor:
        for _ in range(runs + 1):
            total = 0.0
            for query in captured.captured_queries:
                cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {query['sql']}")
                plan = cursor.fetchone()[0]
                plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
                total += plan["Planning Time"] + plan["Execution Time"]
            timings.append(total)
    return timings[0], statistics.median(timings[1:]), len(captured.captured_queries)


def view_ms(path: str, viewer, runs: int = 5) -> float:
    from django.test import Client

    client = Client()
    client.force_login(viewer)
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.status_code
    return statistics.median(timings)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure_pages() -> None:
    from django.contrib.auth import get_user_model
    from django.db.models import Max

    from audit.models import ChangeSet
    from audit.review import LogFilter
    from core.roles import VIEWER

    viewer, _ = get_user_model().objects.get_or_create(username="bench-viewer")
    from django.contrib.auth.models import Group

    viewer.groups.add(Group.objects.get(name=VIEWER.name))
    newest = ChangeSet.objects.aggregate(Max("id"))["id__max"]
    deep = max(newest // 100, 60)
    month = ("2025-06-01", "2025-06-30")
    cases = [
        ("first page", LogFilter(), None, "/audit/"),
        (
            "one actor, one month",
            LogFilter(actor="7", date_from=datetime(2025, 6, 1).date(),
                      date_to=datetime(2025, 6, 30).date()),
            None,
            f"/audit/?actor=7&date_from={month[0]}&date_to={month[1]}",
        ),
        ("deep page (99% down)", LogFilter(), deep, f"/audit/?before={deep}"),
        (
            "one actor, deep page",
            LogFilter(actor="7"),
            deep,
            f"/audit/?actor=7&before={deep}",
        ),
        ("history of one IVR", LogFilter(target_type="ivr", target_id="42"), None,
         "/audit/?target_type=ivr&target_id=42"),
        ("outcome failed", LogFilter(outcome="failed"), None, "/audit/?outcome=failed"),
        ("outcome interrupted", LogFilter(outcome="interrupted"), None,
         "/audit/?outcome=interrupted"),
        ("words in summary/reason", LogFilter(text="gdpr"), None, "/audit/?text=gdpr"),
        ("rare words, whole log", LogFilter(text="change 123456:"), None,
         "/audit/?text=change+123456%3A"),
    ]  # fmt: skip
    print()
    print(f"{'page':<28} {'queries':>8} {'server ms, 1st':>15} {'server ms, median':>18} "
          f"{'whole view ms':>14}")  # fmt: skip
    for label, log_filter, before, path in cases:
        first, median, queries = server_ms(log_filter, before)
        print(f"{label:<28} {queries:>8} {first:>15.1f} {median:>18.1f} "
              f"{view_ms(path, viewer):>14.1f}")  # fmt: skip


def measure_export(limit_rows: int | None, formats: list[str]) -> None:
    from audit.actor import Actor
    from audit.export import export_change_sets
    from audit.models import ChangeSetOutcome
    from audit.review import LogFilter

    undescribed = ChangeSetOutcome.objects.filter(changes_in_words__isnull=True).count()
    print()
    print(f"Outcomes written before 'what changed' was kept (the CSV describes them in Python): "
          f"{undescribed:,}")  # fmt: skip
    print(f"{'export':<12} {'rows':>10} {'seconds':>9} {'rows/s':>9} "
          f"{'RSS MB at start':>16} {'at 10%':>8} {'peak':>8}")  # fmt: skip
    for file_format in formats:
        export = export_change_sets(
            log_filter=LogFilter(),
            filter_words="everything",
            file_format=file_format,
            actor=Actor.system("bench/audit_log.py"),
        )
        start_rss, early_rss, peak_rss = rss_mb(), 0.0, 0.0
        began, lines = time.perf_counter(), 0
        for chunk in export.chunks:
            lines += chunk.count(b"\n")
            peak_rss = max(peak_rss, rss_mb())
            if not early_rss and lines >= (limit_rows or 1_000_000) // 10:
                early_rss = peak_rss
            if limit_rows and lines >= limit_rows:
                export.chunks.close()
                break
        seconds = time.perf_counter() - began
        rows = lines - (1 if file_format == "csv" else 0)
        print(f"{file_format:<12} {rows:>10,} {seconds:>9.1f} {rows / seconds:>9,.0f} "
              f"{start_rss:>16.0f} {early_rss:>8.0f} {peak_rss:>8.0f}")  # fmt: skip


def measure_verify(limit: int) -> None:
    from audit.verify import verify_chain

    began = time.perf_counter()
    verdict = verify_chain(limit=limit)
    seconds = time.perf_counter() - began
    print()
    rate = verdict.rows_checked / seconds
    print(f"chain check: {verdict.rows_checked:,} rows in {seconds:.1f} s ({rate:,.0f} rows/s), "
          f"intact so far: {verdict.intact}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--change-sets", type=int, default=1_000_000)
    parser.add_argument("--calls-per-change-set", type=int, default=3)
    parser.add_argument("--database", default=BENCH_DATABASE)
    parser.add_argument("--refill", action="store_true", help="drop and fill the database again")
    parser.add_argument("--export-rows", type=int, default=None, help="stop each export early")
    parser.add_argument("--formats", nargs="+", default=["csv", "jsonl"], choices=["csv", "jsonl"])
    parser.add_argument("--verify-rows", type=int, default=1_000_000)
    args = parser.parse_args()
    if not args.database.startswith("talkadmin_bench"):
        sys.exit("The benchmark only writes to databases named talkadmin_bench*.")
    fill_it = configure_pages(args.database, refill=args.refill)  # migrates a reused one too
    from django.db import connection

    with connection.cursor() as cursor:  # fresh statistics, as autovacuum would keep them
        cursor.execute(
            "ANALYZE audit_changeset, audit_apicall, audit_sentcall, audit_changesetoutcome"
        )
    if fill_it:
        print(f"Filling {args.database} with {args.change_sets:,} change sets…")
        fill(args.change_sets, args.calls_per_change_set)
    else:
        print(f"Reusing {args.database} (run with --refill to fill it again).")
    measure_pages()
    measure_export(args.export_rows, args.formats)
    measure_verify(args.verify_rows)


if __name__ == "__main__":
    main()
