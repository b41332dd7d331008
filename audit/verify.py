"""Walk the hash chain and say whether the audit log is intact, or which row is not.

Two checks on every row: its hash (content and link to the row before: the first altered,
removed or reordered row stops the walk), and its signature (audit.signing: every row without
a valid one is named, and the walk goes on). Rows written before signing was turned on have
neither key id nor signature and come first in the chain; they are counted, not called forged.
An unsigned row after a signed one was not written by TalkAdmin.

Used by `manage.py audit_verify` (the whole chain at once) and the admin's verification page
(in slices, each continuing from the position and hash where the last one stopped, and from
the Signatures found so far).
"""

import hashlib
import heapq
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction

from audit.chain import GENESIS_HASH, chain_head, hashed_values, row_content
from audit.constants import Action
from audit.models import CHAINED_MODELS, ApiCall, ChainedRow, ChangeSet, SentCall
from audit.signing import SigningKeys

CHUNK_SIZE = 5000
# Rows without a valid signature named in one verdict (the command names every one, slice by
# slice); more are counted.
NAMED_UNSIGNED_ROWS = 1000


@dataclass(frozen=True)
class ChainProblem:
    position: int
    kind: str  # "altered", "removed" or "reordered"
    row: str  # the row in words: "API call 2 of change set #12"
    message: str


@dataclass(frozen=True)
class UnsignedRow:
    """A row whose signature does not show TalkAdmin wrote it."""

    position: int
    row: str  # the row in words
    message: str
    change_set_id: int | None = None  # the change set the row belongs to (or claims to)


@dataclass
class Signatures:
    """What the signatures of the rows walked so far showed; carried from slice to slice."""

    before_signing: int = 0  # rows from before signing was turned on (all at the start)
    signed: int = 0  # rows with a valid signature
    unsigned_count: int = 0  # rows without a valid signature, after signing was turned on
    unsigned: list[UnsignedRow] = field(default_factory=list)  # the first `named_limit`
    named_limit: int | None = NAMED_UNSIGNED_ROWS  # None: every one (the command drains it)

    def as_list(self) -> list:
        """A compact form, for the verification page's progress link."""
        rows = [[row.position, row.row, row.message, row.change_set_id] for row in self.unsigned]
        return [self.before_signing, self.signed, self.unsigned_count, rows]

    @classmethod
    def from_list(cls, value: list, *, named_limit: int | None) -> "Signatures":
        before, signed, count, rows = value
        named = [UnsignedRow(*row) for row in rows]
        return cls(before, signed, count, named, named_limit=named_limit)

    def note_unsigned(self, row: UnsignedRow) -> None:
        self.unsigned_count += 1
        if self.named_limit is None or len(self.unsigned) < self.named_limit:
            self.unsigned.append(row)

    @property
    def words(self) -> str:
        """The rows from before signing, if any, in a sentence; "" when every row is signed."""
        if not self.before_signing:
            return ""
        rows = (
            "Row 1 was" if self.before_signing == 1 else f"Rows 1 to {self.before_signing:,} were"
        )
        return (
            f"{rows} written before row signing was turned on: their hashes are checked, but no "
            "key vouches for who wrote them."
        )


@dataclass(frozen=True)
class ChainVerdict:
    rows_checked: int
    last_position: int  # position of the last row checked (the head when finished)
    last_hash: str
    finished: bool  # True when the walk reached the head (or found a problem)
    head_position: int  # the head when the walk started
    problem: ChainProblem | None = None
    signatures: Signatures = field(default_factory=Signatures)  # from the start of the walk

    @property
    def chain_intact(self) -> bool:
        return self.problem is None

    @property
    def intact(self) -> bool:
        """No row altered, removed or moved, and every signed-era row signed by TalkAdmin."""
        return self.problem is None and self.signatures.unsigned_count == 0


def describe_row(kind: str, values: dict[str, Any]) -> str:
    if kind == ChangeSet.CHAIN_KIND:
        return f"change set #{values['id']} (its intent)"
    if kind == ApiCall.CHAIN_KIND:
        return f"API call {values['sequence']} of change set #{values['change_set_id']}"
    if kind == SentCall.CHAIN_KIND:
        return f"API call {values['sequence']} of change set #{values['change_set_id']}, as sent"
    return f"the outcome of change set #{values['change_set_id']}"


def _signature_problem(
    position: int, label: str, key_id: str, signature: str | None, content: bytes,
    keys: SigningKeys,
) -> str | None:  # fmt: skip
    """Why the row's signature does not show TalkAdmin wrote it; None when it does."""
    valid = keys.check(key_id, signature, content)
    if valid:
        return None
    if valid is None:
        return (
            f"Row {position} of the chain ({label}) is signed with key '{key_id}', which is not "
            "among the configured keys (AUDIT_HMAC_KEYS), so its signature cannot be checked: "
            "if that key was retired, add it back; otherwise TalkAdmin did not write this row."
        )
    return (
        f"Row {position} of the chain ({label}) has a signature that does not match its "
        "content: it was not written by TalkAdmin."
    )


