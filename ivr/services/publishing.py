"""Publishing a draft: check it against live Zendesk, then apply it, audited, call by call.

    preview = preview_publish(draft=draft)       # what publishing would do, and what stops it
    result = publish_draft(draft=draft, actor=actor, reason="Billing moved to Tier 2")

Both read the live IVR afresh and run the same checks (`_check`). Creates of an earlier publish
whose answer was lost are settled first (ivr.services.lost_answers: what they made is the
draft's, never created twice). The draft's own changes are laid over live (ivr.engine.merge),
so changes made meanwhile in Zendesk's Admin Center survive; parts changed on both sides are
conflicts, and a menu added there named like one the draft adds is a change made meanwhile
(ivr.engine.same_name): both stop a publish until the admin chooses (an overwrite, or keeping
both menus, is bound to what the page showed). Lint errors stop it; the planner gives the Talk
API calls. A publish then opens ONE audit change set, sends the calls one by one
(ivr.services.operations) and closes it with the outcome. On success the draft is closed; on a
failure the draft is kept, brought up to date with what was applied, so publishing again sends
only what is missing.

No database transaction is open while Talk API calls are made: the draft is claimed for the
duration with a short update (`publishing_since`), which also stops a double click from
publishing the same draft twice (a claim whose worker died: ivr.services.claims).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

import audit
import mirror.services as mirror
import talk
from audit.actor import Actor
from audit.models import AUTHOR_NAMES, ChangeSet
from audit.recording import ReasonRequired
from ivr.engine.document import IvrDocument
from ivr.engine.lint import lint
from ivr.engine.lint.findings import Finding, has_errors
from ivr.engine.lookups import Lookups
from ivr.engine.merge import Conflict, conflicts_seen, find_conflicts, merge_draft
from ivr.engine.plan import Operation, Plan, PlanError, plan_changes
from ivr.engine.same_name import SameNameMenu, keep_both_token, same_name_menus
from ivr.engine.sameness import same_call_flow
from ivr.models import Draft
from ivr.services.draft_edits import AuthorShare, shares_of, stale_draft
from ivr.services.drafts import get_draft, restored_version
from ivr.services.errors import DraftBusy
from ivr.services.live import LiveIvr, live_ivr_and_lookups
from ivr.services.lost_answers import adoption_for, settle_lost_creates
from ivr.services.operations import PublishRun, apply_operations, start_run
from ivr.services.presence import draft_gone, note_closed
from ivr.services.summaries import (
    Origin,
    applied_message,
    authors_sentence,
    blocked_message,
    changed_again_message,
    conflict_message,
    failure_message,
    intent_summary,
    kept_both_sentence,
    names_for,
    nothing_message,
    outcome_summary,
    over_budget_message,
    same_name_message,
    warnings_sentence,
)
from talk.errors import TalkError


class PublishOutcome(StrEnum):
    APPLIED = "applied"
    PARTLY_APPLIED = "partly_applied"
    FAILED = "failed"
    CONFLICT = "conflict"  # Zendesk changed what the draft changes: nothing was sent
    BLOCKED = "blocked"  # lint errors (or a draft the planner cannot send): nothing was sent
    NOTHING_TO_PUBLISH = "nothing_to_publish"  # Zendesk already holds the draft
    # The rate budget cannot take the plan's calls within TALK_MAX_WAIT_SECONDS: nothing was
    # sent, rather than stopping half-way.
    OVER_BUDGET = "over_budget"
    # Zendesk has a new menu named like one the draft adds: nothing was sent until the admin
    # uses that menu or keeps both (ivr.services.same_name).
    SAME_NAME_MENU = "same_name_menu"


@dataclass(frozen=True)
class PublishPreview:
    """What publishing the draft now would do, and what would stop it."""

    draft: Draft
    live: IvrDocument  # the IVR in Zendesk, read just now
    live_json: dict[str, Any]
    desired: IvrDocument  # live with the draft's changes on top (the draft wins conflicts)
    plan: Plan | None  # None when the planner cannot send this draft (see plan_error)
    findings: tuple[Finding, ...]  # lint of `desired`, errors first
    conflicts: tuple[Conflict, ...]
    lookups: Lookups
    plan_error: str = ""
    same_name: tuple[SameNameMenu, ...] = ()  # menus added in Zendesk named like the draft's

    @property
    def operations(self) -> tuple[Operation, ...]:
        return self.plan.operations if self.plan is not None else ()

    @property
    def blocked(self) -> bool:
        return bool(self.plan_error) or has_errors(self.findings)

    @property
    def nothing_to_publish(self) -> bool:
        return self.plan is not None and not self.plan.operations

    @property
    def can_publish(self) -> bool:
        """Publishing would send something (overwriting conflicts, if there are any)."""
        return not self.blocked and not self.nothing_to_publish

    @property
    def conflicts_seen(self) -> str:
        """The token an overwrite of these conflicts, as shown, must carry (see publish_draft)."""
        return conflicts_seen(self.conflicts, self.live)

    @property
    def keep_both(self) -> str:
        """The token "keep both" must carry for these same-name menus (see publish_draft)."""
        return keep_both_token(self.same_name)


@dataclass(frozen=True)
class PublishResult:
    outcome: PublishOutcome
    message: str  # for the admin, in plain words
    applied: tuple[Operation, ...] = ()
    remaining: tuple[Operation, ...] = ()
    change_set: ChangeSet | None = None  # None when nothing was sent
    draft: Draft | None = None  # the draft kept (conflict, blocked, failure), else None
    conflicts: tuple[Conflict, ...] = ()
    findings: tuple[Finding, ...] = ()
    error: TalkError | None = None  # what stopped a failed or partly applied publish
    menu_ids: dict[str, int] = field(default_factory=dict)  # the desired menus' Zendesk ids
    conflicts_seen: str = ""  # the token to overwrite `conflicts` as shown (publish_draft)
    same_name: tuple[SameNameMenu, ...] = ()
    keep_both: str = ""  # the token to keep both of each of `same_name`

    @property
    def succeeded(self) -> bool:
        return self.outcome in (PublishOutcome.APPLIED, PublishOutcome.NOTHING_TO_PUBLISH)


def preview_publish(*, draft: Draft) -> PublishPreview:
    """Read the live IVR and show what publishing the draft would do (nothing is sent)."""
    live, lookups = live_ivr_and_lookups(draft.ivr_id)
    return _check(draft, live, lookups)


def publish_draft(
    *,
    draft: Draft,
    actor: Actor,
    reason: str,
    overwrite: bool = False,
    conflicts_seen: str = "",
    keep_both: str = "",
    expected_version: int | None = None,
    approval: dict[str, Any] | None = None,
) -> PublishResult:
    """Make the live IVR hold the draft's changes, in one audited change set.

    `approval`: a second person approved it (changes.services): recorded in the change set.

    `reason` is required (audit.ReasonRequired, a ValidationError on "reason", otherwise).
    Stops with outcome CONFLICT when Zendesk changed, since the draft began, a part the draft
    also changes (unless `overwrite`: then the draft's version wins there; unrelated changes
    made in Zendesk survive either way). An overwrite is bound to the conflicts the admin saw
    (`conflicts_seen`, the preview's or the last result's token): if Zendesk changed one of those
    parts again, or another came into conflict, it stops with CONFLICT showing the newer change
    instead of overwriting it. SAME_NAME_MENU while Zendesk has a menu, added since the draft
    began, named like one the draft adds, unless `keep_both` is the token of those menus as
    shown (then both are kept, and the change set says so). BLOCKED while lint finds errors,
    NOTHING_TO_PUBLISH
    when Zendesk already holds it all (the draft is closed). Raises StaleDraft if the draft
    changed after `expected_version` (default: the version of `draft` as loaded), DraftBusy
    if it is being published, DraftGone if it no longer exists, and talk.errors.TalkError if
    the live IVR cannot be read. Failures while applying do not raise: the outcome is FAILED
    or PARTLY_APPLIED, with what was applied, what remains and why, and the draft is kept.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired()
    version = draft.version if expected_version is None else expected_version
    claimed = _claim(draft, actor, version)
    try:
        result = _publish(
            claimed,
            actor=actor,
            reason=reason,
            choices=_Choices(overwrite=overwrite, seen=conflicts_seen, keep_both=keep_both),
            approval=approval,
        )
    finally:
        Draft.objects.filter(pk=claimed.pk, publishing_since=claimed.publishing_since).update(
            publishing_since=None, publishing_by=None
        )
    if result.draft is not None:  # as it is now, no longer claimed
        result = replace(result, draft=get_draft(ivr_id=claimed.ivr_id))
    return result


