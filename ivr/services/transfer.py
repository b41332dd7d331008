"""Export an IVR as a JSON document, and import one as the draft of a new or existing IVR.

The export is the IVR document (ivr.engine.document's stored form) with the names of the groups,
greetings and sending numbers it uses, so it can be read by a person and imported into another
account, where those are found by name (ivr.engine.references). An import never changes a live line:
it becomes a draft, reviewed and published like any other. Importing as a new IVR creates an
empty IVR in Zendesk first (answering no number), audited as an import.
"""

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

import audit
import mirror.services as mirror
import talk
from audit.actor import Actor
from audit.models import ChangeSet
from ivr.engine.document import DocumentError, IvrDocument
from ivr.engine.references import ExportNames, fit_to_ivr, map_references, referenced_ids
from ivr.engine.wording import quoted
from ivr.models import Draft, DraftSource
from ivr.services.drafts import replace_with_new_draft
from ivr.services.errors import ImportRefused
from ivr.services.lifecycle import checked_new_name
from ivr.services.live import LiveIvr, fetch_live_ivr, load_ivr_lookups
from ivr.services.lost_answers import ivr_made_without_answer
from ivr.services.summaries import number_name
from talk.errors import Unavailable

EXPORT_FORMAT = "talkadmin-ivr"
EXPORT_VERSION = 1
MAX_MENUS = 100  # far above any real IVR; refuses files that are not one


@dataclass(frozen=True)
class ImportResult:
    draft: Draft  # the imported IVR, as a draft to review and publish
    unmapped: list[str]  # a plain sentence per group, greeting or number left out
    change_set: ChangeSet  # the audit record of the import
    created: bool  # True when a new IVR was created in Zendesk for it


def export_ivr(*, ivr_id: int) -> dict[str, Any]:
    """The live IVR as a JSON document, with the names of the groups, greetings and numbers."""
    live = fetch_live_ivr(ivr_id)
    lookups = load_ivr_lookups()
    used = referenced_ids(live.document)
    groups = [lookups.groups[i] for i in used.group_ids if i in lookups.groups]
    greetings = [lookups.greetings[i] for i in used.greeting_ids if i in lookups.greetings]
    numbers = [lookups.phone_numbers[i] for i in used.number_ids if i in lookups.phone_numbers]
    return {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_VERSION,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "ivr": live.document.to_json(),
        "groups": [{"id": group.id, "name": group.name} for group in groups],
        "greetings": [{"id": greeting.id, "name": greeting.name} for greeting in greetings],
        "phone_numbers": [
            {"id": number.id, "name": number_name(number.id, lookups), "number": number.number}
            for number in numbers
        ],
    }


