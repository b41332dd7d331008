"""What someone holding only the app's database credentials can do to the audit log: append rows
with plain SQL INSERTs that chain perfectly, since the chain's SHA-256 needs no key."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection

from audit.chain import chain_head, json_safe, row_hash
from audit.models import ChainedRow, ChangeSet, ChangeSetOutcome


def insert_row(
    model: type[ChainedRow],
    values: dict[str, Any],
    *,
    signing_key_id: str | None = None,
    signature: str | None = None,
    cursor=None,
) -> int:
    """INSERT one row at the head of the chain, with the hash TalkAdmin would have given it.

    The row's id, position and previous hash follow the head; `signing_key_id` and
    `signature` are whatever the forger chooses (they cannot make a valid signature).
    `cursor`: another connection's (a role logged in on its own); else the test's connection.
    Returns the row's chain position.
    """
    head_position, head_hash = chain_head() if cursor is None else _head(cursor)
    table = model._meta.db_table
    values = {
        "id": _next_id(cursor, table),
        "chain_position": head_position + 1,
        "previous_hash": head_hash,
        **values,
        "signing_key_id": signing_key_id,
    }
    hashed = {name: json_safe(values.get(name)) for name in model.HASHED_FIELDS}
    for name, value in values.items():
        if isinstance(value, datetime):
            hashed[name] = value
    values["row_hash"] = row_hash(model.CHAIN_KIND, hashed)
    values["signature"] = signature
    columns = ", ".join(values)
    placeholders = ", ".join(
        "%s::jsonb" if isinstance(value, dict | list) else "%s" for value in values.values()
    )
    parameters = [
        json.dumps(value) if isinstance(value, dict | list) else value for value in values.values()
    ]
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
    if cursor is None:
        with connection.cursor() as own:
            own.execute(sql, parameters)
    else:
        cursor.execute(sql, parameters)
    return values["chain_position"]


def forge_approval(*, cursor=None, **signing: str | None) -> int:
    """A change set "Approved by the CEO", as admin1, applied: intent and outcome, forged."""
    now = datetime.now(UTC)
    change_set_position = insert_row(
        ChangeSet,
        {
            "created_at": now,
            "must_finish_by": now + timedelta(minutes=15),
            "actor_user_id": 1,
            "actor_username": "admin1",
            "actor_display_name": "Admin One",
            "client_address": "10.0.0.7",
            "user_agent": "Firefox",
            "request_id": "forged-1",
            "action": "publish_ivr",
            "target_type": "ivr",
            "target_id": "360001",
            "target_name": "Main line",
            "reason": "Approved by the CEO",
            "summary": "Send every call to the CEO's mobile",
            "before": None,
            "names": {},
        },
        cursor=cursor,
        **signing,
    )
    change_set_id = _id_at(cursor, ChangeSet._meta.db_table, change_set_position)
    insert_row(
        ChangeSetOutcome,
        {
            "change_set_id": change_set_id,
            "finished_at": now + timedelta(seconds=1),
            "outcome": "applied",
            "summary": "",
            "after": None,
            "names": {},
            "error": "",
            "changes_in_words": "",
            "target_id": None,
        },
        cursor=cursor,
        **signing,
    )
    return change_set_id


def _run(cursor, sql: str, parameters=()):
    if cursor is None:
        with connection.cursor() as own:
            own.execute(sql, parameters)
            return own.fetchone()
    cursor.execute(sql, parameters)
    return cursor.fetchone()


def _next_id(cursor, table: str) -> int:
    return _run(cursor, f"SELECT coalesce(max(id), 0) + 1 FROM {table}")[0]  # noqa: S608


def _id_at(cursor, table: str, position: int) -> int:
    return _run(cursor, f"SELECT id FROM {table} WHERE chain_position = %s", [position])[0]  # noqa: S608


def _head(cursor) -> tuple[int, str]:
    from audit.models import CHAINED_MODELS

    union = " UNION ALL ".join(
        f"SELECT chain_position, row_hash FROM {model._meta.db_table}"  # noqa: S608
        for model in CHAINED_MODELS
    )
    newest = f"SELECT chain_position, row_hash FROM ({union}) rows ORDER BY 1 DESC LIMIT 1"  # noqa: S608
    head = _run(cursor, newest)
    return tuple(head) if head else (0, "0" * 64)