# --- The steps ----------------------------------------------------------------------------------


def _check(draft: Draft, live: LiveIvr, lookups: Lookups) -> PublishPreview:
    # Creates whose answer was lost: what they made counts as the draft's (never made twice).
    adoption = adoption_for(draft=draft, live=live)
    base = draft.base_document()
    wanted = adoption.document if adoption is not None else draft.ivr_document()
    conflicts = find_conflicts(base=base, live=live.document, draft=wanted, lookups=lookups)
    same_name = same_name_menus(base=base, live=live.document, draft=wanted)
    desired = merge_draft(base=base, live=live.document, draft=wanted)
    findings = lint(desired, lookups)
    plan, plan_error = None, ""
    try:
        plan = plan_changes(live=live.document, desired=desired, lookups=lookups)
    except PlanError as error:
        plan_error = str(error)
    return PublishPreview(
        draft=draft,
        live=live.document,
        live_json=live.json,
        desired=desired,
        plan=plan,
        findings=findings,
        conflicts=conflicts,
        lookups=lookups,
        plan_error=plan_error,
        same_name=same_name,
    )


@dataclass(frozen=True)
class _Choices:
    """What the admin chose on the publish page about changes made in Zendesk meanwhile."""

    overwrite: bool = False
    seen: str = ""  # the conflicts as shown (PublishPreview.conflicts_seen)
    keep_both: str = ""  # the same-name menus as shown (PublishPreview.keep_both)


