"""The copy's use cases: what the other apps' services import (never mirror.models)."""

from mirror.services.state import CopyState, copy_ready, copy_state
from mirror.services.store import (
    GREETINGS,
    IVRS,
    PHONE_NUMBERS,
    Difference,
    forget,
    record_ivr,
    record_lookup,
    record_numbers_answering,
    record_phone_number,
)
from mirror.services.sync import (
    FULL,
    INCREMENTAL,
    SyncInterrupted,
    run_pass,
    sync_ivr,
    sync_phone_number,
)

__all__ = [
    "FULL",
    "GREETINGS",
    "INCREMENTAL",
    "IVRS",
    "PHONE_NUMBERS",
    "CopyState",
    "Difference",
    "SyncInterrupted",
    "copy_ready",
    "copy_state",
    "forget",
    "record_ivr",
    "record_lookup",
    "record_numbers_answering",
    "record_phone_number",
    "run_pass",
    "sync_ivr",
    "sync_phone_number",
]
