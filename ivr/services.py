"""The IVR use cases the pages call: one import for every service.

Reading: `get_live_ivr`, `load_ivr_lookups`, `get_draft`, `pending_drafts`.
Drafts (ivr.drafts): `open_draft`, `edit_draft`, `discard_draft`, `rebase_draft`,
`revert_draft`. Publishing (ivr.publishing): `preview_publish`, `publish_draft`.
Files (ivr.transfer): `export_ivr`, `import_ivr`. Zendesk's IVRs and their numbers
(ivr.lifecycle): `create_ivr`, `delete_ivr`, `assign_ivr`.

Every service that changes Zendesk takes `actor: audit.Actor` and records one audit change set,
also when it fails part-way. Refusals that send nothing raise ivr.errors.DraftError (StaleDraft,
DraftBusy, DraftGone, DraftExists, CannotRevert, ImportRefused) or a ValidationError keyed by
the form field; Zendesk's failures raise talk.errors.TalkError. Both kinds carry
`user_message` (ValidationError: its messages) for the page.
"""

from ivr.drafts import (
    discard_draft,
    edit_draft,
    get_draft,
    open_draft,
    pending_drafts,
    rebase_draft,
    revert_draft,
)
from ivr.errors import (
    CannotRevert,
    DraftBusy,
    DraftError,
    DraftExists,
    DraftGone,
    ImportRefused,
    StaleDraft,
)
from ivr.lifecycle import assign_ivr, create_ivr, delete_ivr
from ivr.live import get_live_ivr, load_ivr_lookups
from ivr.merge import Conflict
from ivr.publishing import (
    PublishOutcome,
    PublishPreview,
    PublishResult,
    preview_publish,
    publish_draft,
)
from ivr.transfer import ImportResult, export_ivr, import_ivr

__all__ = [
    "CannotRevert",
    "Conflict",
    "DraftBusy",
    "DraftError",
    "DraftExists",
    "DraftGone",
    "ImportRefused",
    "ImportResult",
    "PublishOutcome",
    "PublishPreview",
    "PublishResult",
    "StaleDraft",
    "assign_ivr",
    "create_ivr",
    "delete_ivr",
    "discard_draft",
    "edit_draft",
    "export_ivr",
    "get_draft",
    "get_live_ivr",
    "import_ivr",
    "load_ivr_lookups",
    "open_draft",
    "pending_drafts",
    "preview_publish",
    "publish_draft",
    "rebase_draft",
    "revert_draft",
]
