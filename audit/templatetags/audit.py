"""Template helpers for the audit pages, and the History box other pages embed:

{% load audit %}
{% audit_history "ivr" ivr.id %}            the 10 newest change sets of IVR ivr.id
{% audit_history "phone_number" number.id limit=5 %}
<a href="{% audit_history_url 'ivr' ivr.id %}">History</a>
"""

import json
from typing import Any

from django import template

from audit.constants import IN_PROGRESS, Outcome
from audit.review import history_url, recent_history

register = template.Library()

BADGES = {
    Outcome.APPLIED: "badge-ok",
    Outcome.FAILED: "badge-danger",
    Outcome.PARTLY_APPLIED: "badge-warn",
    Outcome.INTERRUPTED: "badge-danger",
    IN_PROGRESS: "badge-info",
}


@register.filter
def outcome_badge(status: str) -> str:
    """The badge class for a change set's status: {{ change_set.status|outcome_badge }}."""
    return BADGES.get(status, "")


TARGET_NOUNS = {"ivr": "IVR", "phone_number": "phone number", "user": "user", "audit_log": "log"}


@register.filter
def target_noun(target_type: str) -> str:
    """How a sentence names a kind of target: "this IVR", "this phone number"."""
    return TARGET_NOUNS.get(target_type, "target")


@register.filter
def pretty_json(value: Any) -> str:
    """A stored JSON value, indented for reading (autoescaped like any text)."""
    if value is None:
        return "(none)"
    return json.dumps(value, indent=2, ensure_ascii=False)


@register.simple_tag
def audit_history_url(target_type: str, target_id: str | int) -> str:
    return history_url(target_type=target_type, target_id=target_id)


@register.inclusion_tag("audit/_history.html")
def audit_history(target_type: str, target_id: str | int, limit: int = 10) -> dict:
    return {
        "change_sets": recent_history(target_type=target_type, target_id=target_id, limit=limit),
        "history_url": history_url(target_type=target_type, target_id=target_id),
        "limit": limit,
    }
