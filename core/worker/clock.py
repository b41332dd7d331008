"""The database server's clock, which every worker shares (their own clocks may differ)."""

from datetime import UTC, datetime

from django.db import connection


def database_now() -> datetime:
    """Now, by the database server's clock."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT clock_timestamp()")
            return cursor.fetchone()[0]
        cursor.execute("SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')")
        return datetime.fromisoformat(cursor.fetchone()[0]).replace(tzinfo=UTC)
