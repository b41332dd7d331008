"""What the IVR pages show, read from Zendesk: the list of IVRs and one IVR's page. Read-only.

A full page is always read fresh from Zendesk. The page's own htmx requests (search as you
type, each keypad press of "Try it") reuse what the page was built from for up to
TALK_LOOKUP_CACHE_SECONDS, so typing or pressing keys costs no Talk API calls and "Try it"
follows the same version of the IVR that the page shows. The phone numbers' settings (only
their callback setting matters here: see ivr.lint) are kept as long as the other lookups.

`ivr_view` turns any IvrDocument into the page's parts (checks, tree, keypad), so a draft or a
version to revert to is shown exactly like the live IVR.
"""

import contextvars
import datetime
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

import talk
from ivr.call_flow import CallFlow, build_call_flow
from ivr.document import IvrDocument
from ivr.findings import Finding, Severity
from ivr.lint import lint
from ivr.lookups import Lookups, PhoneNumber
from ivr.try_it import TryIt, try_call
from talk.errors import NotFound
from talk.lookups import Lookups as AccountLookups

PARALLEL_READS = 4  # Talk API reads one page makes at once


# --- One IVR ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IvrView:
    """Everything the IVR page draws for one document."""

    document: IvrDocument
    lookups: Lookups
    findings: tuple[Finding, ...]
    flow: CallFlow
    try_it: TryIt


def ivr_view(
    *, document: IvrDocument, lookups: Lookups, call: str = "", press: str | None = None
) -> IvrView:
    """The checks, the call-flow tree and the keypad's call for any IVR document.

    `call` and `press` are the keypad's parameters (see ivr.try_it.try_call); the tree marks
    the path the call took.
    """
    findings = lint(document, lookups)
    try_it = try_call(document=document, lookups=lookups, call=call, press=press)
    # Before the first press the tree marks no path: nobody has called yet.
    path = try_it.call if try_it.started else None
    flow = build_call_flow(document=document, lookups=lookups, findings=findings, call=path)
    return IvrView(document, lookups, findings, flow, try_it)


@dataclass(frozen=True, slots=True)
class LiveIvrPage:
    view: IvrView
    read_at: datetime.datetime  # when Zendesk was asked


def live_ivr_page(
    *, ivr_id: int, call: str = "", press: str | None = None, reuse_recent: bool = False
) -> LiveIvrPage:
    """The live IVR's page, read from Zendesk (or, with `reuse_recent`, as recently read).

    Raises talk.errors.NotFound when the IVR does not exist, another TalkError when Zendesk
    cannot answer, and ivr.document.DocumentError when its answer cannot be read as an IVR.
    """
    client = talk.get_client()
    key = f"ivr-pages:{client.cache_namespace}:ivr:{int(ivr_id)}"
    snapshot = cache.get(key) if reuse_recent else None
    if snapshot is None:
        reads = _in_parallel(
            ivr=lambda: client.get_ivr(ivr_id).raw,
            phone_numbers=lambda: [number.raw for number in client.list_phone_numbers()],
            account=_account_reader(),
        )
        account = reads.pop("account")
        snapshot = {**reads, "read_at": timezone.now()}
        cache.set(key, snapshot, timeout=settings.TALK_LOOKUP_CACHE_SECONDS)
    else:
        account = _account_reader()()
    document = IvrDocument.from_zendesk(snapshot["ivr"])
    users = _numbers_using([document], snapshot["phone_numbers"])
    lookups = _lookups(account, snapshot["phone_numbers"], numbers_needing_settings=users)
    view = ivr_view(document=document, lookups=lookups, call=call, press=press)
    return LiveIvrPage(view=view, read_at=snapshot["read_at"])


