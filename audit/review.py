"""Reading the audit log: filters, newest-first pages, one target's history.

Pages use keyset pagination on the change set id (ids are given out in commit order under the
chain lock), so the first page, a filtered page and page 10,000 all cost one index range scan
and nothing counts the rows of the whole log.
"""

from dataclasses import dataclass, fields, replace
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from audit.constants import IN_PROGRESS, LIVE_CHANGE_ACTIONS, Action, Outcome, TargetType
from audit.models import ChangeSet, ChangeSetOutcome

PAGE_SIZE = 50
NO_USER = "none"  # the actor filter's value for commands and visitors not signed in


@dataclass(frozen=True)
class LogFilter:
    """What a reviewer asked to see; every field is also a URL query parameter."""

    actor: str = ""  # a user id, or NO_USER
    action: str = ""
    target_type: str = ""
    target_id: str = ""  # exact: the "History" links of IVR and phone-number pages
    target: str = ""  # a target's name (any part of it) or exact id
    outcome: str = ""  # an Outcome value or IN_PROGRESS
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""  # any part of a summary or reason
    # Only changes to a line made, without a second person's approval, while the audit log
    # shows it protected (changes/: should be none).
    unapproved_protected: bool = False

    def as_query(self) -> dict[str, str]:
        """The non-empty filters as URL parameters."""
        query = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if value is True:
                query[field.name] = "on"
            elif value:
                query[field.name] = value.isoformat() if isinstance(value, date) else str(value)
        return query

    def query_string(self, **extra: str | int) -> str:
        return urlencode({**self.as_query(), **{k: str(v) for k, v in extra.items()}})

    @property
    def is_empty(self) -> bool:
        return not self.as_query()


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def filtered_change_sets(log_filter: LogFilter) -> QuerySet[ChangeSet]:
    """The change sets matching `log_filter`, with their outcome rows, in no particular order."""
    change_sets = ChangeSet.objects.select_related("outcome_row")
    if log_filter.actor == NO_USER:
        change_sets = change_sets.filter(actor_user_id__isnull=True)
    elif log_filter.actor:
        change_sets = change_sets.filter(actor_user_id=int(log_filter.actor))
    if log_filter.action:
        change_sets = change_sets.filter(action=log_filter.action)
    if log_filter.target_type:
        change_sets = change_sets.filter(target_type=log_filter.target_type)
    if log_filter.target_id:
        change_sets = change_sets.filter(_target_condition(log_filter.target_id))
    if log_filter.target:
        change_sets = change_sets.filter(
            Q(target_name__icontains=log_filter.target) | Q(target_id=log_filter.target)
        )
    if log_filter.date_from:
        change_sets = change_sets.filter(created_at__gte=_day_start(log_filter.date_from))
    if log_filter.date_to:
        next_day = log_filter.date_to + timedelta(days=1)
        change_sets = change_sets.filter(created_at__lt=_day_start(next_day))
    if log_filter.text:
        change_sets = change_sets.filter(
            Q(summary__icontains=log_filter.text)
            | Q(reason__icontains=log_filter.text)
            | Q(outcome_row__summary__icontains=log_filter.text)
        )
    if log_filter.outcome:
        change_sets = change_sets.filter(_outcome_condition(log_filter.outcome))
    if log_filter.unapproved_protected:
        change_sets = _unapproved_on_protected_lines(change_sets)
    return change_sets


def _unapproved_on_protected_lines(change_sets: QuerySet[ChangeSet]) -> QuerySet[ChangeSet]:
    """Live changes with no approval recorded whose line was protected at the time: the latest
    "protected" / "protection removed" row of the same target before them says "protected".
    Read from the audit log alone, so an auditor needs nothing else to trust it."""
    protection = (
        ChangeSet.objects.filter(
            target_type=OuterRef("target_type"),
            target_id=OuterRef("target_id"),
            action__in=(Action.PROTECT_LINE, Action.UNPROTECT_LINE),
            id__lt=OuterRef("id"),
        )
        .order_by("-id")
        .values("action")[:1]
    )
    return (
        change_sets.filter(action__in=LIVE_CHANGE_ACTIONS, approval__isnull=True)
        .annotate(protection_then=Subquery(protection))
        .filter(protection_then=Action.PROTECT_LINE)
    )


