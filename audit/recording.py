"""The one way to record a change: `audit.change_set(...)`, a context manager.

    with audit.change_set(
        actor=actor, action=Action.PUBLISH_IVR, target_type=TargetType.IVR,
        target_id=ivr_id, target_name="Main line", reason=reason,
        summary="Publish 3 changes to IVR 'Main line'", before=live_ivr_json,
        names={"group": {123: "Tier 1"}},
    ) as change:
        ... Talk API calls (each lands in the API-call ledger) ...
        change.set_after(fetched_ivr_json)
        change.set_summary("Changed route 2 of menu 'Billing' ...")
        # A change that creates its target (target_id=None) names it once Zendesk has:
        # change.set_target(created["id"])
    return change.change_set

On entry the intent row is written and committed, and the change set becomes the Talk client's
call recorder (talk.recording), so every call made inside is committed to the ledger as it
happens: a write once before it is sent (SentCall) and again with its answer (ApiCall). On exit
the outcome row is written: applied (no exception), failed (an exception and no successful write
call), partly applied (an exception after at least one successful write call), interrupted (the
process is stopping: KeyboardInterrupt, SystemExit, a closed generator). The exception always
propagates; catch it outside the block. If the process dies, no outcome is ever written and the
change set shows as interrupted once its `max_duration` has passed, with every write sent and not
answered as "sent, answer unknown" (audit.interrupted).
"""

import logging
import threading
from collections.abc import Mapping
from contextlib import AbstractContextManager
from datetime import timedelta
from types import TracebackType
from typing import Any, Literal

from django.core.exceptions import ValidationError

from audit.actor import Actor
from audit.chain import append_row, json_safe
from audit.constants import Action, Outcome, TargetType
from audit.describe import changes_in_words
from audit.masking import configured_secrets, mask_secrets, mask_text
from audit.models import (
    DEFAULT_MAX_DURATION,
    ApiCall,
    ChangeSet,
    ChangeSetOutcome,
    SentCall,
    after_is_known,
)
from talk.recording import ApiCallRecord, CallRecorder, OutgoingCall, recording_calls

logger = logging.getLogger(__name__)

Names = Mapping[str, Mapping[Any, str]]  # kind -> id (int or str) -> name


class ReasonRequired(ValidationError):
    """A change to a live line was attempted without saying why."""

    def __init__(self) -> None:
        super().__init__(
            {
                "reason": [
                    "Say why you are making this change; the audit log keeps it with the change."
                ]
            }
        )


def _clean_names(names: Names | None) -> dict[str, dict[str, str]]:
    """{"group": {123: "Tier 1"}} → {"group": {"123": "Tier 1"}} (JSON object keys are text)."""
    return {
        str(kind): {str(key): str(name) for key, name in entries.items()}
        for kind, entries in (names or {}).items()
    }


def _error_text(error: BaseException) -> str:
    """What stopped the change: the plain message Talk errors carry, else the technical one."""
    plain = getattr(error, "user_message", None)
    if plain:
        return mask_text(str(plain))
    if not isinstance(error, Exception):
        return "TalkAdmin was stopped before the change finished."
    return mask_text(f"TalkAdmin stopped on an unexpected error: {type(error).__name__}: {error}")


