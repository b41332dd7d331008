"""Export the change sets matching a filter as CSV or JSON Lines, streamed with flat memory.

The export is itself a change set: its intent is committed when the download starts (before the
first byte), and the file holds exactly the change sets older than the export's own. Rows come
in chunks through server-side cursors or COPY, so a million rows never sit in memory.

CSV is for a spreadsheet: one line per change set, with what changed in words. Those words are
frozen into the outcome row when a change set closes, so on PostgreSQL the database writes the
whole CSV (COPY ... TO STDOUT) and Python only passes it on. Outcomes written before the words
were kept (and everything on the SQLite trial) are described in Python, as they always were:
they are the oldest change sets, so they come last, after the lines PostgreSQL wrote.

JSON Lines is complete: one object per change set with the snapshots, names and API calls
exactly as stored; on PostgreSQL the database writes each line (row_to_json) and streams it
while Python passes the previous ones on, elsewhere (the SQLite trial) Python writes them from
two merged streams, change sets and API calls.
"""

import json
from collections.abc import Generator, Iterator
from contextlib import closing
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Func, Max, OuterRef, Q, Subquery, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from audit.actor import Actor
from audit.constants import Action, TargetType
from audit.export_formats import (
    ACTION_LABELS,
    FORMULA_STARTS,
    OUTCOME_LABELS,
    ROWS_PER_CHUNK,
    TARGET_LABELS,
    csv_header,
    csv_lines,
    jsonl_lines,
)
from audit.models import ApiCall, ChangeSetOutcome
from audit.recording import change_set
from audit.review import LogFilter, filtered_change_sets

CHUNK_SIZE = 2000
FORMATS = {
    "csv": ("CSV", "text/csv; charset=utf-8"),
    "jsonl": ("JSON Lines", "application/x-ndjson"),
}

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
    "outcome_row__changes_in_words",
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


def _matching(log_filter: LogFilter, up_to: int):
    return filtered_change_sets(log_filter).filter(id__lt=up_to)


def _csv_rows(log_filter: LogFilter, up_to: int) -> Iterator[Any]:
    """Change sets with their snapshots and how many API calls (and failed ones) they made."""
    calls = ApiCall.objects.filter(change_set=OuterRef("pk")).order_by().values("change_set")
    count = Func(F("id"), function="COUNT")
    failed = Q(error__gt="") | Q(status__isnull=True) | Q(status__lt=200) | Q(status__gte=300)
    rows = _matching(log_filter, up_to).annotate(
        api_call_count=Subquery(calls.annotate(n=count).values("n")),
        failed_call_count=Subquery(calls.filter(failed).annotate(n=count).values("n")),
    )
    fields = (*CHANGE_SET_FIELDS, "before", "names", "outcome_row__after", "outcome_row__names")
    return (
        rows.order_by("-id")
        .values_list(*fields, "api_call_count", "failed_call_count", named=True)
        .iterator(chunk_size=CHUNK_SIZE)
    )


def _change_set_rows(log_filter: LogFilter, up_to: int) -> Iterator[Any]:
    """Change sets with their JSON columns as the stored text, for Python's JSON Lines."""
    rows = _matching(log_filter, up_to).order_by("-id")
    # The stored JSON text is copied as it is: no decoding, no re-encoding.
    rows = rows.annotate(
        before_json=Cast("before", TextField()),
        names_json=Cast("names", TextField()),
        after_json=Cast("outcome_row__after", TextField()),
        late_names_json=Cast("outcome_row__names", TextField()),
    )
    fields = (*CHANGE_SET_FIELDS, "before_json", "names_json", "after_json", "late_names_json")
    return rows.values_list(*fields, named=True).iterator(chunk_size=CHUNK_SIZE)


def _api_call_groups(log_filter: LogFilter, up_to: int) -> Iterator[tuple[int, list[Any]]]:
    """(change set id, its calls in order) for every matching change set that has calls,
    newest change set first, the same order as _change_set_rows."""
    calls = ApiCall.objects.filter(change_set_id__lt=up_to)
    if not log_filter.is_empty:
        calls = calls.filter(change_set_id__in=_matching(log_filter, up_to).values("id"))
    calls = calls.annotate(
        request_json=Cast("request_body", TextField()),
        response_json=Cast("response_body", TextField()),
    )
    fields = (*API_CALL_FIELDS, "request_json", "response_json")
    # Both index columns descending: a plain backward scan of (change_set, sequence).
    ordered = calls.order_by("-change_set_id", "-sequence").values_list(*fields, named=True)
    group_id, group = None, []
    for call in ordered.iterator(chunk_size=CHUNK_SIZE):
        if call.change_set_id != group_id:
            if group:
                yield group_id, group[::-1]
            group_id, group = call.change_set_id, []
        group.append(call)
    if group:
        yield group_id, group[::-1]


