"""The shared draft of an IVR: the changes admins prepare before they go live.

One draft per IVR, shared by the whole team. `document` is what the admins want the IVR to be
(ivr.engine.document.IvrDocument's stored form); `base` is the IVR exactly as Zendesk returned it
when the draft was started or last brought up to date, so that publishing can tell the
admins' changes from changes made meanwhile in Zendesk. `version` goes up by one on every
change, so nobody silently overwrites another admin's edit (see ivr.services.drafts).
"""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from audit.models import DEFAULT_MAX_DURATION
from ivr.engine.adoption import SentCreate
from ivr.engine.diff import compare
from ivr.engine.document import IvrDocument

# A publish that has not finished after this long has died with its worker (the audit log
# calls its change set "interrupted" after the same time): the draft is free again.
PUBLISH_CLAIM_EXPIRES = DEFAULT_MAX_DURATION


class DraftSource(models.TextChoices):
    EDIT = "edit", "Edited from the live IVR"
    REVERT = "revert", "Reverting to an earlier version"
    UNDO = "undo", "Undoing an earlier change"
    IMPORT = "import", "Imported from a file"


class Draft(models.Model):
    ivr_id = models.BigIntegerField(unique=True, help_text="Zendesk's id of the IVR.")
    document = models.JSONField(help_text="The IVR as the admins want it (IvrDocument.to_json).")
    base = models.JSONField(
        help_text="The live IVR as Zendesk returned it when the draft was started or rebased."
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=10, choices=DraftSource.choices, default=DraftSource.EDIT)
    source_change_set_id = models.BigIntegerField(
        null=True,
        blank=True,
        help_text="Revert: the change set whose result this draft restores. "
        "Undo: the change set this draft undoes. "
        "Import: the change set that recorded the import.",
    )
    source_name = models.CharField(
        max_length=300, blank=True, help_text="Import: the name the IVR had in the file."
    )
    # Creates a publish sent whose answer has not come (ivr.engine.adoption.SentCreate JSON):
    # noted before sending, forgotten on Zendesk's answer; the next publish settles the rest.
    unconfirmed_creates = models.JSONField(
        default=list,
        blank=True,
        help_text="Menus and routes sent to Zendesk whose answer was lost (or never came).",
    )
    # Set while a publish of this draft runs; edits wait until it is over.
    publishing_since = models.DateTimeField(null=True, blank=True)
    publishing_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["ivr_id"]

    def __str__(self) -> str:
        return f"Draft of IVR {self.ivr_id} (version {self.version})"

    def ivr_document(self) -> IvrDocument:
        """The IVR as the admins want it."""
        return IvrDocument.from_json(self.document)

    def sent_creates(self) -> list[SentCreate]:
        """Creates sent whose answer never came (see ivr.engine.adoption)."""
        return [
            SentCreate.from_json(c) for c in self.unconfirmed_creates or [] if isinstance(c, dict)
        ]

    def base_document(self) -> IvrDocument:
        """The live IVR the draft started from (or was last rebased on)."""
        return IvrDocument.from_zendesk(self.base)

    @property
    def name(self) -> str:
        """The IVR's name as the draft has it."""
        return str(self.document.get("name") or "")

    @property
    def change_count(self) -> int:
        """How many parts of the IVR the draft changes (0: it is the same as its base)."""
        return compare(self.base_document(), self.ivr_document()).count

    @property
    def has_changes(self) -> bool:
        return self.change_count > 0

    @property
    def is_revert(self) -> bool:
        return self.source == DraftSource.REVERT

    @property
    def is_undo(self) -> bool:
        return self.source == DraftSource.UNDO

    def is_being_published(self, now: datetime | None = None) -> bool:
        """Whether a publish of this draft is running right now."""
        if self.publishing_since is None:
            return False
        return (now or timezone.now()) - self.publishing_since < PUBLISH_CLAIM_EXPIRES

    @property
    def last_changed_by(self) -> str:
        """Who last changed the draft, as the pages name them."""
        return _person(self.updated_by or self.created_by)

    @property
    def started_by(self) -> str:
        return _person(self.created_by)

    @property
    def publisher(self) -> str:
        return _person(self.publishing_by)


class DraftEdit(models.Model):
    """One change an admin made to a shared draft: who, when, what in words, and which parts.

    Kept until the draft is published or discarded, so the publish can say who made which
    change, the change set can name every author, and a refused edit can say what changed.
    """

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="edits")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user_name = models.CharField(max_length=300, help_text="The admin's name at the time.")
    made_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(help_text="The draft version this change made.")
    words = models.TextField(help_text="The change in plain words.")
    parts = models.JSONField(
        default=list,
        blank=True,
        help_text='The parts touched: ["ivr", "name"], ["menu", key], ["route", key, keypress].',
    )

    class Meta:
        ordering = ["draft", "version", "pk"]

    def __str__(self) -> str:
        return f"{self.user_name}: {self.words}"


class ClosedDraft(models.Model):
    """Who last published or discarded an IVR's draft, and when: so an admin whose page still
    shows that draft is told by whom, not "someone"."""

    ivr_id = models.BigIntegerField(unique=True)
    closed_by_id = models.BigIntegerField(null=True, blank=True)
    closed_by_name = models.CharField(max_length=300)
    closed_at = models.DateTimeField(default=timezone.now)
    published = models.BooleanField(help_text="Published (else discarded).")

    def __str__(self) -> str:
        return f"Draft of IVR {self.ivr_id} closed by {self.closed_by_name}"


def _person(user) -> str:
    if user is None:
        return "someone"
    return user.get_full_name() or user.get_username()
