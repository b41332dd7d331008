"""Pieces the benchmark scripts share: their own PostgreSQL database, Django set up for it,
percentiles, a plain-text table, and the JSON results file.

Import this before Django is set up (it sets the settings up itself in configure_django).
"""

from __future__ import annotations

import json
import math
import os
import secrets
import statistics
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = BASE_DIR / "bench" / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/talkadmin"


def _server_config() -> dict[str, Any]:
    import environ

    config = environ.Env.db_url_config(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
    if "postgresql" not in config["ENGINE"]:
        sys.exit("The benchmark needs PostgreSQL: set DATABASE_URL to a PostgreSQL server.")
    return config


def database_url(database: str) -> str:
    """The URL of `database` on the PostgreSQL server of DATABASE_URL."""
    config = _server_config()
    login = config["USER"] + (f":{config['PASSWORD']}" if config.get("PASSWORD") else "")
    host = f"{config.get('HOST') or '127.0.0.1'}:{config.get('PORT') or 5432}"
    return f"postgres://{login}@{host}/{database}"


def create_database(database: str, *, recreate: bool = False) -> bool:
    """Create `database` on the server of DATABASE_URL when missing (or `recreate` it).

    True when it was created, so it is empty. Never the test or the production database: the
    benchmarks each name their own (talkadmin_bench...).
    """
    import psycopg

    if not database.startswith("talkadmin_bench"):
        raise ValueError(f"not a benchmark database: {database}")
    config = _server_config()
    admin = psycopg.connect(
        host=config.get("HOST") or "127.0.0.1",
        port=config.get("PORT") or 5432,
        user=config["USER"],
        password=config.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    )
    try:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database]
        ).fetchone()
        if exists and not recreate:
            return False
        if exists:
            admin.execute(f'DROP DATABASE "{database}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{database}"')
        return True
    finally:
        admin.close()


def bench_audit_keys() -> Path:
    """The key the benchmarks sign audit rows with, kept in bench/results/ (ignored by git), so
    a filled database reused by a later run still verifies."""
    keys_file = BASE_DIR / "bench" / "results" / "audit-signing-keys"
    if not keys_file.exists():
        keys_file.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(keys_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(f"bench:{secrets.token_urlsafe(32)}\n")
    return keys_file


def configure_django(database: str, *, migrate: bool = True, recreate: bool = False) -> bool:
    """Set Django up on the benchmark's own database (created, and migrated when `migrate`),
    with DEBUG off (DEBUG keeps every query in memory). True when the database was created."""
    created = create_database(database, recreate=recreate)
    os.environ["DATABASE_URL"] = database_url(database)
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    if not (os.environ.get("AUDIT_HMAC_KEYS") or os.environ.get("AUDIT_HMAC_KEYS_FILE")):
        os.environ["AUDIT_HMAC_KEYS_FILE"] = str(bench_audit_keys())
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ["DEBUG"] = "false"
    os.environ["SECURE_HTTPS"] = "false"
    os.environ["DJANGO_SETTINGS_MODULE"] = "talkadmin.settings"
    os.environ["ENV_FILE"] = os.devnull
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if str(BASE_DIR) not in sys.path:
        sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    return created


class Discard:
    """Stands in for an audit change set while a benchmark builds its data."""

    def record_sending(self, call: object) -> None:
        return None

    def record_call(self, call: object) -> None:
        pass


# --- Figures -------------------------------------------------------------------------------------
def median(samples: Sequence[float]) -> float:
    return statistics.median(samples) if samples else math.nan


def percentile(samples: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (share 0.95: the 95th): a value that was measured."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def ratio(value: float | None, floor: float | None) -> float | None:
    if value is None or floor is None or not floor or math.isnan(value) or math.isnan(floor):
        return None
    return value / floor


# --- Output --------------------------------------------------------------------------------------
def cell(value: Any, digits: int = 0) -> str:
    """A table cell: '-' for nothing, numbers rounded to `digits`."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return str(value)


def format_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain-text table: the first column left-aligned, the others right-aligned."""
    texts = [[str(item) for item in row] for row in rows]
    widths = [
        max(len(headers[i]), *(len(row[i]) for row in texts)) if texts else len(headers[i])
        for i in range(len(headers))
    ]

    def line(items: Sequence[str]) -> str:
        first, *rest = items
        return "  ".join(
            [
                first.ljust(widths[0]),
                *(item.rjust(w) for item, w in zip(rest, widths[1:], strict=True)),
            ]
        ).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, texts)])


def write_results(figures: dict[str, Any], directory: Path = RESULTS_DIR) -> tuple[Path, Path]:
    """Write the figures as JSON: a file named by the time, and latest.json beside it."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    text = json.dumps(figures, indent=2, default=str) + "\n"
    dated = directory / f"bench-{stamp}.json"
    dated.write_text(text)
    latest = directory / "latest.json"
    latest.write_text(text)
    return dated, latest
