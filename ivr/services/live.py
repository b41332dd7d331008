"""Reading what Zendesk holds now: an IVR, and the account's lookups around it."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import talk
from core.parallel import in_parallel
from ivr.engine.document import IvrDocument
from ivr.engine.lookups import Lookups
from talk.lookups import Lookups as AccountLookups


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
    The numbers in `settings_for` (e.g. those answering with the IVR on screen) get their
    settings (kept like the lookups, the missing ones read in parallel: talk's
    `number_settings`), so lint can warn about callback and consent greetings; without them
    those two warnings are not checked.
    """
    loaded = talk.get_client().load_lookups("groups", "greetings", "lines")
    lines = [line.raw for line in loaded.lines if "id" in line.raw]
    return lookups_from(
        groups=[group.raw for group in loaded.groups],
        greetings=[greeting.raw for greeting in loaded.greetings],
        phone_numbers=lines,
        settings_for=settings_for,
    )


def live_ivr_and_lookups(ivr_id: int) -> tuple[LiveIvr, Lookups]:
    """The live IVR and its lookups, read at once (the publish page and publishing).

    The settings of the numbers the IVR lists are read as soon as it arrives, while the
    lookups are still coming; a number only the lines say answers with it gets them after.
    Raises talk.errors.NotFound if the IVR is gone, another TalkError if Zendesk cannot answer.
    """

    def live() -> LiveIvr:
        found = fetch_live_ivr(ivr_id)
        # Its numbers' settings while the lookups are still coming (kept: read once).
        talk.get_client().number_settings(found.document.phone_number_ids)
        return found

    def lookups() -> AccountLookups:
        return talk.get_client().load_lookups("groups", "greetings", "lines")

    reads = in_parallel(live=live, lookups=lookups)
    found, loaded = reads["live"], reads["lookups"]
    lines = [line.raw for line in loaded.lines if "id" in line.raw]
    # The numbers answering with it as the lines say, too: kept settings cost no call.
    using = [*found.document.phone_number_ids]
    using += [line["id"] for line in lines if line.get("ivr_id") == ivr_id]
    return found, lookups_from(
        groups=[group.raw for group in loaded.groups],
        greetings=[greeting.raw for greeting in loaded.greetings],
        phone_numbers=lines,
        settings_for=using,
    )


def lookups_from(
    *,
    groups: list[dict[str, Any]],
    greetings: list[dict[str, Any]],
    phone_numbers: list[dict[str, Any]],
    settings_for: Iterable[int] = (),
    kept_only: bool = False,
) -> Lookups:
    """Lookups from Zendesk's lists, the phone numbers in `settings_for` with their settings
    (see talk's `number_settings`; `kept_only`: only those already kept, nothing is read)."""
    phones = {
        number["id"] for number in phone_numbers if number.get("line_type", "phone") == "phone"
    }
    wanted = [i for i in dict.fromkeys(settings_for) if i in phones]
    by_id = talk.get_client().number_settings(wanted, kept_only=kept_only) if wanted else {}
    numbers = [
        {**number, "settings": by_id[number["id"]]} if number["id"] in by_id else number
        for number in phone_numbers
    ]
    return Lookups.from_zendesk(groups=groups, greetings=greetings, phone_numbers=numbers)
