"""The copy's tables: one row per Zendesk object, with the JSON Zendesk returned for it, the
columns the pages filter, sort and search on (indexed), and when it was last read.

IVRs keep their menus and routes inside `raw`, as Zendesk's IVR list and show return them
(one object, read and changed as one); `menu_count` and the numbers' `ivr_zendesk_id` are the
columns the lists need. Zendesk's ids are 64-bit integers, except greetings' (Zendesk's own
defaults have string ids), so lookups keep theirs as text.
"""

from django.db import models
from django.db.models.functions import Lower


class SyncedIvr(models.Model):
    zendesk_id = models.BigIntegerField(unique=True)
    name = models.CharField(max_length=255)
    menu_count = models.PositiveIntegerField(default=0)
    raw = models.JSONField()  # the IVR with its menus and routes
    read_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(Lower("name"), "zendesk_id", name="mirror_ivr_by_name")]

    def __str__(self) -> str:
        return self.name


class SyncedPhoneNumber(models.Model):
    zendesk_id = models.BigIntegerField(unique=True)
    number = models.CharField(max_length=32)  # E.164
    digits = models.CharField(max_length=32)  # the number's digits alone, for digit search
    display_number = models.CharField(max_length=64, blank=True)
    label = models.CharField(max_length=255)  # nickname or name, as the list shows it
    country_code = models.CharField(max_length=8, blank=True, db_index=True)
    ivr_zendesk_id = models.BigIntegerField(null=True, db_index=True)
    recorded = models.BooleanField(default=False)
    voice = models.BooleanField(default=False)
    sms = models.BooleanField(default=False)
    mms = models.BooleanField(default=False)
    raw = models.JSONField()  # as the list returns it (no settings)
    read_at = models.DateTimeField()
    # Only a number's own GET with include=settings has them: one call per number.
    settings = models.JSONField(null=True)
    settings_read_at = models.DateTimeField(null=True, db_index=True)

    class Meta:
        indexes = [models.Index(Lower("label"), "zendesk_id", name="mirror_number_by_label")]

    def __str__(self) -> str:
        return self.label


class SyncedLookup(models.Model):
    """Groups, greetings, greeting categories, schedules and addresses."""

    class Kind(models.TextChoices):
        GROUP = "groups", "group"
        GREETING = "greetings", "greeting"
        GREETING_CATEGORY = "greeting_categories", "greeting category"
        SCHEDULE = "schedules", "schedule"
        ADDRESS = "addresses", "address"

    kind = models.CharField(max_length=32, choices=Kind.choices)
    zendesk_id = models.CharField(max_length=64)
    name = models.CharField(max_length=255, blank=True)
    raw = models.JSONField()
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "zendesk_id"], name="mirror_lookup_once")
        ]

    def __str__(self) -> str:
        return self.name


class SyncPass(models.Model):
    """One pass of the sync: what it has done so far (so an interrupted pass resumes where it
    stopped), what it cost, and how it ended."""

    class Kind(models.TextChoices):
        FULL = "full", "full sync"
        INCREMENTAL = "incremental", "incremental pass"

    class Status(models.TextChoices):
        RUNNING = "running", "running"
        WAITING = "waiting", "waiting for Zendesk"  # a 429 or 5xx stopped it; it resumes
        FINISHED = "finished", "finished"
        FAILED = "failed", "failed"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True)
    # {"done": [collection names], "settings_done": n, "settings_total": n}
    progress = models.JSONField(default=dict)
    calls = models.PositiveIntegerField(default=0)  # Talk API requests this pass made
    differences = models.PositiveIntegerField(default=0)
    attempts = models.PositiveIntegerField(default=1)
    problem = models.TextField(blank=True)  # the last failure, in words (never a secret)

    class Meta:
        indexes = [models.Index(fields=["kind", "status", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk} ({self.status})"
