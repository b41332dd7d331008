"""Walk the hash chain and say whether the audit log is intact, or which row is not.

Used by `manage.py audit_verify` (the whole chain at once) and the admin's verification page
(in slices, each continuing from the position and hash where the last one stopped).
"""

import heapq
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from audit.chain import GENESIS_HASH, chain_head, row_hash
from audit.models import CHAINED_MODELS, ApiCall, ChainedRow, ChangeSet

CHUNK_SIZE = 5000


@dataclass(frozen=True)
class ChainProblem:
    position: int
    kind: str  # "altered", "removed" or "reordered"
    row: str  # the row in words: "API call 2 of change set #12"
    message: str


@dataclass(frozen=True)
class ChainVerdict:
    rows_checked: int
    last_position: int  # position of the last row checked (the head when finished)
    last_hash: str
    finished: bool  # True when the walk reached the head (or found a problem)
    head_position: int  # the head when the walk started
    problem: ChainProblem | None = None

    @property
    def intact(self) -> bool:
        return self.problem is None


def describe_row(kind: str, values: dict[str, Any]) -> str:
    if kind == ChangeSet.CHAIN_KIND:
        return f"change set #{values['id']} (its intent)"
    if kind == ApiCall.CHAIN_KIND:
        return f"API call {values['sequence']} of change set #{values['change_set_id']}"
    return f"the outcome of change set #{values['change_set_id']}"


def _rows(
    model: type[ChainedRow], after_position: int, up_to: int
) -> Iterator[tuple[int, str, dict[str, Any]]]:
    fields = ("row_hash", *model.HASHED_FIELDS)
    rows = (
        model.objects.filter(chain_position__gt=after_position, chain_position__lte=up_to)
        .order_by("chain_position")
        .values(*fields)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    for values in rows:
        yield values["chain_position"], model.CHAIN_KIND, values


def _find_by_hash(stored_hash: str) -> tuple[str, dict[str, Any]] | None:
    for model in CHAINED_MODELS:
        values = model.objects.filter(row_hash=stored_hash).values(*model.HASHED_FIELDS).first()
        if values:
            return model.CHAIN_KIND, values
    return None


def _link_problem(
    position: int, kind: str, values: dict[str, Any], previous_label: str
) -> ChainProblem:
    label = describe_row(kind, values)
    chained_after = _find_by_hash(values["previous_hash"])
    if chained_after is not None:
        other_kind, other = chained_after
        return ChainProblem(
            position=position,
            kind="reordered",
            row=label,
            message=(
                f"Row {position} of the chain ({label}) was written right after "
                f"{describe_row(other_kind, other)}, which is now at position "
                f"{other['chain_position']}: rows were moved or swapped."
            ),
        )
    return ChainProblem(
        position=position,
        kind="removed",
        row=label,
        message=(
            f"Row {position} of the chain ({label}) was not written after the row now before "
            f"it ({previous_label}): the row it followed was removed, or that earlier row was "
            "altered together with its hash."
        ),
    )


def verify_chain(
    *, after_position: int = 0, previous_hash: str = GENESIS_HASH, limit: int | None = None
) -> ChainVerdict:
    """Check the chain from `after_position` (whose row hash is `previous_hash`) onwards.

    Stops at the first problem, at the head as it was when the walk started, or after `limit`
    rows (then `finished` is False and the walk continues from `last_position`/`last_hash`).
    """
    # Every position up to the head we read now is committed (positions are given out under
    # the chain lock), so the walk sees a consistent log while writers carry on appending.
    head_position, _ = chain_head()
    checked, expected, last_hash = 0, after_position + 1, previous_hash
    previous_label = "the start of the log" if after_position == 0 else f"row {after_position}"
    with transaction.atomic():  # server-side cursors stream inside a transaction
        merged = heapq.merge(
            *(_rows(model, after_position, head_position) for model in CHAINED_MODELS),
            key=lambda item: item[0],
        )
        for position, kind, values in merged:
            label = describe_row(kind, values)
            problem = None
            if position > expected:
                missing = (
                    f"row {expected}"
                    if position == expected + 1
                    else f"rows {expected} to {position - 1}"
                )
                problem = ChainProblem(
                    position=expected,
                    kind="removed",
                    row=label,
                    message=(
                        f"The chain jumps from {previous_label} to row {position} ({label}): "
                        f"{missing} of the chain were removed."
                    ),
                )
            elif position < expected:
                problem = ChainProblem(
                    position=position,
                    kind="reordered",
                    row=label,
                    message=f"Two rows claim position {position} of the chain; {label} is one.",
                )
            elif values["previous_hash"] != last_hash:
                problem = _link_problem(position, kind, values, previous_label)
            elif (
                row_hash(kind, {k: values[k] for k in values if k != "row_hash"})
                != values["row_hash"]
            ):
                problem = ChainProblem(
                    position=position,
                    kind="altered",
                    row=label,
                    message=(
                        f"Row {position} of the chain ({label}) was altered after it was "
                        "written: its content no longer matches its hash."
                    ),
                )
            if problem is not None:
                return ChainVerdict(
                    rows_checked=checked,
                    last_position=expected - 1,
                    last_hash=last_hash,
                    finished=True,
                    head_position=head_position,
                    problem=problem,
                )
            checked += 1
            expected, last_hash, previous_label = position + 1, values["row_hash"], label
            if limit is not None and checked >= limit and position < head_position:
                return ChainVerdict(checked, position, last_hash, False, head_position)
    if expected - 1 < head_position:
        # The head we read is gone: the rows at the end were removed.
        return ChainVerdict(
            rows_checked=checked,
            last_position=expected - 1,
            last_hash=last_hash,
            finished=True,
            head_position=head_position,
            problem=ChainProblem(
                position=expected,
                kind="removed",
                row=f"row {expected}",
                message=f"Rows {expected} to {head_position} at the end of the chain were removed.",
            ),
        )
    return ChainVerdict(checked, expected - 1, last_hash, True, head_position)


def hash_at(position: int) -> str | None:
    """The stored hash of the row at `position`, to check a head hash noted earlier."""
    for model in CHAINED_MODELS:
        stored = model.objects.filter(chain_position=position).values_list("row_hash", flat=True)
        if stored:
            return stored[0]
    return None