def _with_calls(
    change_sets: Iterator[Any], groups: Iterator[tuple[int, list[Any]]]
) -> Iterator[tuple[Any, list[Any]]]:
    pending = next(groups, None)
    for row in change_sets:
        while pending is not None and pending[0] > row.id:
            pending = next(groups, None)  # calls of a change set outside the filter
        if pending is not None and pending[0] == row.id:
            yield row, pending[1]
            pending = next(groups, None)
        else:
            yield row, []


# One JSON object per change set, written by PostgreSQL: the same shape as jsonl_lines writes.
JSON_LINES_SQL = """
SELECT row_to_json(line)::text FROM (
  SELECT cs.id AS change_set, cs.created_at AS started_at, o.finished_at,
    coalesce(o.outcome, CASE WHEN cs.must_finish_by < %(now)s THEN 'interrupted'
                             ELSE 'in_progress' END) AS outcome,
    json_build_object('user_id', cs.actor_user_id, 'username', cs.actor_username,
      'display_name', cs.actor_display_name, 'client_address', cs.client_address,
      'user_agent', cs.user_agent, 'request_id', cs.request_id) AS actor,
    cs.action,
    json_build_object('type', cs.target_type, 'id', cs.target_id, 'name', cs.target_name) AS target,
    cs.reason, cs.summary, coalesce(o.summary, '') AS final_summary,
    coalesce(o.error, '') AS error, o.changes_in_words, cs.before, o.after, cs.names,
    coalesce(o.names, '{{}}') AS names_at_end,
    -- Not json_agg: it puts line breaks between the calls, and a line must stay one line.
    coalesce((SELECT array_to_json(array_agg(call ORDER BY call.sequence)) FROM (
      SELECT c.sequence, c.recorded_at, c.method, c.path, c.status, c.zendesk_request_id,
        c.duration_ms, c.attempts, c.error, c.request_body, c.response_body,
        c.chain_position, c.row_hash
      FROM audit_apicall c WHERE c.change_set_id = cs.id) call), '[]') AS api_calls,
    json_build_object('intent', json_build_array(cs.chain_position, cs.row_hash),
      'outcome', json_build_array(o.chain_position, o.row_hash)) AS chain
  FROM audit_changeset cs LEFT JOIN audit_changesetoutcome o ON o.change_set_id = cs.id
  WHERE cs.id < %(up_to)s {matching}
  ORDER BY cs.id DESC
) line
"""


def _postgresql_json_lines(log_filter: LogFilter, up_to: int, now) -> Iterator[tuple[str, int]]:
    """JSON Lines written by PostgreSQL and streamed row by row (libpq's single-row mode):
    the server builds the next lines while these are passed on."""
    matching, params = _matching_sql(log_filter, up_to)
    params.update(now=now, up_to=up_to)
    connection.ensure_connection()
    lines: list[str] = []
    count = 0
    # closing(): a download that stops early must end the stream (it holds the connection's
    # lock) before anything else uses the connection, or the worker waits for itself forever.
    with (
        connection.connection.cursor() as cursor,
        closing(cursor.stream(JSON_LINES_SQL.format(matching=matching), params)) as stream,
    ):
        for (line,) in stream:
            lines.append(line)
            count += 1
            if len(lines) == ROWS_PER_CHUNK:
                yield "\n".join(lines) + "\n", count
                lines = []
    yield "".join(f"{line}\n" for line in lines), count


def _matching_sql(log_filter: LogFilter, up_to: int) -> tuple[str, dict[str, Any]]:
    """("AND cs.id IN (...)", its parameters) for a filter; ("", {}) for the whole log."""
    if log_filter.is_empty:
        return "", {}
    subquery, subquery_params = _matching(log_filter, up_to).values("id").query.sql_with_params()
    names = [f"filter_{index}" for index in range(len(subquery_params))]
    subquery %= tuple(f"%({name})s" for name in names)
    return f"AND cs.id IN ({subquery})", dict(zip(names, subquery_params, strict=True))


def _sql_text(character: str) -> str:
    return f"'{character}'" if character.isprintable() else f"chr({ord(character)})"


def _cell(expression: str) -> str:
    """A text cell as csv_lines writes it: a formula start defused with an apostrophe, and
    empty text as NULL (COPY writes "" for empty text and nothing for NULL, like Python)."""
    starts = ", ".join(_sql_text(character) for character in FORMULA_STARTS)
    return (
        f"CASE WHEN left({expression}, 1) IN ({starts}) THEN '''' || {expression} "
        f"ELSE nullif({expression}, '') END"
    )


def _iso_sql(expression: str) -> str:
    """ISO 8601 in UTC, whatever the session's time zone, as _iso writes it."""
    return f"(to_json({expression} AT TIME ZONE 'UTC') #>> '{{}}') || '+00:00'"


