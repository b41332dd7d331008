"""The audit log's four append-only tables, chained together by hashes.

- ChangeSet: one admin intent, written (and committed) before anything is attempted.
- SentCall: a Talk API write about to be sent, committed before it is sent.
- ApiCall: one Talk API request made inside a change set, committed with its answer.
- ChangeSetOutcome: how the change set ended, written after the last call.

Rows are only ever inserted, by audit.chain.append_row, which also signs them (audit.signing);
database triggers (see the migrations) reject UPDATE, DELETE and TRUNCATE. Ids and chain
positions are assigned under the chain lock, so they are dense and in commit order.
"""

from datetime import datetime, timedelta
from typing import Any, ClassVar

from django.db import models
from django.utils import timezone

from audit.constants import IN_PROGRESS, IN_PROGRESS_LABEL, Action, Outcome, TargetType

# How long a change set may run before, with no outcome written, it counts as interrupted. Far
# longer than a web request can live (gunicorn kills workers after 120 s); long background
# work passes its own `max_duration` to audit.change_set.
DEFAULT_MAX_DURATION = timedelta(minutes=15)

# The kind in a change set's `names` that lists the authors of what it applied (user id ->
# name), when more people than its actor wrote it (a shared IVR draft): hashed and exported
# with the rest of the change set.
AUTHOR_NAMES = "author"


def after_is_known(outcome: str | None, after: Any) -> bool:
    """See ChangeSet.after_is_known; also used when the outcome is written."""
    return after is not None or outcome == Outcome.APPLIED


class ChainedRow(models.Model):
    """A row of the hash chain: its position, the previous row's hash, and its own hash."""

    # Prefix of the hashed content, so a row cannot be moved to another table unnoticed.
    CHAIN_KIND: ClassVar[str]
    # The column that gets the database clock's time when the row is appended.
    CLOCK_FIELD: ClassVar[str]
    # Columns covered by the hash, in this order. Never change these for existing rows: a new
    # column is left out, covered by a new kind of row, or listed in ADDED_HASHED_FIELDS too.
    HASHED_FIELDS: ClassVar[tuple[str, ...]]
    # Columns added after rows were written without them: hashed when set, left out of the
    # hash when NULL, so older rows keep their hashes (and setting or clearing one later
    # still breaks the row's hash).
    ADDED_HASHED_FIELDS: ClassVar[tuple[str, ...]] = ()

    id = models.BigIntegerField(primary_key=True)
    chain_position = models.BigIntegerField(unique=True)
    previous_hash = models.CharField(max_length=64)
    row_hash = models.CharField(max_length=64)
    # Who wrote the row (audit.signing): the id of the key that signed it, which the hash covers
    # (an added hashed field, so rows from before signing keep their hashes), and the
    # HMAC-SHA256 tag over the same content the hash is taken of. NULL on rows from before.
    signing_key_id = models.CharField(max_length=32, null=True, blank=True)  # noqa: DJ001
    signature = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001

    class Meta:
        abstract = True

    def stamp(self, now: datetime) -> None:
        setattr(self, self.CLOCK_FIELD, now)


