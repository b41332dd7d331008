"""The floor: the fewest Talk API calls a page or a publish needs, sent directly with `requests`
against the same sandbox, in parallel wherever one call does not need another's answer.

An offset-paginated list reads its first page, then every other page at once (the first page's
`count` tells how many there are); a cursor-paginated list (groups) can only follow its links
one after the other. Reads that depend on another (a number's settings need its id) start as
soon as what they need has arrived.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests

VOICE = "/api/v2/channels/voice"
IVR_PATH = f"{VOICE}/ivr"
NUMBERS_PATH = f"{VOICE}/phone_numbers"
PER_PAGE = 100


def in_parallel(*reads: Callable[[], Any]) -> list[Any]:
    """Run the reads at once (one thread each); their answers, in order."""
    if len(reads) == 1:
        return [reads[0]()]
    with ThreadPoolExecutor(max_workers=len(reads)) as pool:
        futures = [pool.submit(read) for read in reads]
        return [future.result() for future in futures]


class DirectApi:
    """The Talk API read with plain `requests`: one session (kept-alive connections) a thread."""

    def __init__(self, base_url: str, email: str, api_token: str):
        self.base_url = base_url
        self.auth = (f"{email}/token", api_token)
        self._local = threading.local()

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
            session.auth = self.auth
        return session

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        answer = self._session().get(f"{self.base_url}{path}.json", params=params, timeout=60)
        answer.raise_for_status()
        return answer.json()

    def put(self, path: str, body: Any) -> Any:
        return self.send("PUT", path, body=body)

    def send(
        self, method: str, path: str, *, params: dict[str, Any] | None = None, body: Any = None
    ) -> Any:
        """Any call, as the sandbox logs them (`path` without .json)."""
        answer = self._session().request(
            method, f"{self.base_url}{path}.json", params=params, json=body, timeout=60
        )
        answer.raise_for_status()
        return answer.json()

    def offset_list(self, path: str, key: str) -> list[Any]:
        first = self.get(path, {"per_page": PER_PAGE, "page": 1})
        pages = math.ceil((first.get("count") or 0) / PER_PAGE)
        rest = in_parallel(
            *(
                lambda page=page: self.get(path, {"per_page": PER_PAGE, "page": page})
                for page in range(2, pages + 1)
            )
        ) if pages > 1 else []  # fmt: skip
        return [item for body in (first, *rest) for item in body[key]]

    def cursor_list(self, path: str, key: str) -> list[Any]:
        items, params = [], {"page[size]": PER_PAGE}
        while True:
            body = self.get(path, params)
            items.extend(body[key])
            if not body["meta"]["has_more"]:
                return items
            params = {"page[size]": PER_PAGE, "page[after]": body["meta"]["after_cursor"]}

    # --- the reads pages need --------------------------------------------------------------------
    def ivrs(self) -> list[Any]:
        return self.offset_list(IVR_PATH, "ivrs")

    def ivr(self, ivr_id: int) -> dict[str, Any]:
        return self.get(f"{IVR_PATH}/{ivr_id}")["ivr"]

    def phone_numbers(self) -> list[Any]:
        return self.offset_list(NUMBERS_PATH, "phone_numbers")

    def phone_number(self, number_id: int) -> dict[str, Any]:
        return self.get(f"{NUMBERS_PATH}/{number_id}", {"include": "settings"})["phone_number"]

    def settings_of(self, number_ids: list[int]) -> list[Any]:
        return in_parallel(*(lambda n=n: self.phone_number(n) for n in number_ids))

    def groups(self) -> list[Any]:
        return self.cursor_list("/api/v2/groups", "groups")

    def greetings(self) -> list[Any]:
        return self.offset_list(f"{VOICE}/greetings", "greetings")

    def schedules(self) -> list[Any]:
        return self.get("/api/v2/business_hours/schedules")["schedules"]

    def lines(self) -> list[Any]:
        return self.offset_list(f"{VOICE}/lines", "lines")


# --- Each page's floor: (lookups not cached yet, lookups cached) ----------------------------------
def ivr_list_floor(api: DirectApi, *, cold: bool) -> None:
    """Every IVR and every number; first visit: the groups, the greetings, and the settings of
    the numbers that answer with an IVR (the checks warn about callback)."""

    def numbers() -> None:
        listed = api.phone_numbers()
        if cold:
            api.settings_of([n["id"] for n in listed if n.get("ivr_id")])

    reads = [api.ivrs, numbers]
    in_parallel(*reads, *([api.groups, api.greetings] if cold else []))


def ivr_page_floor(api: DirectApi, ivr_id: int, *, cold: bool) -> None:
    """The IVR and the numbers (names of the numbers it uses); first visit: the groups, the
    greetings, and the settings of its numbers."""

    def ivr() -> None:
        read = api.ivr(ivr_id)
        if cold:
            api.settings_of(read.get("phone_number_ids") or [])

    in_parallel(ivr, api.phone_numbers, *([api.groups, api.greetings] if cold else []))


def number_list_floor(api: DirectApi, *, cold: bool) -> None:
    """Every number and every IVR (the IVR a number answers with, by name); first visit: the
    groups."""
    in_parallel(api.phone_numbers, api.ivrs, *([api.groups] if cold else []))


def number_page_floor(api: DirectApi, number_id: int, *, cold: bool) -> None:
    """The number with its settings and the IVRs to choose from; first visit: the groups,
    greetings and schedules it can be given."""
    in_parallel(
        lambda: api.phone_number(number_id),
        api.ivrs,
        *([api.groups, api.greetings, api.schedules] if cold else []),
    )


def publish_preview_floor(api: DirectApi, ivr_id: int, *, cold: bool) -> None:
    """The live IVR (to merge the draft with); first visit: groups, greetings and lines (the
    checks), and the settings of its numbers."""

    def ivr() -> None:
        read = api.ivr(ivr_id)
        if cold:
            api.settings_of(read.get("phone_number_ids") or [])

    in_parallel(ivr, *([api.groups, api.greetings, api.lines] if cold else []))
