"""Changes Zendesk made although its answer was lost: found by reading again, never sent twice.

A publish notes each create with the draft before sending it (ivr.services.operations); a create
still noted when the next publish (or preview) reads the IVR is one whose answer never came: a
5xx after applying, a timeout, a dropped connection, or a worker that died waiting.

    adoption = adoption_for(draft=draft, live=live)      # what the draft should use (pure read)
    draft = settle_lost_creates(draft=draft, live=live, actor=actor)   # ... and keep it, audited

The menu found is adopted: the draft uses it (its Zendesk id) instead of creating a second one;
a route found needs nothing more; the rest were never made and are sent again. Each settling is
one audit change set with no Talk API write (audit.record_event), naming what was found and the
change set whose call made it.

`ivr_made_without_answer` does the same for creating an IVR: the new IVR's name was checked
unique before sending, so an IVR of that name found afterwards is the one that call made.
"""

from typing import Any

from django.db import transaction
from django.utils import timezone

import audit
import talk
from audit.actor import Actor
from audit.recording import OpenChangeSet
from ivr.engine.adoption import Adoption, adopt_lost_creates
from ivr.engine.wording import quoted
from ivr.models import Draft
from ivr.services.live import LiveIvr
from talk.errors import TalkError, Unavailable


def adoption_for(*, draft: Draft, live: LiveIvr) -> Adoption | None:
    """The draft with what its noted creates made adopted, or None when none is noted."""
    creates = draft.sent_creates()
    if not creates:
        return None
    return adopt_lost_creates(
        document=draft.ivr_document(),
        base=draft.base_document(),
        live=live.document,
        live_menus=live.json.get("menus") or [],
        creates=creates,
    )


def settle_lost_creates(*, draft: Draft, live: LiveIvr, actor: Actor) -> Draft:
    """Settle the draft's noted creates against `live` (just read), keep the result with the
    draft and record it in the audit log; returns the draft as it now is."""
    adoption = adoption_for(draft=draft, live=live)
    if adoption is None or not adoption.settled:
        return draft
    with transaction.atomic():
        row = Draft.objects.select_for_update().filter(pk=draft.pk).first()
        if row is None:
            return draft
        row.document = adoption.document.to_json()
        row.unconfirmed_creates = []
        row.version += 1
        row.updated_at = timezone.now()
        row.save(update_fields=["document", "unconfirmed_creates", "version", "updated_at"])
    audit.record_event(
        actor=actor,
        action=audit.Action.SETTLE_LOST_ANSWERS,
        target_type=audit.TargetType.IVR,
        target_id=draft.ivr_id,
        target_name=live.name,
        summary=settled_summary(adoption, ivr_name=live.name),
        after=live.json,
        names={"menu": {m.id: m.name for m in adoption.document.menus if m.id is not None}},
    )
    return row


def settled_summary(adoption: Adoption, *, ivr_name: str) -> str:
    """What the read found of the creates whose answer was lost, in words for the audit log."""
    parts = []
    for adopted in adoption.adopted:
        made = (
            f"Zendesk's menu {adopted.menu_id}"
            if adopted.create.kind == "menu"
            else f"Zendesk's route {adopted.route_id}"
        )
        parts.append(
            f"Made, although Zendesk's answer was lost: {adopted.sentence}, found as {made}; "
            "TalkAdmin uses it and does not create it again."
        )
    for create in adoption.not_made:
        by = f" (sent by change #{create.change_set_id})" if create.change_set_id else ""
        parts.append(
            f"Not made: “{create.sentence.rstrip('.')}”{by} is not in Zendesk, so publishing "
            "sends it again."
        )
    return (
        f"Read the IVR {quoted(ivr_name)} again to settle changes whose answer Zendesk never "
        "gave. " + " ".join(parts)
    )


def ivr_made_without_answer(
    *, name: str, lost: Unavailable, change: OpenChangeSet
) -> dict[str, Any]:
    """The IVR `name` a create whose answer was lost made, read back; else raise `lost`.

    Inside the create's change set: the list call lands in its ledger, the create counts as a
    write that went through, and the summary says how it was found."""
    try:
        ivrs = talk.get_client().list_ivrs()
    except TalkError:
        raise lost from None
    found = [ivr.raw for ivr in ivrs if ivr.name == name and isinstance(ivr.raw.get("id"), int)]
    if not found:
        raise lost
    made = max(found, key=lambda ivr: ivr["id"])
    change.confirm_write()
    change.set_summary(
        f"Created the IVR {quoted(name)}. Zendesk's answer was lost, so TalkAdmin read the IVRs "
        f"again and found it made (Zendesk's IVR {made['id']}); it was not created twice."
    )
    return made
