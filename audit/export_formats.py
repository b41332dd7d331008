"""The two export formats, one change set at a time: a CSV line in words, a JSON Lines object.

Rows arrive as named tuples (values_list(named=True)) with their API calls. JSON Lines copies
the stored JSON text of snapshots and bodies as it is and writes the rest by hand, because
building a dict per change set and encoding it costs more than the database's work.
"""

import csv
import io
import json
from collections.abc import Generator, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from audit.constants import IN_PROGRESS, Action, Outcome, TargetType
from audit.describe import changes_in_words

ROWS_PER_CHUNK = 200
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
    # A change made with a second person's approval (changes/): who asked, who approved.
    "Approval asked by",
    "Approved by",
    "Approval request",
    "Summary",
    "What changed",
    "Error",
    "API calls",
    "Failed API calls",
    "Calls sent, answer unknown",
    "Row hash",
]
_text = json.encoder.encode_basestring  # a JSON string literal, escaped at C speed

# (change set, its API calls, its writes sent with no answer)
Rows = Iterable[tuple[Any, list[Any], list[Any]]]


def status_of(row: Any, now: datetime) -> str:
    if row.outcome_row__outcome:
        return row.outcome_row__outcome
    return Outcome.INTERRUPTED if now > row.must_finish_by else IN_PROGRESS


def _iso(moment: datetime | None) -> str:
    """ISO 8601 in UTC as PostgreSQL's JSON writes it: no trailing zeros in the fraction."""
    if not moment:
        return ""
    text = moment.astimezone(UTC).isoformat(timespec="microseconds")
    return text[:-6].rstrip("0").rstrip(".") + text[-6:]


# A cell starting with one of these is a formula to a spreadsheet program (CSV injection): such
# cells get a leading apostrophe, which shows the text as it is. (The same rule is written in
# SQL for PostgreSQL's CSV in audit.export.)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Line breaks as PostgreSQL's COPY writes them, so that both CSV writers give the same bytes.
CSV_LINE_END = "\n"


def _csv_safe(value: Any) -> Any:
    """Stop spreadsheet programs from running a cell as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def csv_header() -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=CSV_LINE_END).writerow(CSV_COLUMNS)
    return buffer.getvalue()


def _what_changed(row: Any) -> str:
    """The words frozen into the outcome when the change set closed; outcomes written before
    that are described now. Without an outcome nothing is known of how the target ended."""
    if row.outcome_row__outcome is None:
        return ""
    if row.outcome_row__changes_in_words is not None:
        return row.outcome_row__changes_in_words
    names: dict[str, dict[str, str]] = {}
    for source in (row.names or {}, row.outcome_row__names or {}):
        for kind, entries in source.items():
            names.setdefault(kind, {}).update(entries)
    return changes_in_words(
        target_type=row.target_type, before=row.before, after=row.outcome_row__after, names=names
    )


def _approval_cells(approval: Any) -> tuple[str, str, str]:
    if not isinstance(approval, dict):
        return "", "", ""
    request = approval.get("request")
    return (
        str(approval.get("requested_by") or ""),
        str(approval.get("approved_by") or ""),
        "" if request is None else str(request),
    )


def csv_lines(rows: Iterable[Any], now: datetime, count: int = 0) -> Iterator[tuple[str, int]]:
    """(text, change sets so far, from `count`) in chunks: a line per change set, no header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=CSV_LINE_END)
    for row in rows:
        writer.writerow(
            _csv_safe(value)
            for value in (
                row.id,
                _iso(row.created_at),
                _iso(row.outcome_row__finished_at),
                OUTCOME_LABELS[status_of(row, now)],
                row.actor_display_name,
                row.actor_username,
                row.actor_user_id or "",
                row.client_address,
                row.request_id,
                ACTION_LABELS.get(row.action, row.action),
                TARGET_LABELS.get(row.target_type, row.target_type),
                row.target_id or row.outcome_row__target_id or "",
                row.target_name,
                row.reason,
                *_approval_cells(row.approval),
                row.outcome_row__summary or row.summary,
                _what_changed(row),
                row.outcome_row__error or "",
                row.api_call_count or 0,
                row.failed_call_count or 0,
                row.unknown_answer_count or 0,
                row.outcome_row__row_hash or row.row_hash,
            )
        )
        count += 1
        if count % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue(), count
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue(), count


