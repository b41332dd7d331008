"""Reading what Zendesk holds now: an IVR, and the account's lookups around it."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import talk
from ivr.document import IvrDocument
from ivr.lookups import Lookups
from talk.errors import NotFound


@dataclass(frozen=True, slots=True)
class LiveIvr:
    """An IVR as Zendesk returned it a moment ago: the JSON, and the same as a document."""

    json: dict[str, Any]
    document: IvrDocument

    @property
    def id(self) -> int:
        return int(self.json["id"])

    @property
    def name(self) -> str:
        return self.document.name


def fetch_live_ivr(ivr_id: int) -> LiveIvr:
    """One GET of the IVR with its menus and routes (raises talk.errors.NotFound if gone)."""
    raw = talk.get_client().get_ivr(ivr_id).raw
    return LiveIvr(json=raw, document=IvrDocument.from_zendesk(raw))


def get_live_ivr(*, ivr_id: int) -> IvrDocument:
    """The IVR as Zendesk holds it now."""
    return fetch_live_ivr(ivr_id).document


def load_ivr_lookups(*, settings_for: Iterable[int] = ()) -> Lookups:
    """The groups, greetings and phone numbers lint, the simulator and the planner speak of.

    Groups, greetings and lines (every phone number, with its SMS capability and setting, and
    digital lines) come from the Talk client's cached lookups, so most calls cost no request.
    The numbers in `settings_for` (e.g. those answering with the IVR on screen) are fetched
    with their settings, one request each, so lint can warn about callback and consent
    greetings; without them those two warnings are not checked.
    """
    client = talk.get_client()
    loaded = client.load_lookups("groups", "greetings", "lines")
    numbers = {line.raw["id"]: line.raw for line in loaded.lines if "id" in line.raw}
    for number_id in dict.fromkeys(settings_for):
        if number_id in numbers and numbers[number_id].get("line_type", "phone") == "phone":
            try:
                numbers[number_id] = client.get_phone_number(number_id).raw
            except NotFound:
                continue  # released a moment ago: lint says so from the lines already read
    return Lookups.from_zendesk(
        groups=[group.raw for group in loaded.groups],
        greetings=[greeting.raw for greeting in loaded.greetings],
        phone_numbers=list(numbers.values()),
    )
