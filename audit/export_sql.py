"""The exports PostgreSQL writes itself: CSV through COPY ... TO STDOUT, JSON Lines through
row_to_json, streamed row by row. Each gives exactly the bytes (CSV) or objects (JSON Lines)
that audit.export_formats writes in Python, which the SQLite trial and older outcomes use.
"""

import json
from collections.abc import Generator
from contextlib import closing
from datetime import datetime
from typing import Any

from django.db import connection

from audit.export_formats import (
    ACTION_LABELS,
    FORMULA_STARTS,
    OUTCOME_LABELS,
    ROWS_PER_CHUNK,
    TARGET_LABELS,
)
from audit.review import LogFilter, filtered_change_sets


def matching(log_filter: LogFilter, up_to: int):
    """The change sets matching `log_filter` below `up_to` (the export's own change set)."""
    return filtered_change_sets(log_filter).filter(id__lt=up_to)


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
    -- A change that created its target (a new IVR) names it only in its outcome.
    json_build_object('type', cs.target_type,
      'id', coalesce(nullif(cs.target_id, ''), o.target_id, ''), 'name', cs.target_name) AS target,
    cs.reason, cs.summary, coalesce(o.summary, '') AS final_summary,
    coalesce(o.error, '') AS error, o.changes_in_words, cs.before, o.after, cs.names,
    coalesce(o.names, '{{}}') AS names_at_end,
    -- Not json_agg: it puts line breaks between the calls, and a line must stay one line.
    coalesce((SELECT array_to_json(array_agg(call ORDER BY call.sequence)) FROM (
      SELECT c.sequence, c.recorded_at, c.method, c.path, c.status, c.zendesk_request_id,
        c.duration_ms, c.attempts, c.error, c.request_body, c.response_body,
        c.chain_position, c.row_hash
      FROM audit_apicall c WHERE c.change_set_id = cs.id) call), '[]') AS api_calls,
    -- Writes sent with no answer on record: only a change set whose worker died has any.
    CASE WHEN o.outcome IS NULL OR o.outcome = 'interrupted' THEN
      coalesce((SELECT array_to_json(array_agg(sent ORDER BY sent.sequence)) FROM (
        SELECT s.sequence, s.sent_at, s.method, s.path, s.request_body, s.chain_position,
          s.row_hash
        FROM audit_sentcall s WHERE s.change_set_id = cs.id AND NOT EXISTS (
          SELECT 1 FROM audit_apicall a
          WHERE a.change_set_id = s.change_set_id AND a.sequence = s.sequence)) sent), '[]')
    ELSE '[]' END AS sent_answer_unknown,
    json_build_object('intent', json_build_array(cs.chain_position, cs.row_hash),
      'outcome', json_build_array(o.chain_position, o.row_hash)) AS chain
  FROM audit_changeset cs LEFT JOIN audit_changesetoutcome o ON o.change_set_id = cs.id
  WHERE cs.id < %(up_to)s {matching}
  ORDER BY cs.id DESC
) line
"""


def postgresql_json_lines(
    log_filter: LogFilter, up_to: int, now: datetime
) -> Generator[tuple[str, int], None, None]:
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
    subquery, subquery_params = matching(log_filter, up_to).values("id").query.sql_with_params()
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
# Writes sent with no answer on record, counted only for change sets whose worker died (no
# outcome, or interrupted): a living worker records every answer, even "no answer" on a timeout,
# before it writes the outcome. The same rule as audit.export._unknown_answer_count.
UNKNOWN_ANSWERS_SQL = """CASE WHEN o.outcome IS NULL OR o.outcome = 'interrupted' THEN (
      SELECT count(*) FROM audit_sentcall s WHERE s.change_set_id = cs.id AND NOT EXISTS (
        SELECT 1 FROM audit_apicall a
        WHERE a.change_set_id = s.change_set_id AND a.sequence = s.sequence))
    ELSE 0 END"""
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
        _cell("coalesce(nullif(cs.target_id, ''), o.target_id, '')"),  # or the IVR it created
        _cell("cs.target_name"),
        _cell("cs.reason"),
        _cell("coalesce(cs.approval ->> 'requested_by', '')"),
        _cell("coalesce(cs.approval ->> 'approved_by', '')"),
        _cell("coalesce(cs.approval ->> 'request', '')"),
        _cell("coalesce(nullif(o.summary, ''), cs.summary)"),
        _cell("o.changes_in_words"),
        _cell("o.error"),
        "calls.made",
        "calls.failed",
        UNKNOWN_ANSWERS_SQL,
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


def postgresql_csv(
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
