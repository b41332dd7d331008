"""Protected lines, and requests for a second person's approval of a change to one.

A request freezes what will be sent when it was made: the draft's version and document, the
live IVR it was checked against, and the plan's sentences. It is approved (and then published,
as the approver's action), declined, withdrawn, or voided when the draft or Zendesk changed
after it. The audit log records each step (changes.services.approvals); these rows are the
working state the pages read.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class LineKind(models.TextChoices):
    IVR = "ivr", "IVR"


class Protection(models.Model):
    """A line admins marked as protected: its live changes need a second person's approval."""

    kind = models.CharField(max_length=20, choices=LineKind.choices)
    line_id = models.BigIntegerField(help_text="Zendesk's id of the IVR.")
    line_name = models.CharField(max_length=300, blank=True)
    reason = models.TextField()
    protected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    protected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "line_id"], name="changes_one_protection")
        ]
        ordering = ["line_name", "line_id"]

    def __str__(self) -> str:
        return f"Protected {self.kind} {self.line_id}"


class RequestState(models.TextChoices):
    WAITING = "waiting", "Waiting for approval"
    PUBLISHING = "publishing", "Approved: being published"
    PUBLISHED = "published", "Approved and published"
    NOT_PUBLISHED = "not_published", "Approved, but the publish did not finish"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    VOIDED = "voided", "Voided by a later change"


class ApprovalRequest(models.Model):
    kind = models.CharField(max_length=20, choices=LineKind.choices, default=LineKind.IVR)
    line_id = models.BigIntegerField(help_text="Zendesk's id of the IVR.")
    line_name = models.CharField(max_length=300, blank=True)
    state = models.CharField(
        max_length=20, choices=RequestState.choices, default=RequestState.WAITING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()
    # Frozen when asked: exactly what will be sent.
    draft_version = models.PositiveIntegerField()
    document = models.JSONField(help_text="The draft's document when approval was asked.")
    live = models.JSONField(help_text="The live IVR the request was checked against.")
    plan = models.JSONField(default=list, help_text="The changes, in sentences, as previewed.")
    # The decision.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)
    void_reason = models.TextField(blank=True)
    outcome_message = models.TextField(blank=True)
    # The audit log's change sets: the request, the decision, the publish it made.
    request_change_set_id = models.BigIntegerField(null=True, blank=True)
    decision_change_set_id = models.BigIntegerField(null=True, blank=True)
    publish_change_set_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["state", "-requested_at"], name="changes_req_state_idx")]

    def __str__(self) -> str:
        return f"Approval request #{self.pk} ({self.state})"

    @property
    def is_waiting(self) -> bool:
        return self.state == RequestState.WAITING

    @property
    def requester_name(self) -> str:
        return _person(self.requested_by)

    @property
    def decider_name(self) -> str:
        return _person(self.decided_by)


def _person(user) -> str:
    if user is None:
        return "someone"
    return user.get_full_name() or user.get_username()


class ScheduleState(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    RUNNING = "running", "Running now"
    DONE = "done", "Made"
    CHANGE_BACK_DUE = "change_back_due", "Made; changes back later"
    CHANGED_BACK = "changed_back", "Made, then changed back"
    NEEDS_ATTENTION = "needs_attention", "Changed back in part: needs attention"
    NOT_RUN = "not_run", "Did not run"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class ScheduledChange(models.Model):
    """An IVR publish due at a time, optionally changed back later (changes.services.schedules).

    Scheduling freezes the draft (its document and the live IVR it started from) here and
    closes it: at `run_at` the worker publishes exactly that; at `change_back_at` it puts back
    what this change changed, unless someone changed those parts in between.
    """

    kind = models.CharField(max_length=20, choices=LineKind.choices, default=LineKind.IVR)
    line_id = models.BigIntegerField(help_text="Zendesk's id of the IVR.")
    line_name = models.CharField(max_length=300, blank=True)
    state = models.CharField(
        max_length=20, choices=ScheduleState.choices, default=ScheduleState.SCHEDULED
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    scheduled_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()
    run_at = models.DateTimeField()
    change_back_at = models.DateTimeField(null=True, blank=True)
    document = models.JSONField(help_text="The draft's document, frozen when scheduled.")
    base = models.JSONField(help_text="The live IVR the draft started from.")
    plan = models.JSONField(default=list, help_text="The changes as previewed, in sentences.")
    # Filled in as it runs.
    before = models.JSONField(null=True, blank=True, help_text="The IVR just before it ran.")
    after = models.JSONField(null=True, blank=True, help_text="The IVR just after it ran.")
    attempts = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    needs_attention = models.JSONField(default=list, blank=True)
    publish_change_set_id = models.BigIntegerField(null=True, blank=True)
    change_back_change_set_id = models.BigIntegerField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["run_at", "id"]

    def __str__(self) -> str:
        return f"Scheduled change #{self.pk} ({self.state})"

    @property
    def scheduler_name(self) -> str:
        return _person(self.scheduled_by)

    @property
    def is_upcoming(self) -> bool:
        return self.state in (ScheduleState.SCHEDULED, ScheduleState.CHANGE_BACK_DUE)
