"""Export the change sets matching a filter as CSV or JSON Lines, streamed with flat memory.

The export is itself a change set: its intent is committed when the download starts (before the
first byte), and the file holds exactly the change sets older than the export's own. Rows come
through server-side cursors in chunks, change sets and their API calls as two streams in the
same order, merged as they go, so a million rows never sit in memory.

CSV is for a spreadsheet: one line per change set, with what changed in words. JSON Lines is
complete: one object per change set with the snapshots, names and API calls exactly as stored.
"""

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

from audit.actor import Actor
from audit.constants import IN_PROGRESS, Action, Outcome, TargetType
from audit.describe import describe_changes
from audit.models import ApiCall
from audit.recording import change_set
from audit.review import LogFilter, filtered_change_sets

CHUNK_SIZE = 2000
FORMATS = {
    "csv": ("CSV", "text/csv; charset=utf-8"),
    "jsonl": ("JSON Lines", "application/x-ndjson"),
}
ACTION_LABELS = dict(Action.choices)
TARGET_LABELS = dict(TargetType.choices)
OUTCOME_LABELS = {**dict(Outcome.choices), IN_PROGRESS: "In progress"}

CSV_COLUMNS = [
    "Change set",
    "Started (UTC)",
    "Finished (UTC)",
    "Outcome",
    "Who",
    "Username",
    "User id",
    "Address",
    "Request id",
    "Action",
    "Kind of target",
    "Target id",
    "Target",
    "Reason",
    "Summary",
    "What changed",
    "Error",
    "API calls",
    "Failed API calls",
    "Row hash",
]
CHANGE_SET_FIELDS = (
    "id",
    "created_at",
    "must_finish_by",
    "actor_user_id",
    "actor_username",
    "actor_display_name",
    "client_address",
    "user_agent",
    "request_id",
    "action",
    "target_type",
    "target_id",
    "target_name",
    "reason",
    "summary",
    "chain_position",
    "row_hash",
    "outcome_row__outcome",
    "outcome_row__finished_at",
    "outcome_row__summary",
    "outcome_row__error",
    "outcome_row__chain_position",
    "outcome_row__row_hash",
)
API_CALL_FIELDS = (
    "change_set_id",
    "sequence",
    "recorded_at",
    "method",
    "path",
    "status",
    "zendesk_request_id",
    "duration_ms",
    "attempts",
    "error",
    "chain_position",
    "row_hash",
)


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    chunks: Iterator[bytes]


def _status(row: dict[str, Any], now) -> str:
    if row["outcome_row__outcome"]:
        return row["outcome_row__outcome"]
    return Outcome.INTERRUPTED if now > row["must_finish_by"] else IN_PROGRESS


def _iso(moment) -> str:
    return moment.isoformat() if moment else ""


def _change_set_rows(
    log_filter: LogFilter, up_to: int, *, with_snapshots: bool
) -> Iterator[dict[str, Any]]:
    rows = filtered_change_sets(log_filter).filter(id__lt=up_to).order_by("-id")
    if with_snapshots:
        # JSON Lines copies the stored JSON text as it is: no decoding, no re-encoding.
        rows = rows.annotate(
            before_json=Cast("before", TextField()),
            names_json=Cast("names", TextField()),
            after_json=Cast("outcome_row__after", TextField()),
            late_names_json=Cast("outcome_row__names", TextField()),
        )
        fields = (*CHANGE_SET_FIELDS, "before_json", "names_json", "after_json", "late_names_json")
    else:
        fields = (*CHANGE_SET_FIELDS, "before", "names", "outcome_row__after", "outcome_row__names")
    return rows.values(*fields).iterator(chunk_size=CHUNK_SIZE)


def _api_call_groups(
    log_filter: LogFilter, up_to: int, *, with_bodies: bool
) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """(change set id, its calls in order) for every matching change set that has calls,
    newest change set first, the same order as _change_set_rows."""
    matching_ids = filtered_change_sets(log_filter).filter(id__lt=up_to).values("id")
    calls = ApiCall.objects.filter(change_set_id__lt=up_to)
    if not log_filter.is_empty:
        calls = calls.filter(change_set_id__in=matching_ids)
    fields = API_CALL_FIELDS
    if with_bodies:
        calls = calls.annotate(
            request_json=Cast("request_body", TextField()),
            response_json=Cast("response_body", TextField()),
        )
        fields = (*API_CALL_FIELDS, "request_json", "response_json")
    # Both index columns descending: a plain backward scan of (change_set, sequence).
    ordered = calls.order_by("-change_set_id", "-sequence").values(*fields)
    group_id, group = None, []
    for call in ordered.iterator(chunk_size=CHUNK_SIZE):
        if call["change_set_id"] != group_id:
            if group:
                yield group_id, group[::-1]
            group_id, group = call["change_set_id"], []
        group.append(call)
    if group:
        yield group_id, group[::-1]


def _with_calls(
    change_sets: Iterator[dict[str, Any]], groups: Iterator[tuple[int, list[dict[str, Any]]]]
) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    pending = next(groups, None)
    for row in change_sets:
        while pending is not None and pending[0] > row["id"]:
            pending = next(groups, None)  # calls of a change set outside the filter
        if pending is not None and pending[0] == row["id"]:
            yield row, pending[1]
            pending = next(groups, None)
        else:
            yield row, []


