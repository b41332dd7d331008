"""The IVR use cases the pages call: one import for every service.

Reading: `get_live_ivr`, `load_ivr_lookups`, `get_draft`, `pending_drafts`.
Drafts (ivr.services.drafts): `open_draft`, `edit_draft`, `discard_draft`, `rebase_draft`,
`revert_draft`. Publishing (ivr.services.publishing): `preview_publish`, `publish_draft`.
Files (ivr.services.transfer): `export_ivr`, `import_ivr`. Zendesk's IVRs and their numbers
(ivr.services.lifecycle): `create_ivr`, `delete_ivr`, `assign_ivr`.

Every service that changes Zendesk takes `actor: audit.Actor` and records one audit change set,
also when it fails part-way. Refusals that send nothing raise ivr.services.errors.DraftError
(StaleDraft, DraftBusy, DraftGone, DraftExists, CannotRevert, ImportRefused) or a ValidationError
keyed by the form field; Zendesk's failures raise talk.errors.TalkError. Both kinds carry
`user_message` (ValidationError: its messages) for the page.
"""

from ivr.engine.merge import Conflict
from ivr.services.drafts import (
    discard_draft,
    edit_draft,
    get_draft,
    open_draft,
    pending_drafts,
    rebase_draft,
    revert_draft,
)
from ivr.services.errors import (
    CannotRevert,
    DraftBusy,
    DraftError,
    DraftExists,
    DraftGone,
    ImportRefused,
    StaleDraft,
)
from ivr.services.lifecycle import assign_ivr, create_ivr, delete_ivr
from ivr.services.live import get_live_ivr, load_ivr_lookups
from ivr.services.publishing import (
    PublishOutcome,
    PublishPreview,
    PublishResult,
    preview_publish,
    publish_draft,
)
from ivr.services.transfer import ImportResult, export_ivr, import_ivr

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
