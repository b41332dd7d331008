"""Lookups that let a page show names instead of ids, cached briefly in Django's cache.

Groups, greetings, greeting categories, schedules, addresses, brands, lines and phone numbers change
rarely and are needed on almost every page, so each list is kept for `lookup_cache_seconds` in
the shared cache (one fetch serves every worker); writes that change one (a menu's greeting, a
number's greetings, which IVR a number answers with) forget it at once. `load_lookups` fetches
several in parallel threads. "lines" and "phone_numbers" hold the same numbers (lines adds the
digital lines), so forgetting one forgets both.

A number's settings (only `GET phone_numbers/{id}?include=settings` has them) are kept the same
way, one cache entry per number: `number_settings` reads those not kept, in parallel, and a
write to a number forgets its entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.core.cache import BaseCache

from core.parallel import in_parallel
from talk.errors import NotFound
from talk.pagination import Paginated
from talk.resources import (
    Address,
    Brand,
    Greeting,
    GreetingCategory,
    Group,
    Line,
    PhoneNumber,
    Resource,
    Schedule,
)

VOICE = "/api/v2/channels/voice"
LOOKUP_NAMES = (
    "groups",
    "greetings",
    "greeting_categories",
    "schedules",
    "addresses",
    "brands",
    "lines",
    "phone_numbers",
)


@dataclass(frozen=True)
class Lookups:
    """The account's lookup lists, as load_lookups fetched them (absent ones are empty)."""

    groups: tuple[Group, ...] = ()
    greetings: tuple[Greeting, ...] = ()
    greeting_categories: tuple[GreetingCategory, ...] = ()
    schedules: tuple[Schedule, ...] = ()
    addresses: tuple[Address, ...] = ()
    brands: tuple[Brand, ...] = ()
    lines: tuple[Line, ...] = ()
    phone_numbers: tuple[PhoneNumber, ...] = ()
    loaded: frozenset[str] = field(default_factory=frozenset)

    def group_name(self, group_id: int) -> str | None:
        return next((g.name for g in self.groups if g.id == group_id), None)

    def greeting_name(self, greeting_id: int | str) -> str | None:
        return next((g.name for g in self.greetings if g.id == greeting_id), None)

    def schedule_name(self, schedule_id: int) -> str | None:
        return next((s.name for s in self.schedules if s.id == schedule_id), None)

    def brand_name(self, brand_id: int) -> str | None:
        return next((b.name for b in self.brands if b.id == brand_id), None)