class OpenChangeSet:
    """A change set being recorded; returned by `audit.change_set(...)`. See the module doc."""

    def __init__(
        self,
        *,
        actor: Actor,
        action: Action | str,
        target_type: TargetType | str,
        target_id: str | int | None,
        target_name: str,
        summary: str,
        reason: str = "",
        reason_required: bool = True,
        before: Any = None,
        names: Names | None = None,
        max_duration: timedelta = DEFAULT_MAX_DURATION,
        approval: dict[str, Any] | None = None,
    ) -> None:
        if not isinstance(actor, Actor):
            raise TypeError("actor must be an audit.actor.Actor (Actor.from_request, Actor.system)")
        if action not in Action.values:
            raise ValueError(f"Unknown audit action {action!r}; add it to audit.constants.Action.")
        if target_type not in TargetType.values:
            raise ValueError(f"Unknown audit target type {target_type!r}.")
        if not summary.strip():
            raise ValueError("A change set needs a summary in plain words.")
        reason = (reason or "").strip()
        if reason_required and not reason:
            raise ReasonRequired()
        self.actor = actor
        self._intent = ChangeSet(
            actor_user_id=actor.user_id,
            actor_username=actor.username,
            actor_display_name=actor.display_name,
            client_address=actor.client_address,
            user_agent=actor.user_agent,
            request_id=actor.request_id,
            action=str(action),
            target_type=str(target_type),
            target_id="" if target_id is None else str(target_id),
            target_name=target_name,
            reason=reason,
            summary=summary.strip(),
            before=before,
            names=_clean_names(names),
            approval=json_safe(approval) if approval else None,
        )
        self._intent.max_duration = max_duration
        self._after: Any = None
        self._created_target_id: str | None = None
        self._final_summary = ""
        self._late_names: dict[str, dict[str, str]] = {}
        self._lock = threading.Lock()  # the Talk client may report calls from worker threads
        self._calls_recorded = 0
        self._writes_succeeded = 0
        self._recording: AbstractContextManager[CallRecorder] | None = None
        self._outcome: ChangeSetOutcome | None = None

    # --- Used inside the block ----------------------------------------------------------------
    def set_after(self, snapshot: Any) -> None:
        """The target as Zendesk holds it after the change (shown as the "after" of the diff)."""
        self._after = snapshot

    def set_target(self, target_id: str | int) -> None:
        """The id of the target this change created (a new IVR), which the intent, written
        before Zendesk gave it one, could not name. Recorded in the outcome row, so the
        target's history (audit.review) finds this change set under that id."""
        if self._intent.target_id and self._intent.target_id != str(target_id):
            raise ValueError("This change set already names its target; it cannot change.")
        self._created_target_id = str(target_id)

    def set_summary(self, summary: str) -> None:
        """The final summary, e.g. the operations actually applied; replaces the intent's."""
        self._final_summary = summary.strip()

    def add_names(self, names: Names) -> None:
        """Names as they are now, to show instead of ids: {"group": {123: "Tier 1"}}."""
        for kind, entries in _clean_names(names).items():
            self._late_names.setdefault(kind, {}).update(entries)

    def record_sending(self, call: OutgoingCall) -> int:
        """talk.recording.CallRecorder: commit a write about to be sent to the ledger now,
        before it leaves; returns the sequence its answer is recorded under."""
        if self._outcome is not None:
            raise RuntimeError("This change set is closed; open a new one for more calls.")
        secrets = configured_secrets()
        with self._lock:
            self._calls_recorded += 1
            append_row(
                SentCall(
                    change_set_id=self._intent.pk,
                    sequence=self._calls_recorded,
                    method=call.method.upper(),
                    path=mask_text(call.path, secrets),
                    request_body=mask_secrets(call.request_body, secrets),
                )
            )
            return self._calls_recorded

    def record_call(self, call: ApiCallRecord) -> None:
        """talk.recording.CallRecorder: commit one Talk API request (with its answer) to the
        ledger now; a write's under the sequence record_sending gave it."""
        if self._outcome is not None:
            raise RuntimeError("This change set is closed; open a new one for more calls.")
        secrets = configured_secrets()
        with self._lock:
            if call.sequence is None:
                self._calls_recorded += 1
            append_row(
                ApiCall(
                    change_set_id=self._intent.pk,
                    sequence=call.sequence or self._calls_recorded,
                    method=call.method.upper(),
                    path=mask_text(call.path, secrets),
                    request_body=mask_secrets(call.request_body, secrets),
                    status=call.status,
                    zendesk_request_id=call.zendesk_request_id or "",
                    duration_ms=max(0, int(call.duration_ms)),
                    attempts=max(1, int(call.attempts)),
                    error=mask_text(call.error or "", secrets),
                    response_body=mask_secrets(call.response_body, secrets),
                )
            )
            succeeded = call.status is not None and 200 <= call.status < 300 and not call.error
            if succeeded and call.is_write:
                self._writes_succeeded += 1

    def confirm_write(self) -> None:
        """A write whose answer was lost (a timeout) was found made by a later read: count it,
        so a change set that stops afterwards is "partly applied", not "failed"."""
        with self._lock:
            self._writes_succeeded += 1

    # --- Read by the caller ---------------------------------------------------------------
    @property
    def change_set(self) -> ChangeSet:
        """The recorded change set (with its outcome once the block has ended)."""
        return self._intent

    @property
    def writes_succeeded(self) -> int:
        return self._writes_succeeded

    # --- The block ----------------------------------------------------------------------------
    def __enter__(self) -> "OpenChangeSet":
        self._intent.before = mask_secrets(self._intent.before)
        append_row(self._intent)
        self._recording = recording_calls(self)
        self._recording.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> Literal[False]:  # never swallows the block's exception
        assert self._recording is not None  # set by __enter__
        self._recording.__exit__(exc_type, error, traceback)
        outcome = self._decide(error)
        after = json_safe(mask_secrets(self._after))  # as stored, and as exports read it back
        ending = ChangeSetOutcome(
            change_set_id=self._intent.pk,
            outcome=outcome,
            summary=self._final_summary,
            after=after,
            names=self._late_names,
            error=_error_text(error) if error is not None else "",
            changes_in_words=self._describe(after) if after_is_known(outcome, after) else "",
            target_id=None if self._intent.target_id else self._created_target_id,
        )
        try:
            append_row(ending)
        except Exception:
            # The change set stays without an outcome, so it shows as interrupted: never a gap.
            logger.exception("Could not write the outcome of audit change set %s", self._intent.pk)
            return False  # the caller's own exception, if any, carries on
        self._outcome = ending
        self._intent.outcome_row = ending
        return False

    def _describe(self, after: Any) -> str | None:
        """What changed in words, frozen into the outcome (and its hash) so that exports read
        it instead of describing every change set again; None (described when exported) if the
        describers fail, so the outcome is still written."""
        names: dict[str, dict[str, str]] = {}
        for source in (self._intent.names or {}, self._late_names):
            for kind, entries in source.items():
                names.setdefault(kind, {}).update(entries)
        try:
            return changes_in_words(
                target_type=self._intent.target_type,
                before=self._intent.before,
                after=after,
                names=names,
            )
        except Exception:
            logger.exception("Could not describe audit change set %s in words", self._intent.pk)
            return None

    def _decide(self, error: BaseException | None) -> Outcome:
        if error is None:
            return Outcome.APPLIED
        if not isinstance(error, Exception):
            return Outcome.INTERRUPTED  # KeyboardInterrupt, SystemExit, GeneratorExit
        return Outcome.PARTLY_APPLIED if self._writes_succeeded else Outcome.FAILED


