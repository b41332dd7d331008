"""Creating and deleting IVRs, and choosing which phone numbers answer with one.

Each is one Talk API write in one audit change set with the admin's reason. Bad input is
refused before anything is sent, as a ValidationError keyed by the form field ("name",
"confirm_name", "phone_number_ids"); Zendesk's refusals and outages raise talk.errors.TalkError
after the change set has recorded them.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError

import audit
import mirror.services as mirror
import talk
from audit.actor import Actor
from audit.models import ChangeSet
from audit.recording import ReasonRequired
from ivr.engine.lookups import Lookups
from ivr.engine.wording import names_list, quoted
from ivr.models import Draft
from ivr.services.errors import NumbersTaken
from ivr.services.live import fetch_live_ivr, load_ivr_lookups
from ivr.services.lost_answers import ivr_made_without_answer
from ivr.services.summaries import number_name
from talk.errors import Unavailable

# Zendesk's limit for an IVR's name (and a menu's): its answer to a longer one is "is too long
# (maximum is 255 characters)". The one limit every IVR and menu name form checks.
MAX_NAME_LENGTH = 255
NAME_TOO_LONG = "Use at most {limit} characters, Zendesk's limit (this has {length})."


def create_ivr(*, name: str, actor: Actor, reason: str) -> int:
    """Create an IVR in Zendesk (with the one empty menu Zendesk gives it); returns its id.

    No phone number answers with it until assign_ivr; its menus are built in a draft.
    """
    _require(reason)
    name = checked_new_name(name)
    with audit.change_set(
        actor=actor,
        action=audit.Action.CREATE_IVR,
        target_type=audit.TargetType.IVR,
        target_id=None,
        target_name=name,
        reason=reason,
        summary=(
            f"Create the IVR {quoted(name)}. Zendesk gives it one empty menu; it answers no "
            "phone number until numbers are assigned to it."
        ),
    ) as change:
        try:
            created = talk.get_client().create_ivr(name=name).raw
        except Unavailable as lost:  # made anyway? read again: a create is never sent twice
            created = ivr_made_without_answer(name=name, lost=lost, change=change)
        change.set_after(created)
        change.set_target(created["id"])  # so the new IVR's history begins here
    mirror.record_ivr(created)
    return int(created["id"])


def delete_ivr(*, ivr_id: int, actor: Actor, reason: str, confirm_name: str) -> ChangeSet:
    """Delete an IVR from Zendesk, once the admin has typed its name to confirm.

    The numbers that answered with it answer without an IVR afterwards; the change set names
    them. Its draft, if any, goes with it.
    """
    _require(reason)
    live = fetch_live_ivr(ivr_id)
    if " ".join((confirm_name or "").split()) != live.name:
        raise ValidationError(
            {
                "confirm_name": [
                    f"Type the IVR's name, {quoted(live.name)}, exactly as shown to confirm "
                    "that it should be deleted."
                ]
            }
        )
    client = talk.get_client()
    client.forget_lookups("lines")  # which IVR each number answers with, as it is now
    lookups = load_ivr_lookups()
    numbers = [n.id for n in lookups.numbers_using(live.document)]
    labels = [quoted(number_name(i, lookups) or f"#{i}") for i in numbers]
    if labels:
        losing = f" These numbers lose it and answer without an IVR: {names_list(labels)}."
    else:
        losing = " No phone number answers with it."
    draft = Draft.objects.filter(ivr_id=ivr_id).first()
    unpublished = " Its unpublished draft is discarded too." if draft is not None else ""
    count = len(live.document.menus)
    with audit.change_set(
        actor=actor,
        action=audit.Action.DELETE_IVR,
        target_type=audit.TargetType.IVR,
        target_id=ivr_id,
        target_name=live.name,
        reason=reason,
        summary=(
            f"Delete the IVR {quoted(live.name)} with its {count} menu{'s' if count != 1 else ''}."
            f"{losing}{unpublished}"
        ),
        before=live.json,
        names={"phone_number": _number_names(numbers, lookups)},
    ) as change:
        client.delete_ivr(ivr_id)
    mirror.forget(mirror.IVRS, ivr_id)
    mirror.record_numbers_answering(ivr_id, ())  # they answer with no IVR now
    Draft.objects.filter(ivr_id=ivr_id).delete()
    client.forget_lookups("lines")  # the numbers' ivr_id changed
    return change.change_set


def assign_ivr(
    *,
    ivr_id: int,
    phone_number_ids: Iterable[int],
    actor: Actor,
    reason: str,
    move_taken: bool = False,
) -> ChangeSet | None:
    """Make exactly these phone numbers answer with the IVR (an empty list: none).

    One call sets the IVR's `phone_number_ids`; a number taken from another IVR stops
    answering with that one (a number answers with one IVR at most), and the change set says
    so, but only with `move_taken`: otherwise NumbersTaken names them and nothing is sent.
    Returns None, sending nothing, when the numbers are already exactly these.
    """
    _require(reason)
    wanted = list(dict.fromkeys(int(number_id) for number_id in phone_number_ids))
    live = fetch_live_ivr(ivr_id)
    client = talk.get_client()
    client.forget_lookups("lines")  # which IVR each number answers with, as it is now
    lookups = load_ivr_lookups()
    _check_numbers(wanted, lookups)
    current = [n.id for n in lookups.numbers_using(live.document)]
    if set(wanted) == set(current):
        return None
    added = [i for i in wanted if i not in current]
    removed = [i for i in current if i not in wanted]
    other_ivrs = _other_ivr_names(added, ivr_id, lookups)
    taken = [i for i in added if lookups.phone_numbers[i].ivr_id not in (None, ivr_id)]
    if taken and not move_taken:
        raise NumbersTaken(
            [
                (
                    lookups.phone_numbers[i],
                    other_ivrs.get(lookups.phone_numbers[i].ivr_id or 0, "another IVR"),
                )
                for i in taken
            ]
        )
    parts = []
    for number_id in added:
        label = quoted(number_name(number_id, lookups) or f"#{number_id}")
        previous = other_ivrs.get(lookups.phone_numbers[number_id].ivr_id or 0)
        instead = f" instead of the IVR {quoted(previous)}" if previous else ""
        parts.append(f"{label} now answers with it{instead}")
    for number_id in removed:
        label = quoted(number_name(number_id, lookups) or f"#{number_id}")
        parts.append(f"{label} no longer does, and answers without an IVR")
    with audit.change_set(
        actor=actor,
        action=audit.Action.ASSIGN_IVR,
        target_type=audit.TargetType.IVR,
        target_id=ivr_id,
        target_name=live.name,
        reason=reason,
        summary=(
            f"Change which phone numbers answer with the IVR {quoted(live.name)}: "
            + "; ".join(parts)
            + "."
        ),
        before=live.json,
        names={
            "phone_number": _number_names([*current, *added], lookups),
            "ivr": {str(k): v for k, v in other_ivrs.items()},
        },
    ) as change:
        updated = client.update_ivr(ivr_id, phone_number_ids=wanted)
        change.set_after(updated.raw)
    mirror.record_ivr(updated.raw)
    mirror.record_numbers_answering(ivr_id, updated.phone_number_ids)
    client.forget_lookups("lines")
    return change.change_set


def checked_new_name(name: str) -> str:
    """A name for a new IVR: not blank, not too long, not another IVR's name."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": ["Give the IVR a name your team will recognise."]})
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(
            {"name": [NAME_TOO_LONG.format(limit=MAX_NAME_LENGTH, length=len(name))]}
        )
    for ivr in talk.get_client().list_ivrs():
        if (ivr.name or "").casefold() == name.casefold():
            raise ValidationError(
                {
                    "name": [
                        f"There is already an IVR called {quoted(ivr.name or name)}. "
                        "Choose another name, so nobody mixes the two up."
                    ]
                }
            )
    return name


