"""The audit log: append-only, hash-chained records of every change TalkAdmin makes.

Public API (import from here):
    audit.change_set(...)   context manager recording one admin intent (audit.recording)
    audit.record_event(...) a change set with no Talk API call, recorded at once
    audit.Actor             who acted (Actor.from_request, Actor.system)
    audit.Action, audit.TargetType, audit.Outcome   the vocabulary (audit.constants)
    audit.register_describer(target_type, describer)   plug a diff describer (audit.diff)
"""

from audit.constants import Action, Outcome, TargetType

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


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'audit' has no attribute {name!r}")