def change_set(
    *,
    actor: Actor,
    action: Action | str,
    target_type: TargetType | str,
    target_id: str | int | None,
    target_name: str,
    summary: str,
    reason: str = "",
    reason_required: bool = True,
    before: Any = None,
    names: Names | None = None,
    max_duration: timedelta = DEFAULT_MAX_DURATION,
    approval: dict[str, Any] | None = None,
) -> OpenChangeSet:
    """Record one admin intent; use as `with audit.change_set(...) as change:`.

    `approval`: the change was approved by a second person (changes/): who asked, who
    approved, the request's number and the approval's change set, kept in the row (hashed).

    `reason_required` (default True, for changes to live lines) raises ReasonRequired, a
    ValidationError on the field "reason", before anything is written when `reason` is blank.
    `before` is the target as Zendesk returned it; `names` maps ids to names as they are now
    ({"group": {123: "Tier 1"}, "menu": {...}}) so the diff shows names. Must not be opened
    inside transaction.atomic() (AuditWriteInsideTransaction): the intent is committed first.
    """
    return OpenChangeSet(
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_name=target_name,
        summary=summary,
        reason=reason,
        reason_required=reason_required,
        before=before,
        names=names,
        max_duration=max_duration,
        approval=approval,
    )


def record_event(
    *,
    actor: Actor,
    action: Action | str,
    target_type: TargetType | str,
    target_id: str | int | None,
    target_name: str,
    summary: str,
    reason: str = "",
    before: Any = None,
    after: Any = None,
    names: Names | None = None,
) -> ChangeSet:
    """Record something that happened at once, with no Talk API call (e.g. sign-in throttled)."""
    with change_set(
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_name=target_name,
        summary=summary,
        reason=reason,
        reason_required=False,
        before=before,
        names=names,
    ) as change:
        change.set_after(after)
    return change.change_set
