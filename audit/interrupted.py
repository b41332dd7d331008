"""Change sets whose worker died: closing them, and the writes that were sent with no answer.

A write is on record before it is sent (SentCall) and again with its answer (ApiCall). When the
worker dies in between, the write may have reached Zendesk, and been made there, with nobody to
record the answer: such a call is "sent, answer unknown", on the change set's page, in the words
its interrupted outcome records, and in the exports.
"""

from django.db import IntegrityError
from django.db.models import Exists, OuterRef

from audit.chain import append_row, database_now
from audit.constants import Outcome
from audit.models import ApiCall, ChangeSet, ChangeSetOutcome, SentCall


def sent_without_answer(change_set: ChangeSet) -> list[SentCall]:
    """The writes of `change_set` that were sent and have no answer on record, in order."""
    answered = ApiCall.objects.filter(
        change_set_id=OuterRef("change_set_id"), sequence=OuterRef("sequence")
    )
    return list(
        SentCall.objects.filter(change_set=change_set)
        .exclude(Exists(answered))
        .order_by("sequence")
    )


def unknown_answers_in_words(calls: list[SentCall]) -> str:
    """ "2 writes were sent to Zendesk with no answer recorded ...: call 3, POST ...; ..."."""
    if not calls:
        return ""
    listed = "; ".join(f"call {call.sequence}, {call.method} {call.path}" for call in calls)
    were = "1 write was" if len(calls) == 1 else f"{len(calls)} writes were"
    return (
        f"{were} sent to Zendesk and no answer was recorded, so Zendesk may have made "
        f"{'it' if len(calls) == 1 else 'them'} (sent, answer unknown): {listed}. "
        "Check the target in Zendesk before trying again."
    )


def close_interrupted_change_sets() -> list[ChangeSet]:
    """Append an "interrupted" outcome to every change set whose worker died.

    A change set with no outcome after its `must_finish_by` (the database clock's time when it
    opened, plus its max_duration) can no longer be running. The review pages already show
    such change sets as interrupted; this writes it into the log itself, with the writes sent
    whose answer is unknown, so exports and the hash chain carry it too. Run by the worker every
    few minutes (audit.tasks) and by `manage.py audit_close_interrupted`. Returns those closed.
    """
    orphans = ChangeSet.objects.filter(
        outcome_row__isnull=True, must_finish_by__lt=database_now()
    ).order_by("id")
    closed = []
    for orphan in list(orphans):
        deadline = orphan.must_finish_by.isoformat(timespec="seconds")
        if _close_as_interrupted(orphan, why=f"no outcome was written by {deadline}"):
            closed.append(orphan)
    return closed


def close_change_sets_of_run(*, run_id: str) -> list[ChangeSet]:
    """Close as "interrupted" the change sets a background task's run opened and never
    finished, because its worker died (core.worker.signals.task_run_lost). Their request id is
    the run's id; a later run of the same task has another, so its change sets are untouched."""
    closed = []
    for orphan in ChangeSet.objects.filter(request_id=run_id, outcome_row__isnull=True):
        if _close_as_interrupted(orphan, why="the worker running it stopped"):
            closed.append(orphan)
    return closed


def _close_as_interrupted(orphan: ChangeSet, *, why: str) -> bool:
    """Append the interrupted outcome; False if its worker wrote an outcome after all."""
    unknown = unknown_answers_in_words(sent_without_answer(orphan))
    sent = unknown or "The API calls below are all that was sent."
    try:
        append_row(
            ChangeSetOutcome(
                change_set_id=orphan.pk,
                outcome=Outcome.INTERRUPTED,
                # How the target ended is unknown, so nothing is described as changed.
                changes_in_words="",
                error=f"TalkAdmin stopped before this change set finished: {why}. {sent}",
            )
        )
    except IntegrityError:
        return False  # its worker wrote an outcome after all, just now
    return True
