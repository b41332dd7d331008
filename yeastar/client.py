"""YeastarClient: every Yeastar P-Series endpoint TalkAdmin uses, as typed methods.

Get the process's one client with `yeastar.get_client()`; never build requests yourself.
Reads return typed resources (yeastar.resources); every failure is a YeastarError
(yeastar.errors). Writes (create_ivr, update_ivr, delete_ivr) must run inside an audit change
set, or they raise WriteOutsideChangeSet before anything is sent.

Lists are paged by the PBX (`page`, `page_size`, `total_number`); the client follows the pages
until it holds `total_number` items.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from yeastar.errors import Unavailable
from yeastar.resources import (
    Conference,
    CustomPrompt,
    Extension,
    GroupVoicemail,
    Ivr,
    IvrSummary,
    Queue,
    RingGroup,
)
from yeastar.transport import CallKind, Transport

Item = TypeVar("Item")
WRITABLE_IVR_FIELDS = frozenset(Ivr()._fields())


@dataclass(frozen=True)
class Directory:
    """Everything an IVR's destinations can name, read from the PBX at one moment."""

    ivrs: list[IvrSummary]
    extensions: list[Extension]
    ring_groups: list[RingGroup]
    queues: list[Queue]
    conferences: list[Conference]
    group_voicemails: list[GroupVoicemail]
    custom_prompts: list[CustomPrompt]


