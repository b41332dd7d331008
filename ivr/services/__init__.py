"""The IVR use cases the pages call: one import for every service.

Reading: `get_live_ivr`, `load_ivr_lookups`, `get_draft`, `pending_drafts`; for the admin pages
`ivr_history` (ivr.services.history), `ivr_name`, `delete_preview`, `numbers_choice`
(ivr.services.selectors).
Drafts (ivr.services.drafts): `open_draft`, `edit_draft`, `discard_draft`, `rebase_draft`,
`revert_draft`, `undo_draft`; the editor's named changes (ivr.services.editing): `draft_rename_ivr`,
`draft_add_menu`, `draft_change_menu`, `draft_delete_menu`, `draft_add_route`,
`draft_change_route`, `draft_delete_route`, `draft_route_to_new_menu` (a key and the new menu
it leads to, in one change). Publishing (ivr.services.publishing): `preview_publish`,
`publish_draft`; a menu of the same name added in Zendesk meanwhile (ivr.services.same_name):
`use_zendesk_menu`; a publish that never finished (ivr.services.claims): `publish_claim`,
`release_publish_claim`. Files (ivr.services.transfer): `export_ivr`, `import_ivr`. Zendesk's IVRs
and their numbers (ivr.services.lifecycle): `create_ivr`, `delete_ivr`, `assign_ivr`.

Every service that changes Zendesk takes `actor: audit.Actor` and records one audit change set,
also when it fails part-way. Refusals that send nothing raise ivr.services.errors.DraftError
(StaleDraft, DraftBusy, DraftGone, DraftExists, CannotRevert, ImportRefused) or a ValidationError
keyed by the form field; Zendesk's failures raise talk.errors.TalkError. Both kinds carry
`user_message` (ValidationError: its messages) for the page.
"""

from ivr.engine.merge import Conflict
from ivr.services.claims import (
    ClaimNotReleased,
    PublishClaim,
    publish_claim,
    release_publish_claim,
)
from ivr.services.drafts import (
    discard_draft,
    draft_authors,
    edit_draft,
    get_draft,
    open_draft,
    pending_drafts,
    rebase_draft,
    revert_draft,
    undo_draft,
)
from ivr.services.editing import (
    draft_add_menu,
    draft_add_route,
    draft_change_menu,
    draft_change_route,
    draft_delete_menu,
    draft_delete_route,
    draft_rename_ivr,
    draft_route_to_new_menu,
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
from ivr.services.history import HistoryEntry, IvrHistory, change_set_by_id, ivr_history
from ivr.services.lifecycle import assign_ivr, create_ivr, delete_ivr
from ivr.services.live import get_live_ivr, load_ivr_lookups
from ivr.services.publishing import (
    PublishOutcome,
    PublishPreview,
    PublishResult,
    preview_publish,
    publish_draft,
)
from ivr.services.same_name import use_zendesk_menu
from ivr.services.selectors import (
    DeletePreview,
    NumbersChoice,
    delete_preview,
    ivr_name,
    numbers_choice,
)
from ivr.services.transfer import ImportResult, export_ivr, import_ivr

__all__ = [
    "CannotRevert",
    "ClaimNotReleased",
    "Conflict",
    "DeletePreview",
    "DraftBusy",
    "DraftError",
    "DraftExists",
    "DraftGone",
    "HistoryEntry",
    "ImportRefused",
    "ImportResult",
    "IvrHistory",
    "NumbersChoice",
    "PublishClaim",
    "PublishOutcome",
    "PublishPreview",
    "PublishResult",
    "StaleDraft",
    "assign_ivr",
    "change_set_by_id",
    "create_ivr",
    "delete_ivr",
    "delete_preview",
    "discard_draft",
    "draft_add_menu",
    "draft_add_route",
    "draft_authors",
    "draft_change_menu",
    "draft_change_route",
    "draft_delete_menu",
    "draft_delete_route",
    "draft_rename_ivr",
    "draft_route_to_new_menu",
    "edit_draft",
    "export_ivr",
    "get_draft",
    "get_live_ivr",
    "import_ivr",
    "ivr_history",
    "ivr_name",
    "load_ivr_lookups",
    "numbers_choice",
    "open_draft",
    "pending_drafts",
    "preview_publish",
    "publish_claim",
    "publish_draft",
    "rebase_draft",
    "release_publish_claim",
    "revert_draft",
    "undo_draft",
    "use_zendesk_menu",
]
