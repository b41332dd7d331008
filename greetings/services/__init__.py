"""The greeting use cases the pages call: one import for every service.

Reading (greetings.services.selectors): `greetings_page`, `greeting_detail`, `greeting_now`,
`greeting_options`, `greeting_scripts`, `playable_greeting_ids`. Changing
(greetings.services.writing): `create_greeting` (with its recording),
`upload_greeting_recording`, `rename_greeting`, `delete_greeting`, `set_greeting_script`.
Playing and checking a recording (greetings.services.audio): `open_greeting_audio`,
`examine_audio`. Where a greeting plays (greetings.services.uses): `register_draft_uses` for
apps whose unpublished work plays them.

Every change is one audit change set (`actor: audit.Actor`). Bad input raises a ValidationError
keyed by the form field; refusals raise GreetingRefused (GreetingInUse, ZendeskDefault) and
send nothing; a create whose recording Zendesk did not take raises UploadIncomplete; Zendesk's
failures raise its PhoneSystemError (core.errors). All carry `user_message` (ValidationError:
its messages).
"""

from greetings.services.audio import (
    AudioFacts,
    GreetingAudio,
    examine_audio,
    open_greeting_audio,
    seconds_words,
    size_words,
)
from greetings.services.categories import (
    CATEGORIES,
    GROUPS,
    IVR_CATEGORY,
    category_choices,
    category_label,
)
from greetings.services.errors import (
    GreetingInUse,
    GreetingRefused,
    NothingToPlay,
    UploadIncomplete,
    ZendeskDefault,
)
from greetings.services.selectors import (
    GreetingDetail,
    GreetingEntry,
    GreetingOption,
    GreetingsPage,
    greeting_detail,
    greeting_now,
    greeting_options,
    greeting_scripts,
    greetings_page,
    playable_greeting_ids,
)
from greetings.services.uses import Use, UseKind, register_draft_uses
from greetings.services.writing import (
    NAME_MAX_LENGTH,
    GreetingSaved,
    create_greeting,
    delete_greeting,
    rename_greeting,
    set_greeting_script,
    upload_greeting_recording,
)

__all__ = [
    "CATEGORIES",
    "GROUPS",
    "IVR_CATEGORY",
    "NAME_MAX_LENGTH",
    "AudioFacts",
    "GreetingAudio",
    "GreetingDetail",
    "GreetingEntry",
    "GreetingInUse",
    "GreetingOption",
    "GreetingRefused",
    "GreetingSaved",
    "GreetingsPage",
    "NothingToPlay",
    "UploadIncomplete",
    "Use",
    "UseKind",
    "ZendeskDefault",
    "category_choices",
    "category_label",
    "create_greeting",
    "delete_greeting",
    "examine_audio",
    "greeting_detail",
    "greeting_now",
    "greeting_options",
    "greeting_scripts",
    "greetings_page",
    "open_greeting_audio",
    "playable_greeting_ids",
    "register_draft_uses",
    "rename_greeting",
    "seconds_words",
    "set_greeting_script",
    "size_words",
    "upload_greeting_recording",
]
