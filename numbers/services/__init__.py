"""The phone-number use cases the pages call: one import for every service (numbers/web uses
nothing else of numbers/services, and never talk/).

Reading (numbers.services.selectors): `number_listing`, `number_page`, `account_names`,
`forget_listing`; a number's history (numbers.services.history): `number_history_page`.
Settings (numbers.services.settings): `change_number_settings`; undoing a settings change
(numbers.services.undo): `undo_preview`, `undo_number_change`. Getting a number
(numbers.services.provisioning): `search_numbers`, `addresses_for`, `provision_number`, with the
words of an offer (`address_rule`, `address_need`, `address_label`, `number_kind`,
`capabilities_words`). Releasing (numbers.services.releasing): `release_preview`,
`release_number`. `Address` and `AvailablePhoneNumber` are the Talk resources the forms and the
provisioning page show.

Every service that changes Zendesk takes `actor: audit.Actor` and records one audit change set,
also when it fails. Refusals that send nothing raise a ValidationError keyed by the form field
(also Zendesk's own 422 on a settings save), SettingsConflict, or ReasonRequired; Zendesk's
failures raise core.errors.PhoneSystemError (talk's errors derive from it), with
`user_message` for the page.
"""

from numbers.services.history import (
    NumberHistory,
    NumberHistoryPage,
    last_settings_change,
    number_history_page,
)
from numbers.services.provisioning import (
    ANY,
    AREA_CODE_COUNTRIES,
    LOCAL,
    TOLL_FREE,
    BusinessVerificationRequired,
    NumberSearch,
    address_label,
    address_need,
    address_rule,
    addresses_for,
    capabilities_words,
    number_kind,
    provision_number,
    search_numbers,
)
from numbers.services.releasing import ReleasePreview, release_number, release_preview
from numbers.services.selectors import (
    CAPABILITIES,
    PER_PAGE,
    Names,
    NumberFilters,
    NumberListing,
    NumberPage,
    NumberRow,
    account_names,
    forget_listing,
    number_listing,
    number_page,
)
from numbers.services.settings import (
    ConflictingSetting,
    SettingsConflict,
    SettingsSaved,
    change_number_settings,
)
from numbers.services.undo import CannotUndo, UndoPreview, undo_number_change, undo_preview
from talk.resources import Address, AvailablePhoneNumber

__all__ = [
    "ANY",
    "AREA_CODE_COUNTRIES",
    "CAPABILITIES",
    "LOCAL",
    "PER_PAGE",
    "TOLL_FREE",
    "Address",
    "AvailablePhoneNumber",
    "BusinessVerificationRequired",
    "CannotUndo",
    "ConflictingSetting",
    "Names",
    "NumberFilters",
    "NumberHistory",
    "NumberHistoryPage",
    "NumberListing",
    "NumberPage",
    "NumberRow",
    "NumberSearch",
    "ReleasePreview",
    "SettingsConflict",
    "SettingsSaved",
    "UndoPreview",
    "account_names",
    "address_label",
    "address_need",
    "address_rule",
    "addresses_for",
    "capabilities_words",
    "change_number_settings",
    "forget_listing",
    "last_settings_change",
    "number_history_page",
    "number_kind",
    "number_listing",
    "number_page",
    "provision_number",
    "release_number",
    "release_preview",
    "search_numbers",
    "undo_number_change",
    "undo_preview",
]
