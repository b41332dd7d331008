"""What the IVR pages show, read from Zendesk: the list of IVRs and one IVR's page. Read-only.

A full page always reads its IVRs fresh from Zendesk; the phone numbers, groups and greetings
come from talk's cached lookups, and the numbers' settings (only their callback setting matters
here: see ivr.engine.lint) are kept as long (talk's `number_settings`). The page's own htmx requests
(search as you type, each keypad press of "Try it") reuse what the page was built from for up
to TALK_LOOKUP_CACHE_SECONDS, so typing or pressing keys costs no Talk API calls and "Try it"
follows the same version of the IVR that the page shows.

The list reads no number's settings (one call per number): it uses those an IVR page already
read, and a row lacking some says the callback checks run on the IVR's page.

A reading is an IvrDocument with its lookups; ivr.web.presenters.ivr_page turns any of them
(live, a draft, a version to revert to) into the page's parts, so all are shown alike.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

import talk
from core.parallel import in_parallel
from ivr.engine.document import IvrDocument
from ivr.engine.lint import lint
from ivr.engine.lint.findings import Severity
from ivr.engine.lookups import Lookups, PhoneNumber
from ivr.services.live import (
    LiveIvr,
    fetch_live_ivr,
    load_ivr_lookups,
    lookups_from,
)
from talk.lookups import Lookups as AccountLookups

# --- One IVR ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IvrReading:
    """An IVR document (live, or a draft) with the account's names around it, and when Zendesk
    was asked. ivr.web.presenters.ivr_page turns it into the page's checks, tree and keypad."""

    document: IvrDocument
    lookups: Lookups
    read_at: datetime.datetime


def live_ivr(*, ivr_id: int, reuse_recent: bool = False) -> IvrReading:
    """The live IVR's page, read from Zendesk (or, with `reuse_recent`, as recently read).

    Raises talk.errors.NotFound when the IVR does not exist, another TalkError when Zendesk
    cannot answer, and ivr.engine.document.DocumentError when its answer cannot be read as an IVR.
    """
    client = talk.get_client()
    key = f"ivr-pages:{client.cache_namespace}:ivr:{int(ivr_id)}"
    snapshot = cache.get(key) if reuse_recent else None
    if snapshot is None:
        reads = in_parallel(ivr=lambda: _ivr_with_settings(ivr_id), account=_account_reader())
        account = reads.pop("account")
        snapshot = {**reads, "read_at": timezone.now()}
        cache.set(key, snapshot, timeout=settings.TALK_LOOKUP_CACHE_SECONDS)
    else:
        account = _account_reader()()
    document = IvrDocument.from_zendesk(snapshot["ivr"])
    users = _numbers_using([document], _phone_numbers(account))
    lookups = _lookups(account, numbers_needing_settings=users)
    return IvrReading(document=document, lookups=lookups, read_at=snapshot["read_at"])


def _ivr_with_settings(ivr_id: int) -> dict[str, Any]:
    """The IVR, then its numbers' settings (kept), read while the lookups are still coming."""
    client = talk.get_client()
    raw = client.get_ivr(ivr_id).raw
    client.number_settings(IvrDocument.from_zendesk(raw).phone_number_ids)
    return raw


def draft_ivr(*, ivr_id: int, document: IvrDocument, reuse_recent: bool = False) -> IvrReading:
    """A draft's page: the draft `document` with the account's numbers, groups and greetings
    read from Zendesk (or, with `reuse_recent`, as recently read). Raises a TalkError when
    Zendesk cannot answer."""
    lookups, read_at = draft_lookups(ivr_id=ivr_id, document=document, reuse_recent=reuse_recent)
    return IvrReading(document=document, lookups=lookups, read_at=read_at)


def draft_lookups(
    *, ivr_id: int, document: IvrDocument, reuse_recent: bool = False
) -> tuple[Lookups, datetime.datetime]:
    """The groups, greetings and phone numbers around a draft (what its forms choose from), and
    when they were read."""
    client = talk.get_client()
    key = f"ivr-pages:{client.cache_namespace}:around:{int(ivr_id)}"
    snapshot = cache.get(key) if reuse_recent else None
    if snapshot is None:
        snapshot = {"read_at": timezone.now()}
        cache.set(key, snapshot, timeout=settings.TALK_LOOKUP_CACHE_SECONDS)
    account = _account_reader()()
    users = _numbers_using([document], _phone_numbers(account))
    lookups = _lookups(account, numbers_needing_settings=users)
    return lookups, snapshot["read_at"]


# --- The list -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IvrSummary:
    """One row of the IVR list."""

    id: int
    name: str
    numbers: tuple[PhoneNumber, ...]
    menu_count: int
    errors: int
    warnings: int
    # Some of its numbers' settings were not at hand, so the checks that need them (callback
    # and recording-consent greetings) were not run: the IVR's own page runs them.
    number_checks_skipped: bool = False


@dataclass(frozen=True, slots=True)
class IvrListing:
    ivrs: tuple[IvrSummary, ...]  # those matching the search, by name
    total: int  # IVRs in the account
    search: str
    read_at: datetime.datetime