def _require(reason: str) -> None:
    if not (reason or "").strip():
        raise ReasonRequired()


def _check_numbers(wanted: list[int], lookups: Lookups) -> None:
    for number_id in wanted:
        number = lookups.phone_numbers.get(number_id)
        if number is None:
            raise ValidationError(
                {
                    "phone_number_ids": [
                        "One of the chosen numbers is no longer in Zendesk. "
                        "Reload the page and choose again."
                    ]
                }
            )
        if number.line_type == "digital":
            raise ValidationError(
                {
                    "phone_number_ids": [
                        f"{number.label} is a digital line, and Zendesk cannot play an IVR on "
                        "digital lines."
                    ]
                }
            )


def _other_ivr_names(added: list[int], ivr_id: int, lookups: Lookups) -> dict[int, str]:
    others = {
        lookups.phone_numbers[i].ivr_id
        for i in added
        if lookups.phone_numbers[i].ivr_id not in (None, ivr_id)
    }
    if not others:
        return {}
    return {
        int(ivr.raw["id"]): ivr.name or ""
        for ivr in talk.get_client().list_ivrs()
        if ivr.raw.get("id") in others
    }


def _number_names(number_ids: list[int], lookups: Lookups) -> dict[int, str]:
    return {i: name for i in number_ids if (name := number_name(i, lookups))}
