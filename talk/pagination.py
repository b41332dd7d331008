"""Request helpers shared by the endpoint groups: envelopes and Zendesk's two paginations."""

from __future__ import annotations

import logging
import math
from functools import partial
from typing import Any

from core.parallel import in_parallel
from talk.errors import TalkError
from talk.resources import Page, Resource
from talk.transport import Transport

logger = logging.getLogger("talk")
MAX_PER_PAGE = 100  # Zendesk's maximum page size


class Paginated:
    """Base of TalkClient's endpoint groups: one transport, envelopes, pagination."""

    _transport: Transport
    max_pages: int

    def _forget_lookups(self, *names: str) -> None:
        """Drop the named cached lookups after a write changed them (LookupEndpoints)."""
        raise NotImplementedError

    def _forget_number_settings(self, phone_number_id: int) -> None:
        """Drop a number's cached settings after a write changed them (LookupEndpoints)."""
        raise NotImplementedError

    def _get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self._transport.request("GET", path, params=params).body

    def _write(
        self,
        method: str,
        path: str,
        body: Any = None,
        params: dict[str, Any] | None = None,
    ) -> Any:
        return self._transport.request(method, path, params=params, body=body).body

    # The answers' JSON was parsed for this call alone and is never changed, so resources are
    # built on it without Resource.from_json's copy (a copy of 500 numbers costs ~50 ms).
    def _one[R: Resource](self, body: Any, key: str, resource: type[R]) -> R:
        """The object inside Zendesk's `{key: {...}}` envelope."""
        if not isinstance(body, dict) or not isinstance(body.get(key), dict):
            raise TalkError(f"Zendesk's answer had no '{key}' object.")
        return resource._from_shared(body[key])

    def _deleted[R: Resource](self, body: Any, key: str, resource: type[R]) -> R | None:
        """The deleted object a delete answers with, or None when it answered without one."""
        if isinstance(body, dict) and isinstance(body.get(key), dict):
            return resource._from_shared(body[key])
        return None

    def _items[R: Resource](self, body: Any, key: str, resource: type[R]) -> list[R]:
        if not isinstance(body, dict) or not isinstance(body.get(key), list):
            raise TalkError(f"Zendesk's answer had no '{key}' list.")
        return [resource._from_shared(item) for item in body[key] if isinstance(item, dict)]

    def _list_all[R: Resource](
        self,
        path: str,
        key: str,
        resource: type[R],
        params: dict[str, Any] | None = None,
    ) -> list[R]:
        """Every item of an offset-paginated list, up to max_pages pages.

        The first page's `count` tells how many pages follow: those are read at once
        (core.parallel.PARALLEL_READS at a time), so 500 phone numbers cost two round trips, not
        five. Without a count, or when records were added meanwhile, it follows next_page one
        after another.
        """
        query = {**(params or {}), "per_page": MAX_PER_PAGE}
        body = self._get(path, query)
        items: list[R] = self._items(body, key, resource)
        read = 1
        count = body.get("count")
        if body.get("next_page") and isinstance(count, int) and count > MAX_PER_PAGE:
            pages = min(math.ceil(count / MAX_PER_PAGE), self.max_pages)
            reads = {
                str(n): partial(self._get, path, {**query, "page": n}) for n in range(2, pages + 1)
            }
            for body in in_parallel(**reads).values():  # in page order
                items.extend(self._items(body, key, resource))
            read = pages
        while body.get("next_page"):
            if read >= self.max_pages:
                logger.warning(
                    "Stopped listing %s after %d pages (TALK_MAX_PAGES)", path, self.max_pages
                )
                break
            # next_page is a full URL that already carries the query.
            next_path = self._transport.same_origin_path(body["next_page"])
            body = self._get(next_path)
            items.extend(self._items(body, key, resource))
            read += 1
        return items

    def _list_page[R: Resource](
        self,
        path: str,
        key: str,
        resource: type[R],
        *,
        page: int,
        per_page: int,
        params: dict[str, Any] | None = None,
    ) -> Page[R]:
        """One page of an offset-paginated list."""
        page, per_page = max(1, int(page)), min(MAX_PER_PAGE, max(1, int(per_page)))
        body = self._get(path, {**(params or {}), "page": page, "per_page": per_page})
        items = self._items(body, key, resource)
        count = body.get("count")
        return Page(
            items=tuple(items),
            count=count if isinstance(count, int) else None,
            page=page,
            per_page=per_page,
            next_page=page + 1 if body.get("next_page") else None,
            previous_page=page - 1 if body.get("previous_page") and page > 1 else None,
            raw=body,
        )

    def _list_cursor[R: Resource](
        self,
        path: str,
        key: str,
        resource: type[R],
        params: dict[str, Any] | None = None,
    ) -> list[R]:
        """Every item of a cursor-paginated list: follows links.next while meta.has_more."""
        items: list[R] = []
        next_path: str = path
        query: dict[str, Any] | None = {**(params or {}), "page[size]": MAX_PER_PAGE}
        for _ in range(self.max_pages):
            body = self._get(next_path, query)
            items.extend(self._items(body, key, resource))
            meta, links = body.get("meta") or {}, body.get("links") or {}
            if not (meta.get("has_more") and links.get("next")):
                return items
            next_path, query = self._transport.same_origin_path(links["next"]), None
        logger.warning("Stopped listing %s after %d pages (TALK_MAX_PAGES)", path, self.max_pages)
        return items