def _check_signature(
    position: int,
    label: str,
    values: dict[str, Any],
    content: bytes,
    keys: SigningKeys,
    signatures: Signatures,
) -> None:
    message: str | None
    if values["signing_key_id"] is None:
        if signatures.signed == 0 and signatures.unsigned_count == 0:
            signatures.before_signing += 1  # written before signing was turned on
            return
        message = (
            f"Row {position} of the chain ({label}) has no signature, yet rows before it are "
            "signed: it was not written by TalkAdmin (someone added it to the database)."
        )
    else:
        message = _signature_problem(
            position, label, values["signing_key_id"], values["signature"], content, keys
        )
    if message is None:
        signatures.signed += 1
    else:
        change_set_id = values.get("change_set_id", values["id"])  # an intent is its change set
        signatures.note_unsigned(UnsignedRow(position, label, message, change_set_id))


def _rows(
    model: type[ChainedRow], after_position: int, up_to: int
) -> Iterator[tuple[int, str, dict[str, Any]]]:
    fields = ("row_hash", "signature", *model.HASHED_FIELDS)
    rows = (
        model._default_manager.filter(chain_position__gt=after_position, chain_position__lte=up_to)
        .order_by("chain_position")
        .values(*fields)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    for values in rows:
        yield values["chain_position"], model.CHAIN_KIND, values


def _find_by_hash(stored_hash: str) -> tuple[str, dict[str, Any]] | None:
    for model in CHAINED_MODELS:
        values = (
            model._default_manager.filter(row_hash=stored_hash).values(*model.HASHED_FIELDS).first()
        )
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
    *,
    after_position: int = 0,
    previous_hash: str = GENESIS_HASH,
    limit: int | None = None,
    signatures: Signatures | None = None,
    keys: SigningKeys | None = None,
) -> ChainVerdict:
    """Check the chain from `after_position` (whose row hash is `previous_hash`) onwards.

    Stops at the first problem of the chain, at the head as it was when the walk started, or
    after `limit` rows (then `finished` is False and the walk continues from
    `last_position`/`last_hash`, passing the verdict's `signatures` on). Rows without a valid
    signature are collected in `signatures` and do not stop the walk. `keys`: the installation's
    (settings.AUDIT_HMAC_KEYS) unless given.
    """
    keys = keys or settings.AUDIT_HMAC_KEYS
    signatures = signatures or Signatures()
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
            content = row_content(kind, _hashed(values))  # what the hash and signature cover
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
            elif hashlib.sha256(content).hexdigest() != values["row_hash"]:
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
                    signatures=signatures,
                )
            _check_signature(position, label, values, content, keys, signatures)
            checked += 1
            expected, last_hash, previous_label = position + 1, values["row_hash"], label
            if limit is not None and checked >= limit and position < head_position:
                return ChainVerdict(
                    checked, position, last_hash, False, head_position, signatures=signatures
                )
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
            signatures=signatures,
        )
    return ChainVerdict(
        checked, expected - 1, last_hash, True, head_position, signatures=signatures
    )


def _hashed(values: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in values.items() if name not in _NOT_HASHED}


_NOT_HASHED = frozenset({"row_hash", "signature"})


def hash_at(position: int) -> str | None:
    """The stored hash of the row at `position`, to check a head hash noted earlier."""
    for model in CHAINED_MODELS:
        stored = model._default_manager.filter(chain_position=position).values_list(
            "row_hash", flat=True
        )
        if stored:
            return stored[0]
    return None


def signing_began_at(keys: SigningKeys) -> int:
    """The chain position from which every row is signed: that of the change set recording
    that signing was turned on, written when an existing log was migrated (audit.apps); 1 when
    there is none (the log began signed). Only a marker TalkAdmin signed counts."""
    markers = ChangeSet.objects.filter(action=Action.START_ROW_SIGNING).order_by("id")
    for marker in markers.only(*ChangeSet.HASHED_FIELDS, "signature")[:5]:
        content = row_content(ChangeSet.CHAIN_KIND, hashed_values(marker))
        if keys.check(marker.signing_key_id or "", marker.signature, content):
            return marker.chain_position
    return 1


def unsigned_rows_of(change_set: ChangeSet, *, keys: SigningKeys | None = None) -> list[str]:
    """The rows of one change set (intent, calls, outcome) TalkAdmin did not sign, in words,
    for its page; rows written before signing was turned on are not listed."""
    keys = keys or settings.AUDIT_HMAC_KEYS
    rows: list[ChainedRow] = [
        change_set,
        *change_set.sent_calls.order_by("sequence"),
        *change_set.api_calls.order_by("sequence"),
    ]
    if change_set.ending is not None:
        rows.append(change_set.ending)
    began = None
    problems = []
    for row in rows:
        values = hashed_values(row)
        label = describe_row(row.CHAIN_KIND, values)
        if row.signing_key_id is None:
            began = signing_began_at(keys) if began is None else began
            if row.chain_position >= began:
                problems.append(
                    f"Row {row.chain_position} of the chain ({label}) has no signature."
                )
            continue
        content = row_content(row.CHAIN_KIND, values)
        message = _signature_problem(
            row.chain_position, label, row.signing_key_id, row.signature, content, keys
        )
        if message is not None:
            problems.append(message)
    return problems