def _refusal(draft: Draft, check: PublishPreview, choices: _Choices) -> PublishResult | None:
    """Why the publish sends nothing, if it must stop before its first call."""
    refused = partial(
        PublishResult, draft=draft, conflicts=check.conflicts, findings=check.findings
    )
    if check.conflicts and (not choices.overwrite or choices.seen != check.conflicts_seen):
        # Read just now, right before writing: an overwrite covers only what the admin saw.
        words = changed_again_message if choices.overwrite else conflict_message
        return refused(
            PublishOutcome.CONFLICT,
            words(check.conflicts),
            conflicts_seen=check.conflicts_seen,
            same_name=check.same_name,
            keep_both=check.keep_both,
        )
    if check.same_name and choices.keep_both != check.keep_both:
        return refused(
            PublishOutcome.SAME_NAME_MENU,
            same_name_message(check.same_name),
            same_name=check.same_name,
            keep_both=check.keep_both,
        )
    if check.blocked or check.plan is None:
        return refused(PublishOutcome.BLOCKED, blocked_message(check.findings, check.plan_error))
    return None


def _publish(
    draft: Draft,
    *,
    actor: Actor,
    reason: str,
    choices: _Choices,
    approval: dict[str, Any] | None = None,
) -> PublishResult:
    live, lookups = live_ivr_and_lookups(draft.ivr_id)
    draft = settle_lost_creates(draft=draft, live=live, actor=actor)
    check = _check(draft, live, lookups)
    refusal = _refusal(draft, check, choices)
    if refusal is not None:
        return refusal
    assert check.plan is not None
    if not check.plan.operations:
        Draft.objects.filter(pk=draft.pk).delete()
        return PublishResult(PublishOutcome.NOTHING_TO_PUBLISH, nothing_message())
    operations = check.plan.operations
    # Held in the shared budget before the first write, so a publish running at the same time
    # cannot take them and leave this one stopped half-way: the writes, the one re-read after
    # a create whose answer is lost (a publish stops at its first failure), and the retries.
    creates = any(op.method == "POST" for op in operations)
    reservation = talk.get_client().reserve_calls(writes=len(operations), re_reads=int(creates))
    if not reservation.granted:  # like the refusals above: nothing sent, no change set
        return PublishResult(
            PublishOutcome.OVER_BUDGET,
            over_budget_message(reservation.room, changes=len(operations)),
            draft=draft,
            remaining=operations,
            conflicts=check.conflicts,
            findings=check.findings,
        )
    shares = shares_of(draft)
    origin = _origin(draft, check.desired)
    with reservation:  # spent call by call; what is left is given back, also on a failure
        run, change_set = _apply(
            draft,
            check,
            actor=actor,
            reason=reason,
            shares=shares,
            origin=origin,
            approval=approval,
        )
    if run.error is None:
        Draft.objects.filter(pk=draft.pk).delete()
        note_closed(ivr_id=draft.ivr_id, actor=actor, published=True)
        message = applied_message(
            run, live.name, shares=shares, reader_id=actor.user_id, origin=origin
        )
        outcome, kept = PublishOutcome.APPLIED, None
    else:
        kept = _keep_for_next_publish(draft, run, actor)
        outcome = PublishOutcome.PARTLY_APPLIED if run.applied else PublishOutcome.FAILED
        message = failure_message(run)
    return PublishResult(
        outcome,
        message,
        applied=tuple(run.applied),
        remaining=tuple(run.remaining),
        change_set=change_set,
        draft=kept,
        conflicts=check.conflicts,
        findings=check.findings,
        error=run.error,
        menu_ids=run.menu_ids,
    )


