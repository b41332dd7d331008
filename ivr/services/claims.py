"""A publish that never finished: see its claim on the draft, and release it early.

While a publish runs, its draft is claimed (`Draft.publishing_since`) so nobody edits or
publishes it twice; a worker that dies mid-publish leaves the claim until it expires (15
minutes, PUBLISH_CLAIM_EXPIRES). An editor who knows the publish is not running any more may
release it sooner:

    claim = publish_claim(ivr_id=ivr_id)           # who claimed it, since when, whether now
    release_publish_claim(ivr_id=ivr_id, since=claim.since, actor=actor, reason="Worker died")

Releasing reads the IVR from Zendesk again first and settles what the dead publish sent without
an answer (ivr.services.lost_answers), so the next preview starts from what Zendesk holds; it is
one audit change set with no Talk API write (audit.record_event). It is refused while the claim
is younger than RELEASE_AFTER (the publish may well be running), and when the claim is no longer
the one the admin saw (it ended, or a new publish started).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

import audit
from audit.actor import Actor
from audit.models import ChangeSet
from audit.recording import ReasonRequired
from ivr.engine.wording import quoted
from ivr.models import PUBLISH_CLAIM_EXPIRES, Draft
from ivr.services.errors import DraftError, DraftGone, when
from ivr.services.live import fetch_live_ivr
from ivr.services.lost_answers import settle_lost_creates

# A publish is usually done in seconds; younger than this, it is most likely still running.
RELEASE_AFTER = timedelta(minutes=2)


class ClaimNotReleased(DraftError):
    """The claim cannot be released (not there any more, a new one, or too recent)."""


@dataclass(frozen=True)
class PublishClaim:
    """A publish that claimed the draft and has not finished (yet)."""

    publisher: str
    since: datetime
    expires: datetime  # when the claim lapses by itself
    releasable_from: datetime  # when an editor may release it early
    change_set: ChangeSet | None  # the publish's change set (usually still without an outcome)

    def can_release(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.releasable_from


def publish_claim(*, ivr_id: int) -> PublishClaim | None:
    """The unfinished publish holding the IVR's draft, or None."""
    draft = Draft.objects.select_related("publishing_by").filter(ivr_id=ivr_id).first()
    if draft is None or not draft.is_being_published() or draft.publishing_since is None:
        return None
    since = draft.publishing_since
    change_set = (
        ChangeSet.objects.filter(
            target_type=audit.TargetType.IVR,
            target_id=str(ivr_id),
            action__in=[audit.Action.PUBLISH_IVR, audit.Action.REVERT_IVR],
            actor_user_id=draft.publishing_by_id,
            created_at__gte=since - timedelta(seconds=5),
        )
        .order_by("-id")
        .first()
    )
    return PublishClaim(
        publisher=draft.publisher,
        since=since,
        expires=since + PUBLISH_CLAIM_EXPIRES,
        releasable_from=since + RELEASE_AFTER,
        change_set=change_set,
    )


def release_publish_claim(*, ivr_id: int, since: datetime, actor: Actor, reason: str) -> ChangeSet:
    """Free the draft of a publish that did not finish, so it can be published again.

    `since` is the claim's start as the admin's page showed it. Raises ReasonRequired without a
    reason, ClaimNotReleased or DraftGone when there is nothing (or no longer this) to release,
    and talk.errors.TalkError when Zendesk cannot be read (nothing is released then)."""
    if not (reason or "").strip():
        raise ReasonRequired()
    claim = publish_claim(ivr_id=ivr_id)
    if claim is None or claim.since != since:
        raise ClaimNotReleased(
            "That publish is no longer holding the draft: it finished, or another one started. "
            "Nothing was released: reload the page to see where the draft is now."
        )
    if not claim.can_release():
        raise ClaimNotReleased(
            f"{claim.publisher} started this publish {when(claim.since)}; it may well still be "
            f"running. Nothing was released: it can be released {when(claim.releasable_from)}."
        )
    live = fetch_live_ivr(ivr_id)  # what Zendesk holds now, before anyone publishes again
    with transaction.atomic():
        row = Draft.objects.select_for_update().filter(ivr_id=ivr_id).first()
        if row is None:
            raise DraftGone()
        if row.publishing_since != since:
            raise ClaimNotReleased(
                "Another publish of this draft started just now. Nothing was released."
            )
        row.publishing_since, row.publishing_by = None, None
        row.save(update_fields=["publishing_since", "publishing_by"])
    settle_lost_creates(draft=row, live=live, actor=actor)
    unfinished = _change_set_words(claim.change_set)
    return audit.record_event(
        actor=actor,
        action=audit.Action.RELEASE_PUBLISH_CLAIM,
        target_type=audit.TargetType.IVR,
        target_id=ivr_id,
        target_name=live.name,
        reason=reason,
        summary=(
            f"Released the publish of the draft of the IVR {quoted(live.name)} that "
            f"{claim.publisher} started {when(claim.since)} and that did not finish, so the "
            f"draft can be published again before the claim ran out {when(claim.expires)}."
            f"{unfinished} Zendesk was read again first; nothing was sent to it."
        ),
        before=live.json,
        after=live.json,
    )


def _change_set_words(change_set: ChangeSet | None) -> str:
    if change_set is None:
        return " It had not opened its change set yet, so it sent nothing to Zendesk."
    if change_set.ending is None:
        return (
            f" Its change #{change_set.pk} has no outcome yet: the audit log shows it as "
            "interrupted once its time is up, with every call it sent."
        )
    return f" Its change #{change_set.pk} ended {change_set.ending.get_outcome_display().lower()}."