def _csv_safe(value: Any) -> Any:
    """Stop spreadsheet programs from running a cell as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv_lines(rows: Iterator[tuple[dict, list[dict]]], now) -> Iterator[tuple[str, int]]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for row, calls in rows:
        names: dict[str, dict[str, str]] = {}
        for source in (row["names"] or {}, row["outcome_row__names"] or {}):
            for kind, entries in source.items():
                names.setdefault(kind, {}).update(entries)
        changes = describe_changes(
            target_type=row["target_type"],
            before=row["before"],
            after=row["outcome_row__after"],
            names=names,
        )
        writer.writerow(
            _csv_safe(value)
            for value in (
                row["id"],
                _iso(row["created_at"]),
                _iso(row["outcome_row__finished_at"]),
                OUTCOME_LABELS[_status(row, now)],
                row["actor_display_name"],
                row["actor_username"],
                row["actor_user_id"] or "",
                row["client_address"],
                row["request_id"],
                ACTION_LABELS.get(row["action"], row["action"]),
                TARGET_LABELS.get(row["target_type"], row["target_type"]),
                row["target_id"],
                row["target_name"],
                row["reason"],
                row["outcome_row__summary"] or row["summary"],
                " ".join(change.sentence for change in changes if change.sentence),
                row["outcome_row__error"] or "",
                len(calls),
                sum(1 for call in calls if call["error"] or not 200 <= (call["status"] or 0) < 300),
                row["outcome_row__row_hash"] or row["row_hash"],
            )
        )
        count += 1
        if count % 200 == 0:
            yield buffer.getvalue(), count
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue(), count


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _jsonl_lines(rows: Iterator[tuple[dict, list[dict]]], now) -> Iterator[tuple[str, int]]:
    lines: list[str] = []
    count = 0
    for row, calls in rows:
        call_lines = ",".join(
            _json(
                {
                    "sequence": call["sequence"],
                    "recorded_at": _iso(call["recorded_at"]),
                    "method": call["method"],
                    "path": call["path"],
                    "status": call["status"],
                    "zendesk_request_id": call["zendesk_request_id"],
                    "duration_ms": call["duration_ms"],
                    "attempts": call["attempts"],
                    "error": call["error"],
                    "chain_position": call["chain_position"],
                    "row_hash": call["row_hash"],
                }
            )[:-1]
            + f',"request_body":{call["request_json"] or "null"}'
            + f',"response_body":{call["response_json"] or "null"}}}'
            for call in calls
        )
        head = _json(
            {
                "change_set": row["id"],
                "started_at": _iso(row["created_at"]),
                "finished_at": _iso(row["outcome_row__finished_at"]),
                "outcome": _status(row, now),
                "actor": {
                    "user_id": row["actor_user_id"],
                    "username": row["actor_username"],
                    "display_name": row["actor_display_name"],
                    "client_address": row["client_address"],
                    "user_agent": row["user_agent"],
                    "request_id": row["request_id"],
                },
                "action": row["action"],
                "target": {
                    "type": row["target_type"],
                    "id": row["target_id"],
                    "name": row["target_name"],
                },
                "reason": row["reason"],
                "summary": row["summary"],
                "final_summary": row["outcome_row__summary"] or "",
                "error": row["outcome_row__error"] or "",
                "chain": {
                    "intent": [row["chain_position"], row["row_hash"]],
                    "outcome": [row["outcome_row__chain_position"], row["outcome_row__row_hash"]],
                },
            }
        )
        lines.append(
            head[:-1]
            + f',"before":{row["before_json"] or "null"}'
            + f',"after":{row["after_json"] or "null"}'
            + f',"names":{row["names_json"] or "{}"}'
            + f',"names_at_end":{row["late_names_json"] or "{}"}'
            + f',"api_calls":[{call_lines}]}}\n'
        )
        count += 1
        if len(lines) == 200:
            yield "".join(lines), count
            lines = []
    yield "".join(lines), count


def export_change_sets(
    *, log_filter: LogFilter, filter_words: str, file_format: str, actor: Actor, reason: str = ""
) -> ExportFile:
    """The change sets matching `log_filter`, newest first, as a streamed CSV or JSON Lines file.

    Nothing is read until the file is streamed; the export's own change set (action
    export_audit_log) is written when streaming starts and closed with the number of rows, or
    as interrupted when the download stops early.
    """
    label, content_type = FORMATS[file_format]
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")

    def stream() -> Iterator[bytes]:
        with change_set(
            actor=actor,
            action=Action.EXPORT_AUDIT_LOG,
            target_type=TargetType.AUDIT_LOG,
            target_id="",
            target_name="Audit log",
            summary=f"Export the audit log as {label} ({filter_words}).",
            reason=reason,
            reason_required=False,
        ) as export:
            up_to, count, now = export.change_set.pk, 0, timezone.now()
            try:
                with transaction.atomic():  # server-side cursors stream inside a transaction
                    raw = file_format == "jsonl"
                    rows = _with_calls(
                        _change_set_rows(log_filter, up_to, with_snapshots=raw),
                        _api_call_groups(log_filter, up_to, with_bodies=raw),
                    )
                    lines = _jsonl_lines(rows, now) if raw else _csv_lines(rows, now)
                    for text, rows_so_far in lines:
                        count = rows_so_far
                        if text:
                            yield text.encode()
            except GeneratorExit:
                export.set_summary(
                    f"The {label} download stopped after {count:,} change sets ({filter_words})."
                )
                raise
            export.set_after(
                {
                    "format": label,
                    "filters": filter_words,
                    "rows": count,
                    "up_to_change_set": up_to - 1,
                }
            )
            export.set_summary(f"Exported {count:,} change sets as {label} ({filter_words}).")

    return ExportFile(
        filename=f"talkadmin-audit-log-{stamp}.{file_format}",
        content_type=content_type,
        chunks=stream(),
    )