class YeastarClient:
    """The API of one Yeastar P-Series PBX."""

    def __init__(self, *, transport: Transport, page_size: int = 100, max_pages: int = 100):
        self._transport = transport
        self.page_size = page_size
        self.max_pages = max_pages

    @property
    def base_url(self) -> str:
        return self._transport.base_url

    @property
    def transport(self) -> Transport:
        return self._transport

    def __repr__(self) -> str:
        return f"YeastarClient({self.base_url})"

    def check_reachable(self, *, timeout: tuple[float, float] = (2.0, 3.0)) -> None:
        """One quick authenticated read (the first IVR), with no retry; raises YeastarError
        when the PBX cannot be reached or refuses TalkAdmin."""
        self._transport.call(
            "GET",
            "ivr/list",
            kind=CallKind.READ,
            params={"page": 1, "page_size": 1},
            timeout=timeout,
            retry=False,
        )

    # --- IVRs ---------------------------------------------------------------------------------
    def list_ivrs(self) -> list[IvrSummary]:
        """Every IVR of the PBX: id, number and name (`ivr/list`, all pages)."""
        return self._all("ivr/list", "data", IvrSummary.from_json, sort_by="id", order_by="asc")

    def search_ivrs(self, text: str) -> list[IvrSummary]:
        """The IVRs whose number or name matches `text` (`ivr/search`, all pages)."""
        return self._all("ivr/search", "data", IvrSummary.from_json, search_value=text)

    def get_ivr(self, ivr_id: int) -> Ivr:
        """One IVR with its keys and fallbacks (`ivr/get`); NotFound if it does not exist."""
        answer = self._read("ivr/get", {"id": int(ivr_id)}, addressed_by_id=True)
        return Ivr.from_json(_object(answer, "data"))

    def get_ivrs(self, ivr_ids: Iterable[int]) -> list[Ivr]:
        """Several IVRs in one call (`ivr/query`), in the order asked; ids the PBX does not
        have are left out."""
        wanted = [int(ivr_id) for ivr_id in ivr_ids]
        if not wanted:
            return []
        answer = self._read("ivr/query", {"ids": ",".join(str(i) for i in wanted)})
        found = {ivr.id: ivr for ivr in (Ivr.from_json(item) for item in _list(answer, "data"))}
        return [found[ivr_id] for ivr_id in wanted if ivr_id in found]

    def create_ivr(self, ivr: Ivr) -> int:
        """Create an IVR like `ivr` (its id is ignored); returns the new IVR's id.

        When the answer does not carry the id, the new IVR is found by its number, which the
        PBX keeps unique.
        """
        answer = self._transport.call(
            "POST", "ivr/create", kind=CallKind.CREATE, body=ivr.to_request()
        )
        new_id = answer.get("id")
        if isinstance(new_id, int):
            return new_id
        for summary in self.search_ivrs(ivr.number):
            if summary.number == ivr.number:
                return summary.id
        raise Unavailable(
            "the PBX said the IVR was created but does not list it",
            method="POST",
            path="/openapi/v1.0/ivr/create",
        )

    def update_ivr(self, ivr_id: int, *, changes: Mapping[str, Any]) -> None:
        """Send `changes` (Yeastar field names, e.g. from `Ivr.changes_from`) to one IVR; the
        fields not named stay as they are. Sends nothing when there is nothing to change."""
        unknown = set(changes) - WRITABLE_IVR_FIELDS
        if unknown:
            raise ValueError(f"not writable IVR fields: {sorted(unknown)}")
        if not changes:
            return
        self._transport.call(
            "POST",
            "ivr/update",
            kind=CallKind.UPDATE,
            body={"id": int(ivr_id), **changes},
            addressed_by_id=True,
        )

    def delete_ivr(self, ivr_id: int) -> None:
        """Delete an IVR (`ivr/delete`, a GET); NotFound if it is already gone."""
        self._transport.call(
            "GET",
            "ivr/delete",
            kind=CallKind.DELETE,
            params={"id": int(ivr_id)},
            addressed_by_id=True,
        )

    # --- What destinations point at -----------------------------------------------------------
    def list_extensions(self) -> list[Extension]:
        return self._all("extension/list", "data", Extension.from_json)

    def list_ring_groups(self) -> list[RingGroup]:
        return self._all("ringgroup/list", "data", RingGroup.from_json)

    def list_queues(self) -> list[Queue]:
        return self._all("queue/list", "queue_list", Queue.from_json)

    def list_conferences(self) -> list[Conference]:
        return self._all("conference/list", "data", Conference.from_json)

    def list_group_voicemails(self) -> list[GroupVoicemail]:
        return self._all("vm_group/list", "vm_group_list", GroupVoicemail.from_json)

    def list_custom_prompts(self) -> list[CustomPrompt]:
        return self._all("custom_prompt/list", "prompt_list", CustomPrompt.from_json)

    def read_directory(self) -> Directory:
        """Every IVR, extension, ring group, queue, conference, group voicemail and custom
        prompt: what IVR destinations are checked against and named by."""
        return Directory(
            ivrs=self.list_ivrs(),
            extensions=self.list_extensions(),
            ring_groups=self.list_ring_groups(),
            queues=self.list_queues(),
            conferences=self.list_conferences(),
            group_voicemails=self.list_group_voicemails(),
            custom_prompts=self.list_custom_prompts(),
        )

    # --- helpers ------------------------------------------------------------------------------
    def _read(
        self, endpoint: str, params: dict[str, Any], *, addressed_by_id: bool = False
    ) -> dict[str, Any]:
        return self._transport.call(
            "GET", endpoint, kind=CallKind.READ, params=params, addressed_by_id=addressed_by_id
        )

    def _all(
        self, endpoint: str, key: str, build: Callable[[dict[str, Any]], Item], **params: Any
    ) -> list[Item]:
        items: list[Item] = []
        for page in range(1, self.max_pages + 1):
            answer = self._read(endpoint, {**params, "page": page, "page_size": self.page_size})
            chunk = _list(answer, key)
            items.extend(build(item) for item in chunk)
            total = answer.get("total_number")
            if not chunk or not isinstance(total, int) or len(items) >= total:
                return items
        raise Unavailable(
            f"the PBX kept sending pages of {endpoint} past {self.max_pages}",
            method="GET",
            path=f"/openapi/v1.0/{endpoint}",
        )


def _object(answer: Mapping[str, Any], key: str) -> dict[str, Any]:
    value = answer.get(key)
    if not isinstance(value, dict):
        raise Unavailable(f"the PBX's answer lacks {key!r}")
    return value


def _list(answer: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    value = answer.get(key) or []
    if not isinstance(value, list):
        raise Unavailable(f"the PBX's answer has no list {key!r}")
    return [item for item in value if isinstance(item, dict)]