def ivr_listing(*, search: str = "", reuse_recent: bool = False) -> IvrListing:
    """Every IVR whose name (or one of whose phone numbers) matches `search`, with its numbers,
    menu count and check results, sorted by name.

    Raises a TalkError when Zendesk cannot answer.
    """
    client = talk.get_client()
    key = f"ivr-pages:{client.cache_namespace}:list"
    snapshot = cache.get(key) if reuse_recent else None
    if snapshot is None:
        reads = in_parallel(
            ivrs=lambda: [ivr.raw for ivr in client.list_ivrs()], account=_account_reader()
        )
        account = reads.pop("account")
        snapshot = {**reads, "read_at": timezone.now()}
        cache.set(key, snapshot, timeout=settings.TALK_LOOKUP_CACHE_SECONDS)
    else:
        account = _account_reader()()
    documents = [IvrDocument.from_zendesk(raw) for raw in snapshot["ivrs"]]
    users = _numbers_using(documents, _phone_numbers(account))
    # Only the settings already kept (an IVR page read them): reading every number's settings
    # would cost one Talk API call per number. A row whose numbers' settings are not kept says
    # its callback checks were not run.
    lookups = _lookups(account, numbers_needing_settings=users, kept_only=True)
    settings_known = set(client.number_settings(sorted(users), kept_only=True))
    summaries = [_summary(document, lookups, settings_known) for document in documents]
    matching = [summary for summary in summaries if _matches(summary, search)]
    return IvrListing(
        ivrs=tuple(sorted(matching, key=lambda s: (s.name.casefold(), s.id))),
        total=len(summaries),
        search=search,
        read_at=snapshot["read_at"],
    )


def _summary(document: IvrDocument, lookups: Lookups, settings_known: set[int]) -> IvrSummary:
    findings = lint(document, lookups)
    errors = sum(1 for finding in findings if finding.severity is Severity.ERROR)
    numbers = lookups.numbers_using(document)
    return IvrSummary(
        id=document.id or 0,
        name=document.name,
        numbers=numbers,
        menu_count=len(document.menus),
        errors=errors,
        warnings=len(findings) - errors,
        number_checks_skipped=any(
            number.line_type == "phone" and number.id not in settings_known for number in numbers
        ),
    )


def _matches(summary: IvrSummary, search: str) -> bool:
    """Search by the IVR's name, or by a phone number's nickname or digits."""
    words = search.casefold().split()
    if not words:
        return True
    digits = "".join(character for character in search if character.isdigit())
    if len(digits) >= 3 and any(digits in _digits(n.number) for n in summary.numbers):
        return True
    texts = [summary.name, *(n.name for n in summary.numbers)]
    return any(all(word in text.casefold() for word in words) for text in texts)


def _digits(text: str) -> str:
    return "".join(character for character in text if character.isdigit())


# --- Lookups ------------------------------------------------------------------------------------


def _numbers_using(
    documents: Iterable[IvrDocument], phone_numbers: list[dict[str, Any]]
) -> set[int]:
    """The ids of the numbers that answer with any of these IVRs."""
    ivr_ids = {document.id for document in documents if document.id is not None}
    used = {number_id for document in documents for number_id in document.phone_number_ids}
    used |= {n["id"] for n in phone_numbers if n.get("ivr_id") in ivr_ids}
    return used


def _account_reader() -> Callable[[], AccountLookups]:
    """The account's groups, greetings and phone numbers (cached by talk, like its other
    lookups; a change made through TalkAdmin forgets what it changed)."""
    return lambda: talk.get_client().load_lookups("groups", "greetings", "phone_numbers")


def _phone_numbers(account: AccountLookups) -> list[dict[str, Any]]:
    return [number.raw for number in account.phone_numbers]


def _lookups(
    account: AccountLookups, *, numbers_needing_settings: set[int], kept_only: bool = False
) -> Lookups:
    """Groups, greetings and phone numbers by id, with the numbers' settings lint needs (with
    `kept_only`, only the settings already kept: nothing is read)."""
    return lookups_from(
        groups=[group.raw for group in account.groups],
        greetings=[greeting.raw for greeting in account.greetings],
        phone_numbers=_phone_numbers(account),
        settings_for=sorted(numbers_needing_settings),
        kept_only=kept_only,
    )


# --- The admin pages ----------------------------------------------------------------------------


def ivr_name(*, ivr_id: int) -> str:
    """The live IVR's name (a PhoneSystemError when Zendesk cannot say)."""
    return talk.get_client().get_ivr(ivr_id).name or ""


@dataclass(frozen=True)
class DeletePreview:
    live: LiveIvr
    numbers: tuple[PhoneNumber, ...]  # those that would answer without an IVR


def delete_preview(*, ivr_id: int) -> DeletePreview:
    """The IVR and the numbers that answer with it now (re-read, not cached)."""
    live = fetch_live_ivr(ivr_id)
    talk.get_client().forget_lookups("lines")  # which IVR each number answers with, now
    lookups = load_ivr_lookups()
    return DeletePreview(live=live, numbers=lookups.numbers_using(live.document))


@dataclass(frozen=True)
class NumbersChoice:
    live: LiveIvr
    lookups: Lookups
    ivr_names: dict[int, str]  # every IVR's name, by id, to say where a number answers now


def numbers_choice(*, ivr_id: int) -> NumbersChoice:
    """What the "which numbers answer with this IVR" page chooses from, as it is now."""
    live = fetch_live_ivr(ivr_id)
    client = talk.get_client()
    client.forget_lookups("lines")  # which IVR each number answers with, as it is now
    lookups = load_ivr_lookups()
    ivr_names = {int(ivr.raw["id"]): ivr.name or "" for ivr in client.list_ivrs()}
    return NumbersChoice(live=live, lookups=lookups, ivr_names=ivr_names)