def import_ivr(
    *,
    data: Any,
    actor: Actor,
    into_ivr_id: int | None = None,
    name: str | None = None,
    reason: str = "",
    replace_draft: bool = False,
) -> ImportResult:
    """Import an exported IVR (or an IVR's JSON as Zendesk returns it) as a draft.

    Into an existing IVR (`into_ivr_id`): the document becomes that IVR's draft, keeping the
    IVR's name unless `name` is given (DraftExists if it has a draft with unpublished changes,
    unless `replace_draft`). Otherwise a new, empty IVR called `name` (default: the file's
    name) is created in Zendesk, and the document becomes its draft. Groups and greetings are
    matched by name, sending numbers by number; `unmapped` says what could not be. Raises
    ImportRefused for a file that is not an IVR, ValidationError on "name" for a name already
    taken, and talk.errors.TalkError when Zendesk fails.
    """
    document, names = read_export(data)
    # Matching by name must see the account as it is, not as it was up to a minute ago.
    talk.get_client().forget_lookups("groups", "greetings", "lines")
    lookups = load_ivr_lookups()
    mapped, unmapped = map_references(document, names=names, lookups=lookups)
    if into_ivr_id is not None:
        live = fetch_live_ivr(into_ivr_id)
        new_name = _name(name) or live.name
        if new_name.casefold() != live.name.casefold():
            new_name = checked_new_name(new_name)
        wanted = fit_to_ivr(mapped, live=live.document, name=new_name)
        draft = replace_with_new_draft(
            ivr_id=into_ivr_id,
            document=wanted,
            base=live.json,
            actor=actor,
            source=DraftSource.IMPORT,
            source_name=document.name,
            replace_draft=replace_draft,
        )
        change_set = audit.record_event(
            actor=actor,
            action=audit.Action.IMPORT_IVR,
            target_type=audit.TargetType.IVR,
            target_id=into_ivr_id,
            target_name=live.name,
            reason=reason,
            summary=(
                f"Imported {quoted(document.name)} from a file as a draft of the IVR "
                f"{quoted(live.name)}; nothing is live until the draft is published."
                + _unmapped_summary(unmapped)
            ),
        )
        created = False
    else:
        new_name = checked_new_name(_name(name) or document.name)
        with audit.change_set(
            actor=actor,
            action=audit.Action.IMPORT_IVR,
            target_type=audit.TargetType.IVR,
            target_id=None,
            target_name=new_name,
            reason=reason,
            reason_required=False,  # an empty IVR answers no number; publishing needs a reason
            summary=(
                f"Import {quoted(document.name)} from a file as a new IVR {quoted(new_name)}: "
                "Zendesk creates it empty, answering no phone number, and its menus wait in "
                "a draft to be reviewed and published." + _unmapped_summary(unmapped)
            ),
        ) as change:
            try:
                created_ivr = talk.get_client().create_ivr(name=new_name).raw
            except Unavailable as lost:  # made anyway? read again: never created twice
                created_ivr = ivr_made_without_answer(name=new_name, lost=lost, change=change)
            change.set_after(created_ivr)
            change.set_target(created_ivr["id"])  # so the new IVR's history begins here
        mirror.record_ivr(created_ivr)
        change_set = change.change_set
        live = LiveIvr(json=created_ivr, document=IvrDocument.from_zendesk(created_ivr))
        draft = replace_with_new_draft(
            ivr_id=live.id,
            document=fit_to_ivr(mapped, live=live.document, name=new_name),
            base=live.json,
            actor=actor,
            source=DraftSource.IMPORT,
            source_name=document.name,
            replace_draft=True,
        )
        created = True
    Draft.objects.filter(pk=draft.pk).update(source_change_set_id=change_set.pk)
    draft.source_change_set_id = change_set.pk
    return ImportResult(draft=draft, unmapped=unmapped, change_set=change_set, created=created)


def read_export(data: Any) -> tuple[IvrDocument, ExportNames | None]:
    """The IVR in an export (with its names), or in an IVR's JSON as Zendesk returns it."""
    if not isinstance(data, dict):
        raise ImportRefused("This file is not an IVR exported from TalkAdmin or from Zendesk.")
    try:
        if data.get("format") == EXPORT_FORMAT:
            if data.get("format_version") != EXPORT_VERSION:
                raise ImportRefused(
                    f"This IVR was exported in format version {data.get('format_version')}, "
                    f"and this TalkAdmin reads version {EXPORT_VERSION}."
                )
            document = IvrDocument.from_json(data.get("ivr"))
            names: ExportNames | None = _names(data)
        elif "ivr" in data or "menus" in data:
            document, names = IvrDocument.from_zendesk(data), None
        else:
            raise ImportRefused("This file is not an IVR exported from TalkAdmin or from Zendesk.")
    except DocumentError as error:
        raise ImportRefused(f"This file cannot be read as an IVR: {error}") from error
    if not document.menus:
        raise ImportRefused("The IVR in this file has no menus.")
    if len(document.menus) > MAX_MENUS:
        raise ImportRefused(f"The IVR in this file has more than {MAX_MENUS} menus.")
    return document, names


def _names(data: dict[str, Any]) -> ExportNames:
    def entries(key: str) -> list[dict[str, Any]]:
        value = data.get(key)
        return [e for e in value if isinstance(e, dict)] if isinstance(value, list) else []

    return ExportNames(
        groups={
            e["id"]: str(e["name"])
            for e in entries("groups")
            if isinstance(e.get("id"), int) and e.get("name")
        },
        greetings={
            e["id"]: str(e["name"])
            for e in entries("greetings")
            if isinstance(e.get("id"), int | str) and e.get("name")
        },
        numbers={
            e["id"]: str(e["number"])
            for e in entries("phone_numbers")
            if isinstance(e.get("id"), int) and e.get("number")
        },
        number_names={
            e["id"]: str(e["name"])
            for e in entries("phone_numbers")
            if isinstance(e.get("id"), int) and e.get("name")
        },
    )


def _name(name: str | None) -> str:
    return " ".join((name or "").split())


def _unmapped_summary(unmapped: list[str]) -> str:
    if not unmapped:
        return ""
    return " Not found in this account: " + " ".join(unmapped)