def _number(value: int | None) -> str:
    return "null" if value is None else str(value)


def _optional_text(value: str | None) -> str:
    return "null" if value is None else _text(value)


def _call_json(call: Any) -> str:
    return (
        f'{{"sequence":{call.sequence},"recorded_at":"{_iso(call.recorded_at)}",'
        f'"method":{_text(call.method)},"path":{_text(call.path)},'
        f'"status":{_number(call.status)},"zendesk_request_id":{_text(call.zendesk_request_id)},'
        f'"duration_ms":{call.duration_ms},"attempts":{call.attempts},"error":{_text(call.error)},'
        f'"request_body":{call.request_json or "null"},'
        f'"response_body":{call.response_json or "null"},'
        f'"chain_position":{call.chain_position},"row_hash":"{call.row_hash}"}}'
    )


def _sent_json(sent: Any) -> str:
    return (
        f'{{"sequence":{sent.sequence},"sent_at":"{_iso(sent.sent_at)}",'
        f'"method":{_text(sent.method)},"path":{_text(sent.path)},'
        f'"request_body":{sent.request_json or "null"},'
        f'"chain_position":{sent.chain_position},"row_hash":"{sent.row_hash}"}}'
    )


def _change_set_json(row: Any, calls: list[Any], unanswered: list[Any], now: datetime) -> str:
    finished = f'"{_iso(row.outcome_row__finished_at)}"' if row.outcome_row__finished_at else "null"
    return (
        f'{{"change_set":{row.id},"started_at":"{_iso(row.created_at)}","finished_at":{finished},'
        f'"outcome":"{status_of(row, now)}",'
        f'"actor":{{"user_id":{_number(row.actor_user_id)},'
        f'"username":{_text(row.actor_username)},'
        f'"display_name":{_text(row.actor_display_name)},'
        f'"client_address":{_text(row.client_address)},"user_agent":{_text(row.user_agent)},'
        f'"request_id":{_text(row.request_id)}}},'
        f'"action":{_text(row.action)},'
        f'"target":{{"type":{_text(row.target_type)},'
        f'"id":{_text(row.target_id or row.outcome_row__target_id or "")},'
        f'"name":{_text(row.target_name)}}},'
        f'"reason":{_text(row.reason)},"summary":{_text(row.summary)},'
        f'"final_summary":{_text(row.outcome_row__summary or "")},'
        f'"error":{_text(row.outcome_row__error or "")},'
        f'"changes_in_words":{_optional_text(row.outcome_row__changes_in_words)},'
        f'"before":{row.before_json or "null"},"after":{row.after_json or "null"},'
        f'"names":{row.names_json or "{}"},"names_at_end":{row.late_names_json or "{}"},'
        f'"api_calls":[{",".join(_call_json(call) for call in calls)}],'
        f'"sent_answer_unknown":[{",".join(_sent_json(sent) for sent in unanswered)}],'
        f'"chain":{{"intent":[{row.chain_position},"{row.row_hash}"],'
        f'"outcome":[{_number(row.outcome_row__chain_position)},'
        f"{_optional_text(row.outcome_row__row_hash)}]}}}}\n"
    )


def jsonl_lines(rows: Rows, now: datetime) -> Generator[tuple[str, int], None, None]:
    """(text, change sets so far) in chunks: one JSON object per line per change set."""
    lines: list[str] = []
    count = 0
    for row, calls, unanswered in rows:
        lines.append(_change_set_json(row, calls, unanswered, now))
        count += 1
        if len(lines) == ROWS_PER_CHUNK:
            yield "".join(lines), count
            lines = []
    yield "".join(lines), count
