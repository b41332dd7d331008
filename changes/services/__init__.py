"""Change control's use cases: what the pages (and the IVR publish page) call.

Protection (changes.services.protection): `approval_needed` (the one rule: does publishing
this IVR need a second person's approval, and why), `protection_of`, `protect_ivr`,
`unprotect_ivr`, `protected_ivr_ids`. Approvals (changes.services.approvals):
`ask_for_approval`, `review_request`, `approve_request`, `decline_request`,
`withdraw_request`, `may_decide`, `approval_requests`, `waiting_count`,
`waiting_request_for`.
"""

from changes.services import schedules
from changes.services.approvals import (
    Approved,
    Review,
    approval_requests,
    approve_request,
    ask_for_approval,
    decline_request,
    may_decide,
    review_request,
    waiting_count,
    waiting_request_for,
    withdraw_request,
)
from changes.services.errors import (
    CannotAsk,
    ChangeControlRefusal,
    NotAllowed,
    NotWaiting,
    RequestVoided,
)
from changes.services.protection import (
    approval_needed,
    protect_ivr,
    protected_ivr_ids,
    protection_of,
    unprotect_ivr,
)

__all__ = [
    "Approved",
    "CannotAsk",
    "ChangeControlRefusal",
    "NotAllowed",
    "NotWaiting",
    "RequestVoided",
    "Review",
    "approval_needed",
    "approval_requests",
    "approve_request",
    "ask_for_approval",
    "decline_request",
    "may_decide",
    "protect_ivr",
    "protected_ivr_ids",
    "protection_of",
    "review_request",
    "schedules",
    "unprotect_ivr",
    "waiting_count",
    "waiting_request_for",
    "withdraw_request",
]