class ChangeSet(ChainedRow):
    CHAIN_KIND = "change_set"
    CLOCK_FIELD = "created_at"
    HASHED_FIELDS = (
        "id",
        "chain_position",
        "previous_hash",
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
        "before",
        "names",
        "signing_key_id",
        "approval",
    )
    ADDED_HASHED_FIELDS = ("signing_key_id", "approval")

    created_at = models.DateTimeField(help_text="Database clock when the intent was written.")
    must_finish_by = models.DateTimeField(
        help_text="With no outcome by then, the worker died: the change set was interrupted."
    )
    actor_user_id = models.BigIntegerField(null=True, blank=True)
    actor_username = models.CharField(max_length=150, blank=True)
    actor_display_name = models.CharField(max_length=300, blank=True)
    client_address = models.CharField(max_length=64, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    action = models.CharField(max_length=40, choices=Action.choices)
    target_type = models.CharField(max_length=20, choices=TargetType.choices)
    target_id = models.CharField(max_length=100, blank=True)
    target_name = models.CharField(max_length=300, blank=True)
    reason = models.TextField(blank=True)
    summary = models.TextField()
    before = models.JSONField(null=True, blank=True)
    names = models.JSONField(default=dict, blank=True)
    # Not a column: set by the recorder before appending (stamp reads it); an annotation only.
    max_duration: timedelta
    # A change made with a second person's approval (changes/): {"request": 7, "requested_by":
    # "Ana Silva", "approved_by": "Ben Ode", "decision": <the approval's change set id>}.
    approval = models.JSONField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["actor_user_id", "-id"], name="audit_cs_actor_idx"),
            models.Index(fields=["target_type", "target_id", "-id"], name="audit_cs_target_idx"),
            models.Index(fields=["action", "-id"], name="audit_cs_action_idx"),
            models.Index(fields=["created_at"], name="audit_cs_created_idx"),
        ]

    def __str__(self) -> str:
        return f"Change set #{self.pk}: {self.summary}"

    def stamp(self, now: datetime) -> None:
        # `max_duration` is set by the recorder before appending; it is not a column.
        self.created_at = now
        self.must_finish_by = now + getattr(self, "max_duration", DEFAULT_MAX_DURATION)

    # --- What the review pages show -------------------------------------------------------
    @property
    def ending(self) -> "ChangeSetOutcome | None":
        """The outcome row, or None while running or after the worker died."""
        try:
            return self.outcome_row
        except ChangeSetOutcome.DoesNotExist:
            return None

    @property
    def status(self) -> str:
        """applied, failed, partly_applied, interrupted, or in_progress."""
        ending = self.ending
        if ending is not None:
            return ending.outcome
        if timezone.now() > self.must_finish_by:
            return Outcome.INTERRUPTED
        return IN_PROGRESS

    @property
    def status_label(self) -> str:
        status = self.status
        return IN_PROGRESS_LABEL if status == IN_PROGRESS else Outcome(status).label

    @property
    def final_summary(self) -> str:
        ending = self.ending
        return ending.summary if ending is not None and ending.summary else self.summary

    @property
    def after(self) -> Any:
        ending = self.ending
        return ending.after if ending is not None else None

    @property
    def after_is_known(self) -> bool:
        """Whether the change set knows the target as it was afterwards: a snapshot was taken,
        or the change applied with none (a deletion). A failed or interrupted change without
        one says nothing of the target's end state, so it must not read as a deletion."""
        return after_is_known(self.ending.outcome if self.ending else None, self.after)

    @property
    def recorded_target_id(self) -> str:
        """The target's id: as the intent named it, or, for a change that created its target
        (a new IVR), as the outcome recorded it once Zendesk had given it an id."""
        if self.target_id:
            return self.target_id
        ending = self.ending
        return (ending.target_id or "") if ending is not None else ""

    @property
    def all_names(self) -> dict[str, dict[str, str]]:
        """Names recorded with the intent and at the end, the later winning."""
        merged: dict[str, dict[str, str]] = {}
        for source in (self.names or {}, (self.ending.names if self.ending else None) or {}):
            for kind, names in source.items():
                merged.setdefault(kind, {}).update(names)
        return merged

    @property
    def authors(self) -> list[str]:
        """Everyone who wrote what this change set applied (a shared draft's authors), as
        named then; empty when only its actor did."""
        return list((self.names or {}).get(AUTHOR_NAMES, {}).values())

    @property
    def actor_label(self) -> str:
        if self.actor_username and self.actor_username != self.actor_display_name:
            return f"{self.actor_display_name} ({self.actor_username})"
        return self.actor_display_name or "Unknown"