class LookupEndpoints(Paginated):
    """Cached lookup endpoints of TalkClient."""

    cache: BaseCache
    cache_namespace: str
    lookup_cache_seconds: float

    def list_groups(self) -> list[Group]:
        """The account's groups (deleted ones included, flagged `deleted`)."""
        return self._cached("groups", Group, lambda: self._raw_cursor("/api/v2/groups", "groups"))

    def list_greetings(self, *, category_id: int | None = None) -> list[Greeting]:
        """Every greeting: built-in ones (string ids) and custom ones (integer ids); of one
        category when category_id is given (filtered from the one cached list, no call)."""
        greetings = self._cached(
            "greetings", Greeting, lambda: self._raw_all(f"{VOICE}/greetings", "greetings")
        )
        if category_id is None:
            return greetings
        return [greeting for greeting in greetings if greeting.category_id == category_id]

    def list_greeting_categories(self) -> list[GreetingCategory]:
        """The fixed greeting categories (1 voicemail ... 5 ivr ... 9 call_recording_opt_in)."""
        return self._cached(
            "greeting_categories",
            GreetingCategory,
            lambda: self._raw_all(f"{VOICE}/greeting_categories", "greeting_categories"),
        )

    def list_schedules(self) -> list[Schedule]:
        """Business-hours schedules."""
        return self._cached(
            "schedules",
            Schedule,
            lambda: self._items_raw(self._get("/api/v2/business_hours/schedules"), "schedules"),
        )

    def list_addresses(self) -> list[Address]:
        """Registered addresses (their provider_reference is what provisioning needs)."""
        return self._cached(
            "addresses", Address, lambda: self._raw_all(f"{VOICE}/addresses", "addresses")
        )

    def list_brands(self) -> list[Brand]:
        """The account's brands (a number's brand_id is one of them), from Support's API."""
        return self._cached("brands", Brand, lambda: self._raw_all("/api/v2/brands", "brands"))

    def list_lines(self) -> list[Line]:
        """Phone numbers and digital lines together (digital lines cannot run an IVR)."""
        return self._cached(
            "lines",
            Line,
            lambda: self._raw_all(f"{VOICE}/lines", "lines"),
        )

    def cached_phone_numbers(self) -> list[PhoneNumber]:
        """Every phone number (no digital lines), as `list_phone_numbers` reads them, kept."""
        return self._cached(
            "phone_numbers",
            PhoneNumber,
            lambda: [number.raw for number in self.list_phone_numbers()],  # type: ignore[attr-defined]
        )

    def number_settings(
        self, phone_number_ids: Iterable[int], *, kept_only: bool = False
    ) -> dict[int, dict[str, Any]]:
        """The `settings` of these numbers by id: those kept in the cache, the others read (in
        parallel) and kept. A number released meanwhile has empty settings (it answers no call).

        kept_only: read nothing; the numbers whose settings are not kept are left out.
        """
        ids = list(dict.fromkeys(int(i) for i in phone_number_ids))
        keys = {i: self._settings_key(i) for i in ids}
        kept = self.cache.get_many(list(keys.values()))
        found = {i: kept[key] for i, key in keys.items() if key in kept}
        missing = [i for i in ids if i not in found]
        if kept_only or not missing:
            return found
        answers = in_parallel(**{str(i): partial(self._read_settings, i) for i in missing})
        read = {int(i): settings for i, settings in answers.items()}
        self.cache.set_many(
            {keys[i]: value for i, value in read.items()}, timeout=self.lookup_cache_seconds
        )
        return {**found, **read}

    def _read_settings(self, phone_number_id: int) -> dict[str, Any]:
        try:
            number = self.get_phone_number(phone_number_id)  # type: ignore[attr-defined]
        except NotFound:
            return {}
        return dict(number.raw.get("settings") or {})

    def _forget_number_settings(self, phone_number_id: int) -> None:
        self.cache.delete(self._settings_key(phone_number_id))

    def _settings_key(self, phone_number_id: int) -> str:
        return f"talk:lookup:{self.cache_namespace}:number-settings:{int(phone_number_id)}"

    def load_lookups(self, *names: str) -> Lookups:
        """Several lookups at once (default: all), fetched in parallel when not cached.

        core.parallel runs each in a copy of the caller's context, so calls made inside an
        audit change set are still recorded.
        """
        wanted = names or LOOKUP_NAMES
        unknown = set(wanted) - set(LOOKUP_NAMES)
        if unknown:
            raise ValueError(f"unknown lookups {sorted(unknown)}")
        loaders = {
            name: self.cached_phone_numbers
            if name == "phone_numbers"
            else getattr(self, f"list_{name}")
            for name in wanted
        }
        results = {name: tuple(found) for name, found in in_parallel(**loaders).items()}
        return Lookups(**results, loaded=frozenset(results))

    def forget_lookups(self, *names: str) -> None:
        """Drop cached lookups (default: all), e.g. after a change made outside TalkAdmin."""
        self._forget_lookups(*(names or LOOKUP_NAMES))

    def _forget_lookups(self, *names: str) -> None:
        forgotten = set(names)
        if forgotten & {"lines", "phone_numbers"}:  # the same numbers, both ways
            forgotten |= {"lines", "phone_numbers"}
        self.cache.delete_many([self._lookup_key(name) for name in sorted(forgotten)])

    def _lookup_key(self, name: str) -> str:
        return f"talk:lookup:{self.cache_namespace}:{name}"

    def _cached[R: Resource](self, name: str, resource: type[R], fetch: Any) -> list[R]:
        key = self._lookup_key(name)
        raw_items = self.cache.get(key)
        if raw_items is None:
            raw_items = fetch()
            self.cache.set(key, raw_items, timeout=self.lookup_cache_seconds)
        return [resource.from_json(item) for item in raw_items]

    def _items_raw(self, body: Any, key: str) -> list[dict[str, Any]]:
        return [item.raw for item in self._items(body, key, Resource)]

    def _raw_all(
        self, path: str, key: str, params: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        return [item.raw for item in self._list_all(path, key, Resource, params)]

    def _raw_cursor(self, path: str, key: str) -> list[dict[str, Any]]:
        return [item.raw for item in self._list_cursor(path, key, Resource)]