def _origin(draft: Draft, desired: IvrDocument) -> Origin | None:
    """A revert or undo draft: which version it started from, and whether what goes live is
    that version (only then is the publish recorded as a revert or an undo)."""
    if draft.source_change_set_id is None or not (draft.is_revert or draft.is_undo):
        return None
    version = restored_version(draft)
    exact = version is not None and same_call_flow(version, desired)
    return Origin(change_set_id=draft.source_change_set_id, undo=draft.is_undo, exact=exact)


def _apply(
    draft: Draft,
    check: PublishPreview,
    *,
    actor: Actor,
    reason: str,
    shares: Sequence[AuthorShare],
    origin: Origin | None,
    approval: dict[str, Any] | None = None,
) -> tuple[PublishRun, ChangeSet]:
    assert check.plan is not None
    by = (
        authors_sentence(shares)
        + warnings_sentence(check.findings)
        + kept_both_sentence(check.same_name)
    )
    names = names_for([check.live, check.desired], check.lookups)
    authors = {share.user_id: share.name for share in shares if share.user_id is not None}
    if authors:
        names[AUTHOR_NAMES] = authors
    run = start_run(
        ivr_id=draft.ivr_id, plan=check.plan, desired=check.desired, live_json=check.live_json
    )
    opened = audit.change_set(
        actor=actor,
        action=audit.Action.REVERT_IVR
        if origin is not None and origin.exact
        else audit.Action.PUBLISH_IVR,
        target_type=audit.TargetType.IVR,
        target_id=draft.ivr_id,
        target_name=check.live.name,
        reason=reason,
        summary=intent_summary(
            operations=check.plan.operations, ivr_name=check.live.name, origin=origin
        )
        + by,
        before=check.live_json,
        names=names,
        approval=approval,
    )
    try:
        with opened as change:
            try:
                apply_operations(run, draft=draft, change=change)
            finally:
                change.set_after(run.snapshot.json)
                # The copy holds what Zendesk answered to each write (even when it stopped).
                mirror.record_ivr(run.snapshot.json)
                change.set_summary(
                    outcome_summary(run, ivr_name=check.live.name, origin=origin) + by
                )
    except TalkError:
        pass  # recorded in the change set and in `run`; the admin is told in the result
    return run, opened.change_set


def _claim(draft: Draft, actor: Actor, version: int) -> Draft:
    now = timezone.now()
    with transaction.atomic():
        row = Draft.objects.select_for_update().filter(pk=draft.pk).first()
        if row is None:
            raise draft_gone(draft.ivr_id, reader_id=actor.user_id)
        if row.is_being_published(now):
            raise DraftBusy(publisher=row.publisher, since=row.publishing_since)
        if row.version != version:
            raise stale_draft(row, expected_version=version, reader_id=actor.user_id)
        row.publishing_since, row.publishing_by_id = now, actor.user_id
        row.save(update_fields=["publishing_since", "publishing_by"])
    return row


def _keep_for_next_publish(draft: Draft, run: PublishRun, actor: Actor) -> Draft:
    """After a failure: the draft becomes "what is still to do" on top of what Zendesk now has.

    Its base is the IVR as this publish left it (live as read, plus Zendesk's answers to each
    write), its document the merged, rekeyed desired IVR; so the next publish plans exactly the
    operations not yet made, and still sees changes someone makes in Zendesk meanwhile.
    """
    with transaction.atomic():
        row = Draft.objects.select_for_update().filter(pk=draft.pk).first()
        if row is None:  # deleted by hand meanwhile: nothing to keep
            return draft
        row.document = run.desired.to_json()
        row.base = run.snapshot.json
        row.version += 1
        row.updated_by_id = actor.user_id
        row.updated_at = timezone.now()
        row.save(update_fields=["document", "base", "version", "updated_by", "updated_at"])
    return row