def draft_ivr_page(
    *,
    ivr_id: int,
    document: IvrDocument,
    call: str = "",
    press: str | None = None,
    reuse_recent: bool = False,
) -> LiveIvrPage:
    """A draft's page: the draft `document` with the account's numbers, groups and greetings
    read from Zendesk (or, with `reuse_recent`, as recently read). Raises a TalkError when
    Zendesk cannot answer."""
    client = talk.get_client()
    key = f"ivr-pages:{client.cache_namespace}:around:{int(ivr_id)}"
    snapshot = cache.get(key) if reuse_recent else None
    if snapshot is None:
        reads = _in_parallel(
            phone_numbers=lambda: [number.raw for number in client.list_phone_numbers()],
            account=_account_reader(),
        )
        account = reads.pop("account")
        snapshot = {**reads, "read_at": timezone.now()}
        cache.set(key, snapshot, timeout=settings.TALK_LOOKUP_CACHE_SECONDS)
    else:
        account = _account_reader()()
    users = _numbers_using([document], snapshot["phone_numbers"])
    lookups = _lookups(account, snapshot["phone_numbers"], numbers_needing_settings=users)
    view = ivr_view(document=document, lookups=lookups, call=call, press=press)
    return LiveIvrPage(view=view, read_at=snapshot["read_at"])


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
        reads = _in_parallel(
            ivrs=lambda: [ivr.raw for ivr in client.list_ivrs()],
            phone_numbers=lambda: [number.raw for number in client.list_phone_numbers()],
            account=_account_reader(),
        )
        account = reads.pop("account")
        snapshot = {**reads, "read_at": timezone.now()}
        cache.set(key, snapshot, timeout=settings.TALK_LOOKUP_CACHE_SECONDS)
    else:
        account = _account_reader()()
    documents = [IvrDocument.from_zendesk(raw) for raw in snapshot["ivrs"]]
    users = _numbers_using(documents, snapshot["phone_numbers"])
    lookups = _lookups(account, snapshot["phone_numbers"], numbers_needing_settings=users)
    summaries = [_summary(document, lookups) for document in documents]
    matching = [summary for summary in summaries if _matches(summary, search)]
    return IvrListing(
        ivrs=tuple(sorted(matching, key=lambda s: (s.name.casefold(), s.id))),
        total=len(summaries),
        search=search,
        read_at=snapshot["read_at"],
    )


def _summary(document: IvrDocument, lookups: Lookups) -> IvrSummary:
    findings = lint(document, lookups)
    errors = sum(1 for finding in findings if finding.severity is Severity.ERROR)
    return IvrSummary(
        id=document.id or 0,
        name=document.name,
        numbers=lookups.numbers_using(document),
        menu_count=len(document.menus),
        errors=errors,
        warnings=len(findings) - errors,
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


def _numbers_using(documents: Iterable[IvrDocument], phone_numbers: list[dict]) -> set[int]:
    """The ids of the numbers that answer with any of these IVRs."""
    ivr_ids = {document.id for document in documents if document.id is not None}
    used = {number_id for document in documents for number_id in document.phone_number_ids}
    used |= {n["id"] for n in phone_numbers if n.get("ivr_id") in ivr_ids}
    return used


def _account_reader() -> Callable[[], AccountLookups]:
    """The account's groups and greetings (cached by talk, like its other lookups)."""
    return lambda: talk.get_client().load_lookups("groups", "greetings")


def _lookups(
    account: AccountLookups, phone_numbers: list[dict], *, numbers_needing_settings: set[int]
) -> Lookups:
    """Groups, greetings and phone numbers by id, with the numbers' settings lint needs."""
    known = {number["id"] for number in phone_numbers}
    wanted = sorted(numbers_needing_settings & known)
    settings_by_id = _in_parallel(**{str(n): _settings_reader(n) for n in wanted}) if wanted else {}
    numbers = [
        {**number, "settings": settings_by_id[str(number["id"])]}
        if str(number["id"]) in settings_by_id
        else number
        for number in phone_numbers
    ]
    return Lookups.from_zendesk(
        groups=[group.raw for group in account.groups],
        greetings=[greeting.raw for greeting in account.greetings],
        phone_numbers=numbers,
    )


def _settings_reader(number_id: int) -> Callable[[], dict[str, Any]]:
    def read() -> dict[str, Any]:
        client = talk.get_client()
        key = f"ivr-pages:{client.cache_namespace}:number-settings:{number_id}"
        kept = cache.get(key)
        if kept is not None:
            return kept
        try:
            number_settings = client.get_phone_number(number_id).raw.get("settings") or {}
        except NotFound:  # released since the list was read: it answers no call
            number_settings = {}
        cache.set(key, number_settings, timeout=settings.TALK_LOOKUP_CACHE_SECONDS)
        return number_settings

    return read


def _in_parallel(**reads: Callable[[], Any]) -> dict[str, Any]:
    """Run independent Talk API reads at once; the first failure is raised.

    Each runs in a copy of the caller's context, as talk's own lookups do.
    """
    if len(reads) == 1:
        ((name, read),) = reads.items()
        return {name: read()}
    with ThreadPoolExecutor(max_workers=min(PARALLEL_READS, len(reads))) as pool:
        futures = {
            name: pool.submit(contextvars.copy_context().run, read) for name, read in reads.items()
        }
        return {name: future.result() for name, future in futures.items()}
