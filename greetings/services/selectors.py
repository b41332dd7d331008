"""What the greeting pages show, read from Zendesk and from TalkAdmin's own words. Read-only.

The Greetings page costs few Talk API calls: the greetings and the phone numbers come from the
Talk client's cached lookups (one call per 100 greetings or numbers when not cached, none for
`TALK_LOOKUP_CACHE_SECONDS` after), and the IVRs are read fresh on each visit (one call per 100
IVRs), so which menu plays what is never stale. The three reads run at once. One greeting's page
reads the greeting itself fresh too.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

import talk
from core.parallel import in_parallel
from greetings.models import GreetingScript
from greetings.services.categories import (
    GROUP_OF_CATEGORY,
    GROUPS,
    IVR_CATEGORY,
    CategoryGroup,
    category_label,
)
from greetings.services.uses import Use, uses_by_greeting
from talk.resources import Greeting, GreetingId


@dataclass(frozen=True, slots=True)
class GreetingEntry:
    """One greeting as the pages show it."""

    id: GreetingId
    name: str
    category_id: int | None
    category: str  # "Hold greeting"
    is_default: bool  # one of Zendesk's own, which cannot be changed
    pending: bool  # created, its recording never uploaded: callers hear nothing from it
    playable: bool  # has a recording TalkAdmin can play
    script: str  # the words, as an admin typed them ("" when none)
    uses: tuple[Use, ...] = ()
    audio_name: str = ""

    @property
    def key(self) -> str:
        """The id as it appears in TalkAdmin's addresses."""
        return str(self.id)

    @property
    def incomplete(self) -> bool:
        return self.pending and not self.is_default

    @property
    def can_change(self) -> bool:
        return not self.is_default

    @property
    def filter_text(self) -> str:
        return " ".join((self.name, self.category, self.script)).casefold()


@dataclass(frozen=True, slots=True)
class GreetingSection:
    group: CategoryGroup
    greetings: tuple[GreetingEntry, ...]


@dataclass(frozen=True, slots=True)
class GreetingsPage:
    sections: tuple[GreetingSection, ...]
    total: int
    incomplete: tuple[GreetingEntry, ...]  # the account's own greetings with no recording
    read_at: datetime.datetime


def greetings_page() -> GreetingsPage:
    """Every greeting, grouped by when callers hear it, with its words and where it plays."""
    reads = in_parallel(
        account=lambda: talk.get_client().load_lookups("greetings", "phone_numbers"),
        ivrs=lambda: talk.get_client().list_ivrs(),
    )
    account = reads["account"]
    uses = uses_by_greeting(
        greetings=account.greetings, ivrs=reads["ivrs"], numbers=account.phone_numbers
    )
    scripts = greeting_scripts()
    entries = [_entry(g, scripts, uses) for g in account.greetings if g.id is not None]
    sections = []
    for group in GROUPS:
        members = [e for e in entries if GROUP_OF_CATEGORY.get(e.category_id or 0) is group]
        members.sort(key=lambda e: (e.is_default, e.category_id or 0, e.name.casefold()))
        sections.append(GreetingSection(group=group, greetings=tuple(members)))
    others = [e for e in entries if (e.category_id or 0) not in GROUP_OF_CATEGORY]
    if others:  # a category Zendesk added since: shown, not hidden
        extra = CategoryGroup("other", "Other greetings", "Greetings of other kinds.", ())
        sections.append(GreetingSection(group=extra, greetings=tuple(others)))
    return GreetingsPage(
        sections=tuple(sections),
        total=len(entries),
        incomplete=tuple(e for e in entries if e.incomplete),
        read_at=timezone.now(),
    )


@dataclass(frozen=True, slots=True)
class GreetingDetail:
    greeting: GreetingEntry
    raw: dict[str, object] = field(default_factory=dict)
    script_changed_by: str = ""
    script_changed_at: datetime.datetime | None = None


def greeting_detail(*, greeting_id: GreetingId) -> GreetingDetail:
    """One greeting, read fresh from Zendesk, with its words and every place it plays.

    Raises a PhoneSystemGone (NotFound) when Zendesk no longer has it.
    """
    client = talk.get_client()
    reads = in_parallel(
        greeting=lambda: client.get_greeting(greeting_id),
        ivrs=client.list_ivrs,
        numbers=client.cached_phone_numbers,
    )
    greeting: Greeting = reads["greeting"]
    uses = uses_by_greeting(greetings=[greeting], ivrs=reads["ivrs"], numbers=reads["numbers"])
    script = GreetingScript.objects.filter(greeting_id=str(greeting.id)).first()
    scripts = {str(greeting.id): script.script} if script else {}
    return GreetingDetail(
        greeting=_entry(greeting, scripts, uses),
        raw=greeting.raw,
        script_changed_by=script.updated_by_name if script else "",
        script_changed_at=script.updated_at if script else None,
    )


@dataclass(frozen=True, slots=True)
class GreetingOption:
    """One greeting a picker offers."""

    id: GreetingId
    name: str
    playable: bool

    @property
    def key(self) -> str:
        return str(self.id)


def greeting_options(*, category_id: int = IVR_CATEGORY) -> tuple[GreetingOption, ...]:
    """The account's own greetings of one category, by name, for a picker (cached: no call)."""
    greetings = talk.get_client().list_greetings(category_id=category_id)
    own = [g for g in greetings if g.is_custom]
    return tuple(
        GreetingOption(id=g.id, name=g.name or "", playable=g.has_audio)
        for g in sorted(own, key=lambda g: (g.name or "").casefold())
        if g.id is not None
    )


def playable_greeting_ids() -> frozenset[str]:
    """The greetings with a recording to play, by id as text (cached greetings: no call)."""
    return frozenset(str(g.id) for g in talk.get_client().list_greetings() if g.has_audio)


def greeting_scripts() -> dict[str, str]:
    """Every greeting's words, by Zendesk's greeting id as text (no Talk API call)."""
    return dict(GreetingScript.objects.values_list("greeting_id", "script"))


def _entry(
    greeting: Greeting, scripts: dict[str, str], uses: dict[GreetingId, tuple[Use, ...]]
) -> GreetingEntry:
    assert greeting.id is not None
    return GreetingEntry(
        id=greeting.id,
        name=greeting.name or "(no name)",
        category_id=greeting.category_id,
        category=category_label(greeting.category_id),
        is_default=bool(greeting.default) or not greeting.is_custom,
        pending=bool(greeting.pending),
        playable=greeting.has_audio,
        script=scripts.get(str(greeting.id), ""),
        uses=uses.get(greeting.id, ()),
        audio_name=greeting.audio_name or "",
    )


def greeting_now(*, greeting_id: GreetingId) -> GreetingEntry:
    """One greeting as Zendesk holds it this moment (one call), without its uses: whether its
    recording is in yet. Raises a PhoneSystemGone when Zendesk no longer has it."""
    greeting = talk.get_client().get_greeting(greeting_id)
    script = GreetingScript.objects.filter(greeting_id=str(greeting_id)).first()
    return _entry(greeting, {str(greeting_id): script.script} if script else {}, {})
