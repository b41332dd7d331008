"""Export the change sets matching a filter as CSV or JSON Lines, streamed with flat memory.

The export is itself a change set: its intent is committed when the download starts (before the
first byte), and the file holds exactly the change sets older than the export's own. Rows come
in chunks through server-side cursors, so a million rows never sit in memory.

CSV is for a spreadsheet: one line per change set, with what changed in words (described in
Python, the slower format). JSON Lines is complete: one object per change set with the
snapshots, names and API calls exactly as stored; on PostgreSQL the database writes each line
(row_to_json) and streams it while Python passes the previous ones on, elsewhere (the SQLite
trial) Python writes them from two merged streams, change sets and API calls.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Func, OuterRef, Q, Subquery, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from audit.actor import Actor
from audit.constants import Action, TargetType
from audit.export_formats import ROWS_PER_CHUNK, csv_lines, jsonl_lines
from audit.models import ApiCall
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
    "outcome_row__chain_position",
    "outcome_row__row_hash",
    "outcome_row__target_id",
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
    -- A change that created its target (a new IVR) names it only in its outcome.
    json_build_object('type', cs.target_type,
      'id', coalesce(nullif(cs.target_id, ''), o.target_id, ''), 'name', cs.target_name) AS target,
    cs.reason, cs.summary, coalesce(o.summary, '') AS final_summary,
    coalesce(o.error, '') AS error, cs.before, o.after, cs.names,
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
    params: dict[str, Any] = {"now": now, "up_to": up_to}
    matching = ""
    if not log_filter.is_empty:
        subquery, subquery_params = (
            _matching(log_filter, up_to).values("id").query.sql_with_params()
        )
        names = [f"filter_{index}" for index in range(len(subquery_params))]
        subquery %= tuple(f"%({name})s" for name in names)
        params.update(zip(names, subquery_params, strict=True))
        matching = f"AND cs.id IN ({subquery})"
    connection.ensure_connection()
    lines: list[str] = []
    count = 0
    with connection.connection.cursor() as cursor:
        for (line,) in cursor.stream(JSON_LINES_SQL.format(matching=matching), params):
            lines.append(line)
            count += 1
            if len(lines) == ROWS_PER_CHUNK:
                yield "\n".join(lines) + "\n", count
                lines = []
    yield "".join(f"{line}\n" for line in lines), count


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
                        lines = csv_lines(_csv_rows(log_filter, up_to), now)
                    elif connection.vendor == "postgresql":
                        lines = _postgresql_json_lines(log_filter, up_to, now)
                    else:
                        rows = _with_calls(
                            _change_set_rows(log_filter, up_to),
                            _api_call_groups(log_filter, up_to),
                        )
                        lines = jsonl_lines(rows, now)
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
