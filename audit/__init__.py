"""The audit log: append-only, hash-chained records of every change TalkAdmin makes.

Recording a change (in a service; see audit.recording for the details):

    import audit
    from audit.actor import Actor

    def publish_draft(*, draft, actor: Actor, reason: str) -> ChangeSet:
        try:
            with audit.change_set(
                actor=actor,                      # Actor.from_request(request) in the view
                action=audit.Action.PUBLISH_IVR,
                target_type=audit.TargetType.IVR,
                target_id=draft.ivr_id,
                target_name=draft.name,
                reason=reason,                    # required unless reason_required=False
                summary="Publish 3 changes to IVR 'Main line'",
                before=live_ivr_json,             # as Zendesk returned it
                names={"group": {123: "Tier 1"}}, # ids -> names, as they are now
            ) as change:
                ...talk.get_client() calls: each one lands in the API-call ledger...
                change.set_after(client.get_ivr(draft.ivr_id).raw)
                change.set_summary("Changed route 2 of menu 'Billing' ...")
        except TalkError as error:
            ...the change set is already recorded as failed or partly applied...
        return change.change_set

Rules: open it outside transaction.atomic() (the intent is committed before the first call);
let the exception leave the block when you give up (that decides failed / partly applied);
`audit.record_event(...)` records something with no Talk call at once.

Public API (import from here):
    audit.change_set(...)   context manager recording one admin intent (audit.recording)
    audit.record_event(...) a change set with no Talk API call, recorded at once
    audit.Actor             who acted (Actor.from_request, Actor.for_user, Actor.system)
    audit.Action, audit.TargetType, audit.Outcome   the vocabulary (audit.constants)
    audit.register_describer(target_type, describer)   plug a diff describer (audit.describe)
    audit.describe_changes(...)   a before/after pair in plain words

Showing a target's history on its page: {% load audit %}{% audit_history "ivr" ivr.id %}, or
link to {% audit_history_url "phone_number" number.id %} (audit/templatetags/audit.py).
"""

from typing import TYPE_CHECKING, Any

from audit.constants import Action, Outcome, TargetType

if TYPE_CHECKING:  # the lazily loaded names, for the type checker (re-exported as they are)
    from audit.actor import Actor as Actor
    from audit.describe import describe_changes as describe_changes
    from audit.describe import register_describer as register_describer
    from audit.recording import OpenChangeSet as OpenChangeSet
    from audit.recording import ReasonRequired as ReasonRequired
    from audit.recording import change_set as change_set
    from audit.recording import record_event as record_event

# Loaded on first use: these import models, which must wait until Django's apps are ready.
_LAZY = {
    "change_set": "audit.recording",
    "record_event": "audit.recording",
    "OpenChangeSet": "audit.recording",
    "ReasonRequired": "audit.recording",
    "Actor": "audit.actor",
    "register_describer": "audit.describe",
    "describe_changes": "audit.describe",
}

__all__ = ["Action", "Outcome", "TargetType", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'audit' has no attribute {name!r}")
