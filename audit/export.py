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
exactly as stored, and the writes sent whose answer is unknown; on PostgreSQL the database
writes each line (row_to_json, audit.export_sql) and streams it while Python passes the previous
ones on, elsewhere (the SQLite trial) Python writes them from two merged streams, change sets
and API calls. Both formats count or list the writes sent with no answer on record ("sent,
answer unknown", audit.interrupted) of every change set whose worker died.
"""

from collections.abc import Generator, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Case,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from audit.actor import Actor
from audit.constants import Action, Outcome, TargetType
from audit.export_formats import (
    csv_header,
    csv_lines,
    jsonl_lines,
)
from audit.export_sql import matching, postgresql_csv, postgresql_json_lines
from audit.models import ApiCall, ChangeSetOutcome, SentCall
from audit.recording import change_set
from audit.review import LogFilter

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
    "approval",
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


def _csv_rows(log_filter: LogFilter, up_to: int) -> Iterator[Any]:
    """Change sets with their snapshots and how many API calls (and failed ones) they made."""
    calls = ApiCall.objects.filter(change_set=OuterRef("pk")).order_by().values("change_set")
    count = Func(F("id"), function="COUNT")
    failed = Q(error__gt="") | Q(status__isnull=True) | Q(status__lt=200) | Q(status__gte=300)
    rows = matching(log_filter, up_to).annotate(
        api_call_count=Subquery(calls.annotate(n=count).values("n")),
        failed_call_count=Subquery(calls.filter(failed).annotate(n=count).values("n")),
        unknown_answer_count=_unknown_answer_count(),
    )
    fields = (*CHANGE_SET_FIELDS, "before", "names", "outcome_row__after", "outcome_row__names")
    counts = ("api_call_count", "failed_call_count", "unknown_answer_count")
    return (
        rows.order_by("-id")
        .values_list(*fields, *counts, named=True)
        .iterator(chunk_size=CHUNK_SIZE)
    )


def _unknown_answer_count() -> Case:
    """Writes of the change set sent with no answer on record ("sent, answer unknown"). Only a
    change set whose worker died (no outcome, or interrupted) can have one: a living worker
    records every answer before the outcome. So the others cost nothing; the same rule as
    audit.export_sql.UNKNOWN_ANSWERS_SQL."""
    unanswered = SentCall.objects.filter(change_set=OuterRef("pk")).exclude(
        Exists(
            ApiCall.objects.filter(
                change_set_id=OuterRef("change_set_id"), sequence=OuterRef("sequence")
            )
        )
    )
    count = Func(F("id"), function="COUNT")
    counted = Subquery(unanswered.order_by().values("change_set").annotate(n=count).values("n"))
    died = Q(outcome_row__isnull=True) | Q(outcome_row__outcome=Outcome.INTERRUPTED)
    return Case(
        When(died, then=Coalesce(counted, Value(0))),
        default=Value(0),
        output_field=IntegerField(),
    )


def _change_set_rows(log_filter: LogFilter, up_to: int) -> Iterator[Any]:
    """Change sets with their JSON columns as the stored text, for Python's JSON Lines."""
    rows = matching(log_filter, up_to).order_by("-id")
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
        calls = calls.filter(change_set_id__in=matching(log_filter, up_to).values("id"))
    calls = calls.annotate(
        request_json=Cast("request_body", TextField()),
        response_json=Cast("response_body", TextField()),
    )
    fields = (*API_CALL_FIELDS, "request_json", "response_json")
    # Both index columns descending: a plain backward scan of (change_set, sequence).
    ordered = calls.order_by("-change_set_id", "-sequence").values_list(*fields, named=True)
    group_id: int | None = None  # set with the group's first call
    group: list[Any] = []
    for call in ordered.iterator(chunk_size=CHUNK_SIZE):
        if call.change_set_id != group_id:
            if group and group_id is not None:
                yield group_id, group[::-1]
            group_id, group = call.change_set_id, []
        group.append(call)
    if group and group_id is not None:
        yield group_id, group[::-1]


def _with_calls(
    change_sets: Iterator[Any], groups: Iterator[tuple[int, list[Any]]]
) -> Iterator[tuple[Any, list[Any], list[Any]]]:
    """(change set, its calls, its writes sent with no answer) for each change set."""
    pending = next(groups, None)
    for row in change_sets:
        while pending is not None and pending[0] > row.id:
            pending = next(groups, None)  # calls of a change set outside the filter
        calls: list[Any] = []
        if pending is not None and pending[0] == row.id:
            calls = pending[1]
            pending = next(groups, None)
        yield row, calls, _unanswered(row)


def _unanswered(row: Any) -> list[Any]:
    """The writes sent with no answer, read only for the rare change sets whose worker died."""
    if row.outcome_row__outcome not in (None, Outcome.INTERRUPTED):
        return []
    answered = ApiCall.objects.filter(
        change_set_id=OuterRef("change_set_id"), sequence=OuterRef("sequence")
    )
    sent = SentCall.objects.filter(change_set_id=row.id).exclude(Exists(answered))
    sent = sent.annotate(request_json=Cast("request_body", TextField()))
    fields = ("sequence", "sent_at", "method", "path", "request_json", "chain_position")
    return list(sent.order_by("sequence").values_list(*fields, "row_hash", named=True))


def _newest_undescribed(up_to: int) -> int:
    """The newest change set below `up_to` whose outcome was written before outcomes kept
    their words (0 when there is none): it and older ones are described in Python."""
    newest = ChangeSetOutcome.objects.filter(
        changes_in_words__isnull=True, change_set_id__lt=up_to
    ).aggregate(newest=Max("change_set_id"))["newest"]
    return newest or 0


def _csv(
    log_filter: LogFilter, up_to: int, now: datetime
) -> Generator[tuple[str | bytes, int], None, None]:
    """(text, change sets so far): the header, then a line per change set, newest first."""
    yield csv_header(), 0
    count, python_up_to = 0, up_to
    if connection.vendor == "postgresql":
        python_up_to = _newest_undescribed(up_to) + 1
        count = yield from postgresql_csv(log_filter, python_up_to - 1, up_to, now)
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
                        lines = postgresql_json_lines(log_filter, up_to, now)
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