def _target_condition(target_id: str) -> Q:
    """Change sets of this target: those naming it, and those that created it (which could
    name it only in their outcome, see OpenChangeSet.set_target). The few creating ones are
    looked up first, so the condition stays two index scans, not a join over the whole log."""
    created = list(
        ChangeSetOutcome.objects.filter(target_id=target_id).values_list("change_set_id", flat=True)
    )
    condition = Q(target_id=target_id)
    return condition | Q(pk__in=created) if created else condition


def _outcome_condition(outcome: str) -> Q:
    now = timezone.now()
    still_open = Q(outcome_row__isnull=True)
    if outcome == IN_PROGRESS:
        return still_open & Q(must_finish_by__gte=now)
    if outcome == Outcome.INTERRUPTED:
        # Written as interrupted, or never finished and out of time: the worker died.
        return Q(outcome_row__outcome=outcome) | (still_open & Q(must_finish_by__lt=now))
    return Q(outcome_row__outcome=outcome)


@dataclass(frozen=True)
class LogPage:
    change_sets: list[ChangeSet]
    newer_than: int | None  # pass as `after` to see the page of newer change sets
    older_than: int | None  # pass as `before` to see the page of older change sets

    @property
    def is_first(self) -> bool:
        return self.newer_than is None


def _newest(log_filter: LogFilter, condition: Q, *, oldest_first: bool, limit: int) -> list[int]:
    """The ids of up to `limit` matching change sets that meet `condition`, newest first
    (or oldest first)."""
    order = "id" if oldest_first else "-id"
    matching = filtered_change_sets(replace(log_filter, text="")).filter(condition)
    if not log_filter.text:
        return list(matching.order_by(order).values_list("id", flat=True)[:limit])
    # Words are searched in two halves, each able to use its own trigram index; one condition
    # OR-ed across the join with the outcomes could use neither and would read the whole log.
    words = log_filter.text
    halves = (
        matching.filter(Q(summary__icontains=words) | Q(reason__icontains=words)),
        matching.filter(outcome_row__summary__icontains=words),
    )
    ids = {i for half in halves for i in half.order_by(order).values_list("id", flat=True)[:limit]}
    return sorted(ids, reverse=not oldest_first)[:limit]


def log_page(
    log_filter: LogFilter,
    *,
    before: int | None = None,
    after: int | None = None,
    size: int = PAGE_SIZE,
) -> LogPage:
    """One page of matching change sets, newest first: the newest, or those older than
    `before`, or those newer than `after`."""
    if after is not None:
        ids = _newest(log_filter, Q(id__gt=after), oldest_first=True, limit=size + 1)
        if not ids:  # nothing newer any more: show the newest page instead
            return log_page(log_filter, size=size)
        has_newer = len(ids) > size
        ids = ids[:size][::-1]
    else:
        condition = Q(id__lt=before) if before is not None else Q()
        ids = _newest(log_filter, condition, oldest_first=False, limit=size + 1)
        has_older = len(ids) > size
        ids = ids[:size]
        has_newer = bool(
            before is not None
            and ids
            and _newest(log_filter, Q(id__gt=ids[0]), oldest_first=True, limit=1)
        )
    # The list shows no snapshots: leave the big JSON columns in the database.
    rows = list(
        ChangeSet.objects.select_related("outcome_row")
        .defer("before", "names", "user_agent", "outcome_row__after", "outcome_row__names")
        .filter(id__in=ids)
        .order_by("-id")
    )
    if after is not None:
        has_older = True  # the page we came from
    newer = rows[0].pk if rows and has_newer else None
    older = rows[-1].pk if rows and has_older else None
    return LogPage(rows, newer, older)


def history_url(*, target_type: str, target_id: str | int) -> str:
    """The audit list filtered to one IVR, phone number or user: link "History" here."""
    query = LogFilter(target_type=str(target_type), target_id=str(target_id)).query_string()
    return f"{reverse('audit:list')}?{query}"


def recent_history(*, target_type: str, target_id: str | int, limit: int = 10) -> list[ChangeSet]:
    """The newest change sets of one target, for the small history box on its page."""
    log_filter = LogFilter(target_type=str(target_type), target_id=str(target_id))
    return list(filtered_change_sets(log_filter).order_by("-id")[:limit])


ACTION_LABELS = dict(Action.choices)
TARGET_TYPE_LABELS = dict(TargetType.choices)
