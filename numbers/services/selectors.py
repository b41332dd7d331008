"""What the phone-number pages show, read from Zendesk: the list, and one number's page.

The list reads every number in full (following Zendesk's pages of 100): its columns and filters
need `ivr_id`, `group_ids`, `recorded` and `toll_free`, which minimal_mode leaves out, and
Zendesk cannot filter or search numbers itself. A full page is read fresh; the list's own htmx
requests (search as you type, filters) reuse what it was built from for up to
TALK_LOOKUP_CACHE_SECONDS, so typing costs no Talk API calls.

The number page reads the number with its settings, the IVRs (for their names) and the
account's groups, greetings and schedules (cached lookups) at once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.utils import timezone

import talk
from core import phone
from core.parallel import in_parallel
from numbers.countries import country_name
from numbers.wording import Names as Names  # re-exported: the pages' type
from talk.lookups import Lookups

PER_PAGE = 25  # rows on one page of the list
CAPABILITIES = (("voice", "Voice"), ("sms", "SMS"), ("mms", "MMS"))


def names_from(lookups: Lookups, ivrs: list[dict[str, Any]]) -> Names:
    """Names by id of the account's groups, IVRs, schedules, brands and greetings, for a number's
    words."""
    return Names(
        groups={str(g.id): g.name or "" for g in lookups.groups},
        deleted_groups=frozenset(str(g.id) for g in lookups.groups if g.deleted),
        ivrs={str(i["id"]): i.get("name") or "" for i in ivrs},
        schedules={str(s.id): s.name or "" for s in lookups.schedules},
        brands={str(b.id): b.name or "" for b in lookups.brands},
        greetings={str(g.id): g.name or "" for g in lookups.greetings},
        greeting_categories={
            str(g.id): str(g.category_id) for g in lookups.greetings if g.category_id
        },
    )


# --- One number ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class NumberPage:
    number: dict[str, Any]  # Zendesk's JSON, settings included
    names: Names
    read_at: datetime.datetime


def number_page(*, number_id: int) -> NumberPage:
    """One number with its settings and the names it refers to, read from Zendesk.

    Raises talk.errors.NotFound when the number does not exist, another TalkError when Zendesk
    cannot answer.
    """
    client = talk.get_client()
    reads = in_parallel(
        number=lambda: client.get_phone_number(number_id).raw,
        ivrs=lambda: [{"id": i.raw["id"], "name": i.name} for i in client.list_ivrs()],
        lookups=lambda: client.load_lookups("groups", "greetings", "schedules", "brands"),
    )
    return NumberPage(
        number=reads["number"],
        names=names_from(reads["lookups"], reads["ivrs"]),
        read_at=timezone.now(),
    )


def account_names() -> Names:
    """The names a settings form offers (groups, IVRs, schedules, brands, greetings), without the
    number."""
    client = talk.get_client()
    reads = in_parallel(
        ivrs=lambda: [{"id": i.raw["id"], "name": i.name} for i in client.list_ivrs()],
        lookups=lambda: client.load_lookups("groups", "greetings", "schedules", "brands"),
    )
    return names_from(reads["lookups"], reads["ivrs"])


# --- The list -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NumberFilters:
    search: str = ""
    country: str = ""
    capability: str = ""  # voice, sms or mms
    ivr: str = ""  # an IVR id, or "none" for numbers without an IVR
    recording: str = ""  # "on" or "off"
    page: int = 1

    @property
    def active(self) -> bool:
        return bool(self.search or self.country or self.capability or self.ivr or self.recording)


@dataclass(frozen=True)
class NumberRow:
    number: dict[str, Any]
    ivr_name: str | None
    group_names: tuple[str, ...]

    @property
    def id(self) -> int:
        return int(self.number["id"])

    @property
    def country(self) -> str:
        return country_name(self.number.get("country_code"))

    @property
    def label(self) -> str:
        return phone.short_label(**phone.label_parts(self.number))

    @property
    def capabilities(self) -> tuple[str, ...]:
        held = self.number.get("capabilities") or {}
        return tuple(label for key, label in CAPABILITIES if held.get(key))


@dataclass(frozen=True)
class NumberListing:
    # This page's rows; page.paginator.count is how many rows match, on every page.
    page: Page[NumberRow]
    total: int  # numbers in the account
    filters: NumberFilters
    countries: tuple[str, ...]
    ivrs: tuple[tuple[str, str], ...]  # (id, name) of the IVRs, by name
    read_at: datetime.datetime


def number_listing(*, filters: NumberFilters, reuse_recent: bool = False) -> NumberListing:
    """The numbers matching `filters`, one page of them (PER_PAGE rows), sorted by name.

    A page past the last gives the last page (Django's Paginator.get_page).

    Raises a TalkError when Zendesk cannot answer.
    """
    client = talk.get_client()
    key = _listing_key()
    snapshot = cache.get(key) if reuse_recent else None
    if snapshot is None:
        reads = in_parallel(
            numbers=lambda: [number.raw for number in client.list_phone_numbers()],
            ivrs=lambda: [{"id": i.raw["id"], "name": i.name} for i in client.list_ivrs()],
            lookups=lambda: client.load_lookups("groups"),
        )
        lookups = reads.pop("lookups")
        snapshot = {**reads, "read_at": timezone.now()}
        cache.set(key, snapshot, timeout=settings.TALK_LOOKUP_CACHE_SECONDS)
    else:
        lookups = client.load_lookups("groups")
    names = names_from(lookups, snapshot["ivrs"])
    rows = [
        NumberRow(
            number=number,
            ivr_name=names.ivrs.get(str(number.get("ivr_id"))) if number.get("ivr_id") else None,
            group_names=tuple(
                names.groups.get(str(g), f"a group Zendesk no longer has (#{g})")
                for g in number.get("group_ids") or ()
            ),
        )
        for number in snapshot["numbers"]
    ]
    matching = sorted(
        (row for row in rows if _matches(row, filters)),
        key=lambda row: (row.label.casefold(), row.id),
    )
    return NumberListing(
        page=Paginator(matching, PER_PAGE).get_page(filters.page),
        total=len(rows),
        filters=filters,
        countries=tuple(sorted({n.get("country_code") or "" for n in snapshot["numbers"]} - {""})),
        ivrs=tuple(sorted(names.ivrs.items(), key=lambda item: item[1].casefold())),
        read_at=snapshot["read_at"],
    )


def forget_listing() -> None:
    """Drop the list kept for its htmx requests (after a change made here)."""
    cache.delete(_listing_key())


def _listing_key() -> str:
    return f"number-pages:{talk.get_client().cache_namespace}:list"


def _matches(row: NumberRow, filters: NumberFilters) -> bool:
    number = row.number
    if filters.country and number.get("country_code") != filters.country:
        return False
    if filters.capability and not (number.get("capabilities") or {}).get(filters.capability):
        return False
    if filters.ivr == "none" and number.get("ivr_id"):
        return False
    if filters.ivr not in ("", "none") and str(number.get("ivr_id")) != filters.ivr:
        return False
    if filters.recording and bool(number.get("recorded")) != (filters.recording == "on"):
        return False
    return _search_matches(row, filters.search)


def _search_matches(row: NumberRow, search: str) -> bool:
    """By name (every word) or by digits (three or more, anywhere in the number)."""
    words = search.casefold().split()
    if not words:
        return True
    digits = "".join(character for character in search if character.isdigit())
    number_digits = "".join(c for c in row.number.get("number") or "" if c.isdigit())
    if len(digits) >= 3 and digits in number_digits:
        return True
    texts = [row.label, row.number.get("display_number") or ""]
    return any(all(word in text.casefold() for word in words) for text in texts)