_STATUS_SQL = (
    "coalesce(o.outcome, "
    "CASE WHEN cs.must_finish_by < %(now)s THEN 'interrupted' ELSE 'in_progress' END)"
)
# The columns of export_formats.CSV_COLUMNS, as csv_lines writes them.
CSV_COLUMNS_SQL = ",\n    ".join(
    [
        "cs.id",
        _iso_sql("cs.created_at"),
        _iso_sql("o.finished_at"),
        _cell(f"(%(outcome_labels)s::jsonb ->> {_STATUS_SQL})"),
        _cell("cs.actor_display_name"),
        _cell("cs.actor_username"),
        "cs.actor_user_id",
        _cell("cs.client_address"),
        _cell("cs.request_id"),
        _cell("coalesce(%(action_labels)s::jsonb ->> cs.action, cs.action)"),
        _cell("coalesce(%(target_labels)s::jsonb ->> cs.target_type, cs.target_type)"),
        _cell("cs.target_id"),
        _cell("cs.target_name"),
        _cell("cs.reason"),
        _cell("coalesce(nullif(o.summary, ''), cs.summary)"),
        _cell("o.changes_in_words"),
        _cell("o.error"),
        "calls.made",
        "calls.failed",
        "coalesce(o.row_hash, cs.row_hash)",
    ]
)
# One CSV line per change set, written by PostgreSQL.
CSV_SQL = """
COPY (
  SELECT {columns}
  FROM audit_changeset cs
  LEFT JOIN audit_changesetoutcome o ON o.change_set_id = cs.id
  CROSS JOIN LATERAL (
    SELECT count(*) AS made, count(*) FILTER (
      WHERE c.error > '' OR c.status IS NULL OR c.status < 200 OR c.status >= 300) AS failed
    FROM audit_apicall c WHERE c.change_set_id = cs.id) calls
  WHERE cs.id > %(after)s AND cs.id < %(up_to)s {matching}
  ORDER BY cs.id DESC
) TO STDOUT WITH (FORMAT csv)
"""


def _postgresql_csv(
    log_filter: LogFilter, after: int, up_to: int, now
) -> Generator[tuple[bytes, int], None, int]:
    """CSV lines of the matching change sets between `after` and `up_to`, newest first,
    written by PostgreSQL (COPY ... TO STDOUT) and passed on as they come; returns the count."""
    matching, params = _matching_sql(log_filter, up_to)
    params.update(
        after=after,
        up_to=up_to,
        now=now,
        outcome_labels=json.dumps(OUTCOME_LABELS),
        action_labels=json.dumps(ACTION_LABELS),
        target_labels=json.dumps(TARGET_LABELS),
    )
    connection.ensure_connection()
    lines: list[Any] = []
    count = 0
    # Leaving the block early (the download stopped) cancels the COPY and frees the connection.
    with (
        connection.connection.cursor() as cursor,
        cursor.copy(CSV_SQL.format(columns=CSV_COLUMNS_SQL, matching=matching), params) as copy,
    ):
        # PostgreSQL sends every row of a COPY as a message of its own: one read, one line.
        for line in copy:
            lines.append(line)
            count += 1
            if len(lines) == ROWS_PER_CHUNK:
                yield b"".join(lines), count
                lines = []
    yield b"".join(lines), count
    return count


def _newest_undescribed(up_to: int) -> int:
    """The newest change set below `up_to` whose outcome was written before outcomes kept
    their words (0 when there is none): it and older ones are described in Python."""
    newest = ChangeSetOutcome.objects.filter(
        changes_in_words__isnull=True, change_set_id__lt=up_to
    ).aggregate(newest=Max("change_set_id"))["newest"]
    return newest or 0


def _csv(log_filter: LogFilter, up_to: int, now) -> Iterator[tuple[str | bytes, int]]:
    """(text, change sets so far): the header, then a line per change set, newest first."""
    yield csv_header(), 0
    count, python_up_to = 0, up_to
    if connection.vendor == "postgresql":
        python_up_to = _newest_undescribed(up_to) + 1
        count = yield from _postgresql_csv(log_filter, python_up_to - 1, up_to, now)
        if python_up_to == 1:
            return
    yield from csv_lines(_csv_rows(log_filter, python_up_to), now, count)


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
                    if file_format == "csv":
                        lines = _csv(log_filter, up_to, now)
                    elif connection.vendor == "postgresql":
                        lines = _postgresql_json_lines(log_filter, up_to, now)
                    else:
                        rows = _with_calls(
                            _change_set_rows(log_filter, up_to),
                            _api_call_groups(log_filter, up_to),
                        )
                        lines = jsonl_lines(rows, now)
                    # Closed before the transaction ends: a stream or COPY stopped early holds
                    # the connection until it is.
                    with closing(lines):
                        for text, rows_so_far in lines:
                            count = rows_so_far
                            if text:
                                yield text if isinstance(text, bytes) else text.encode()
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