class ApiCall(ChainedRow):
    CHAIN_KIND = "api_call"
    CLOCK_FIELD = "recorded_at"
    HASHED_FIELDS = (
        "id",
        "chain_position",
        "previous_hash",
        "change_set_id",
        "sequence",
        "recorded_at",
        "method",
        "path",
        "request_body",
        "status",
        "zendesk_request_id",
        "duration_ms",
        "attempts",
        "error",
        "response_body",
        "signing_key_id",
    )
    ADDED_HASHED_FIELDS = ("signing_key_id",)

    change_set = models.ForeignKey(ChangeSet, on_delete=models.PROTECT, related_name="api_calls")
    sequence = models.PositiveIntegerField(
        help_text="1 for the change set's first call, and so on."
    )
    recorded_at = models.DateTimeField()
    method = models.CharField(max_length=10)
    path = models.TextField()
    request_body = models.JSONField(null=True, blank=True)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    zendesk_request_id = models.CharField(max_length=100, blank=True)
    duration_ms = models.PositiveIntegerField()
    attempts = models.PositiveSmallIntegerField()
    error = models.TextField(blank=True)
    response_body = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["change_set", "sequence"], name="audit_call_order_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} → {self.status or 'no answer'}"

    @property
    def succeeded(self) -> bool:
        return self.status is not None and 200 <= self.status < 300 and not self.error

    @property
    def is_write(self) -> bool:
        return self.method.upper() in {"POST", "PUT", "PATCH", "DELETE"}


class SentCall(ChainedRow):
    """A Talk API write about to be sent, committed before it leaves: a worker killed while
    Zendesk works on it still leaves the call on record. Its answer is the ApiCall of the same
    change set and sequence; without one, the answer is unknown (the write may have been made).
    Reads are not recorded ahead: they change nothing in Zendesk."""

    CHAIN_KIND = "sent_call"
    CLOCK_FIELD = "sent_at"
    HASHED_FIELDS = (
        "id",
        "chain_position",
        "previous_hash",
        "change_set_id",
        "sequence",
        "sent_at",
        "method",
        "path",
        "request_body",
        "signing_key_id",
    )

    change_set = models.ForeignKey(ChangeSet, on_delete=models.PROTECT, related_name="sent_calls")
    sequence = models.PositiveIntegerField(help_text="The sequence its answer (ApiCall) takes.")
    sent_at = models.DateTimeField(help_text="Database clock just before the write was sent.")
    method = models.CharField(max_length=10)
    path = models.TextField()
    request_body = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["change_set", "sequence"], name="audit_sent_order_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} (sent)"


class ChangeSetOutcome(ChainedRow):
    CHAIN_KIND = "outcome"
    CLOCK_FIELD = "finished_at"
    HASHED_FIELDS = (
        "id",
        "chain_position",
        "previous_hash",
        "change_set_id",
        "finished_at",
        "outcome",
        "summary",
        "after",
        "names",
        "error",
        "changes_in_words",
        "target_id",
        "signing_key_id",
    )
    ADDED_HASHED_FIELDS = ("changes_in_words", "target_id", "signing_key_id")

    change_set = models.OneToOneField(
        ChangeSet, on_delete=models.PROTECT, related_name="outcome_row"
    )
    finished_at = models.DateTimeField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    summary = models.TextField(blank=True)
    after = models.JSONField(null=True, blank=True)
    names = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    changes_in_words = models.TextField(  # noqa: DJ001 (NULL: written before it existed)
        null=True,
        blank=True,
        help_text=(
            "What changed between the before and after snapshots in plain words, written when "
            'the change set closed (the CSV export\'s "What changed"). NULL on outcomes '
            "written before this column existed: those are described when exported."
        ),
    )

    target_id = models.CharField(  # noqa: DJ001 (NULL: not set, or written before it existed)
        max_length=100,
        null=True,
        blank=True,
        help_text=(
            "The id of the target the change created (a new IVR), which Zendesk gave only "
            "after the intent was written. NULL for every other change."
        ),
    )

    class Meta:
        indexes = [
            models.Index(fields=["outcome", "-change_set"], name="audit_outcome_idx"),
            # The changes that created a target, found by its id (the target's history).
            models.Index(
                fields=["target_id"],
                condition=models.Q(target_id__isnull=False),
                name="audit_outcome_target_idx",
            ),
            # Finds the newest outcome still to be described at export time (older rows only).
            models.Index(
                fields=["change_set"],
                condition=models.Q(changes_in_words__isnull=True),
                name="audit_outcome_undescribed_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Change set #{self.change_set_id} {self.outcome}"


CHAINED_MODELS: tuple[type[ChainedRow], ...] = (ChangeSet, ApiCall, SentCall, ChangeSetOutcome)
