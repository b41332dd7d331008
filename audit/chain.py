"""The hash chain: every audit row carries a hash over its content and the previous row's hash,
and a signature over the same content (audit.signing) that only a holder of the key can make.

Rows are appended one at a time by `append_row`, which takes the chain lock (a transaction-level
advisory lock on PostgreSQL; SQLite's write lock, taken at BEGIN IMMEDIATE, on SQLite), reads the
head, assigns the next id and position, hashes and inserts, and commits. The lock is held until
the commit, so the chain order is the commit order and two writers can never fork the chain.
"""

import hashlib
import json
from contextlib import ExitStack
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Max

from audit.models import CHAINED_MODELS, ChainedRow

GENESIS_HASH = "0" * 64
# pg_advisory_xact_lock key: "TALKADMN" as a 64-bit integer, unlikely to clash with anyone else.
CHAIN_LOCK_KEY = int.from_bytes(b"TALKADMN", "big") & 0x7FFF_FFFF_FFFF_FFFF


class AuditWriteInsideTransaction(RuntimeError):
    """Audit rows must be committed at once, so they cannot be written inside a transaction."""

    def __init__(self) -> None:
        super().__init__(
            "Audit rows are committed as they are written, so they cannot be written inside "
            "transaction.atomic(). Open the change set, and make Talk API calls, outside any "
            "transaction; use transaction.atomic() only around your own database writes."
        )


def _field_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return value


# Per kind of row, the hashed columns added later: left out of the hash while NULL.
_ADDED_FIELDS = {model.CHAIN_KIND: frozenset(model.ADDED_HASHED_FIELDS) for model in CHAINED_MODELS}


def row_content(kind: str, values: dict[str, Any]) -> bytes:
    """The bytes a row's hash and signature are taken over: its kind and hashed fields (which
    include the previous row's hash and the id of the key that signed it), as canonical JSON.

    JSON columns are hashed as they are: json_safe stored them in a form that reads back
    identical, so they need no walk here (verifying millions of rows depends on that). A column
    added later (ADDED_HASHED_FIELDS) counts only when set, so rows written before it existed
    keep their hashes.
    """
    added = _ADDED_FIELDS.get(kind, frozenset())
    fields = {
        name: _field_value(value)
        for name, value in values.items()
        if value is not None or name not in added
    }
    content = json.dumps(
        {"kind": kind, "fields": fields},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    )
    return content.encode()


def row_hash(kind: str, values: dict[str, Any]) -> str:
    """SHA-256 over row_content: what chains the row to the one before it."""
    return hashlib.sha256(row_content(kind, values)).hexdigest()


def hashed_values(row: ChainedRow) -> dict[str, Any]:
    return {name: getattr(row, name) for name in row.HASHED_FIELDS}


def json_safe(value: Any) -> Any:
    """A copy of `value` made only of JSON types that PostgreSQL's jsonb stores unchanged."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)  # JSON has no NaN or infinity
        if abs(value) >= 1e16:
            return int(value)  # jsonb gives 1e+16 back as 10000000000000000, an int
        return value + 0.0  # -0.0 comes back from jsonb as 0.0
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")  # jsonb refuses NUL characters
    if isinstance(value, dict):
        return {json_safe(str(key)): json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted((json_safe(item) for item in value), key=repr)
    if isinstance(value, datetime):
        return value.isoformat()
    return json_safe(str(value))


def _fit_to_columns(row: ChainedRow) -> None:
    """Store exactly what will be read back: cut long text to the column, clean JSON."""
    for field in row._meta.concrete_fields:
        value = getattr(row, field.attname)
        if isinstance(field, models.JSONField):
            setattr(row, field.attname, json_safe(value))
        elif isinstance(value, str):
            value = value.replace("\x00", "\ufffd")
            if field.max_length:
                value = value[: field.max_length]
            setattr(row, field.attname, value)


def database_now() -> datetime:
    """The database server's clock (audit times never come from the web server's clock)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT clock_timestamp()")
            return cursor.fetchone()[0]
        cursor.execute("SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')")
        return datetime.fromisoformat(cursor.fetchone()[0]).replace(tzinfo=UTC)


def chain_head() -> tuple[int, str]:
    """(position, hash) of the last row of the chain; (0, GENESIS_HASH) for an empty log."""
    # _default_manager is each model's `objects`, typed for any of the chained models.
    heads = [
        model._default_manager.order_by("-chain_position")
        .values_list("chain_position", "row_hash")
        .first()
        for model in CHAINED_MODELS
    ]
    return max((head for head in heads if head), default=(0, GENESIS_HASH))


def _take_chain_lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
    # SQLite: settings open every transaction with BEGIN IMMEDIATE, which takes the write lock.


def append_row(row: ChainedRow) -> ChainedRow:
    """Insert `row` at the head of the chain and commit it before returning.

    Sets the row's id, position, previous hash, database-clock time (`row.stamp(now)`), hash,
    and signature by the current key of settings.AUDIT_HMAC_KEYS (audit.signing).
    Raises AuditWriteInsideTransaction inside transaction.atomic() (tests' own wrapping
    transaction excepted, as Django does for durable blocks).
    """
    with ExitStack() as stack:
        try:
            stack.enter_context(transaction.atomic(durable=True))
        except RuntimeError as error:
            raise AuditWriteInsideTransaction() from error
        _take_chain_lock()
        position, previous_hash = chain_head()
        model = type(row)
        row.id = (model._default_manager.aggregate(last=Max("id"))["last"] or 0) + 1
        row.chain_position = position + 1
        row.previous_hash = previous_hash
        row.stamp(database_now())
        keys = settings.AUDIT_HMAC_KEYS
        row.signing_key_id = keys.current.key_id
        _fit_to_columns(row)
        content = row_content(row.CHAIN_KIND, hashed_values(row))
        row.row_hash = hashlib.sha256(content).hexdigest()
        row.signature = keys.sign(content)
        row.save(force_insert=True)
    return row
