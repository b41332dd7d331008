"""What a publish says: to the admin on the page, and to auditors in the change set."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from core import phone
from ivr.engine.destinations import QueueForGroups, TextBack, Voicemail
from ivr.engine.document import IvrDocument
from ivr.engine.lint.findings import Finding
from ivr.engine.lookups import Lookups
from ivr.engine.merge import Conflict
from ivr.engine.plan import Operation
from ivr.engine.same_name import SameNameMenu
from ivr.engine.wording import names_list, quoted
from ivr.services.draft_edits import AuthorShare, shares_sentence
from ivr.services.operations import PublishRun
from talk.client import RateRoom
from talk.errors import Invalid, NotFound, RateLimited, TalkError, Unavailable


@dataclass(frozen=True)
class Origin:
    """Where a draft began when not from the live IVR: the version after change #N (a revert)
    or before it (an undo); `exact` when what is published equals that version."""

    change_set_id: int
    undo: bool
    exact: bool

    @property
    def version(self) -> str:
        when = "before" if self.undo else "after"
        return f"the version {when} change #{self.change_set_id}"


def changes(count: int) -> str:
    return f"{count} change{'s' if count != 1 else ''}"


def sentences(operations: Sequence[Operation]) -> str:
    return " ".join(operation.sentence for operation in operations)


# --- For the admin ------------------------------------------------------------------------------


def conflict_message(conflicts: Sequence[Conflict]) -> str:
    places = "one place" if len(conflicts) == 1 else f"{len(conflicts)} places"
    return (
        "Nothing was published. Since your draft was started, this IVR was changed in Zendesk "
        f"in {places} that your draft changes too. Compare both versions, then either keep "
        "your changes on top of Zendesk's (and review the draft again), or publish your "
        "version over Zendesk's."
    )


def changed_again_message(conflicts: Sequence[Conflict]) -> str:
    """An overwrite refused: Zendesk changed a conflicting part after the admin saw it."""
    parts = "this part" if len(conflicts) == 1 else "these parts"
    return (
        "Nothing was published: Zendesk changed the IVR again after you chose to publish your "
        f"version over Zendesk's, so TalkAdmin did not overwrite what you had not seen. "
        f"Compare {parts} as Zendesk has {'it' if len(conflicts) == 1 else 'them'} now, "
        "then choose again."
    )


def same_name_message(found: Sequence[SameNameMenu]) -> str:
    names = names_list(sorted({quoted(same.draft_menu.name) for same in found}))
    menus = "a menu" if len(found) == 1 else "menus"
    return (
        f"Nothing was published: since your draft began, {menus} called {names} "
        f"{'was' if len(found) == 1 else 'were'} added in Zendesk, and your draft adds "
        f"{'one' if len(found) == 1 else 'some'} of the same name. Choose below: use the menu "
        "already in Zendesk (your keys go into it), or keep both."
    )


def blocked_message(findings: Sequence[Finding], plan_error: str) -> str:
    if plan_error:
        return f"Nothing was published: {plan_error} Change the draft, then publish again."
    errors = [finding for finding in findings if finding.blocks_publishing]
    problems = "a problem" if len(errors) == 1 else f"{len(errors)} problems"
    return (
        f"Nothing was published: the IVR would have {problems} that strand or lose callers. "
        f"Fix {'it' if len(errors) == 1 else 'them'} in the draft first: "
        + " ".join(f"{finding.message} {finding.fix}" for finding in errors[:3])
        + (" …" if len(errors) > 3 else "")
    )


def nothing_message() -> str:
    return (
        "Nothing to publish: Zendesk already holds everything in this draft, "
        "so the draft was closed."
    )


def applied_message(
    run: PublishRun,
    ivr_name: str,
    *,
    shares: Sequence[AuthorShare] = (),
    reader_id: int | None = None,
    origin: Origin | None = None,
) -> str:
    """ "Published: the IVR 'Main' now has the draft's 3 changes: your 1 change and Eddie
    Editor's 2." (who made which, when more than one admin changed the draft)."""
    count = changes(len(run.applied))
    if origin is not None and origin.exact and origin.undo:
        lead = f"Undone: change #{origin.change_set_id} is undone; the IVR {quoted(ivr_name)} "
        lead += f"is as it was before it ({count})."
    elif origin is not None and origin.exact:
        lead = f"Reverted: the IVR {quoted(ivr_name)} is as it was after change "
        lead += f"#{origin.change_set_id} ({count})."
    elif len(shares) > 1 or (shares and shares[0].user_id != reader_id):
        lead = f"Published: the IVR {quoted(ivr_name)} now has the draft's {count}"
        lead += f" ({shares_sentence(shares, reader_id=reader_id)})."
    else:
        lead = f"Published: the IVR {quoted(ivr_name)} now has your {count}."
    return lead


def failure_message(run: PublishRun) -> str:
    """What was made, what was not, why it stopped, and what to do, in plain words."""
    total = len(run.plan.operations)
    made = run.applied
    if made:
        lead = f"Only {len(made)} of the {changes(total)} were published before Zendesk stopped."
        lead += f" Made: {sentences(made)}"
    else:
        lead = f"Nothing was published: Zendesk did not take the first of the {changes(total)}."
    remaining = run.remaining
    not_made = f" Not made yet: {sentences(remaining)}" if remaining else ""
    return (
        f"{lead}{not_made} {_cause(run)} Your draft is kept with everything still to do. "
        f"Publish it again {_when(run.error)}: TalkAdmin compares it with Zendesk again and "
        "sends only what is missing."
    )


def _cause(run: PublishRun) -> str:
    error, failed = run.error, run.failed
    change = f"“{failed.sentence.rstrip('.')}”" if failed is not None else "the last change"
    if run.found_made:
        return f"Zendesk did not confirm {change} in time, but TalkAdmin checked: it was made."
    if isinstance(error, RateLimited):
        return (
            "Zendesk asked TalkAdmin to slow down: your account is receiving too many requests "
            "right now (Zendesk's own pages count too)."
        )
    if isinstance(error, Unavailable):
        if error.may_have_applied:
            return f"Zendesk did not confirm {change} in time, so it may or may not be made."
        return f"Zendesk did not answer when TalkAdmin sent {change}."
    if isinstance(error, Invalid):
        reasons = "; ".join(
            f"{label}: {message}" if label else message for label, message in error.field_messages()
        )
        return f"Zendesk did not accept {change}" + (f" ({reasons})." if reasons else ".")
    if isinstance(error, NotFound):
        return (
            f"Zendesk no longer has what {change} needs: someone may have deleted it in "
            "Zendesk's Admin Center meanwhile."
        )
    if isinstance(error, TalkError):
        return error.user_message
    return ""


def _when(error: TalkError | None) -> str:
    if isinstance(error, RateLimited) and error.retry_after:
        return f"in {max(1, round(error.retry_after))} seconds"
    if isinstance(error, Unavailable | RateLimited):
        return "in a minute"
    return "once the draft is fixed" if isinstance(error, Invalid | NotFound) else "later"


# --- For the audit log --------------------------------------------------------------------------


def intent_summary(
    *, operations: Sequence[Operation], ivr_name: str, origin: Origin | None = None
) -> str:
    count = changes(len(operations))
    if origin is not None and origin.exact and origin.undo:
        return (
            f"Undo {count} to the IVR {quoted(ivr_name)} (an undo of change "
            f"#{origin.change_set_id}): {sentences(operations)}"
        )
    if origin is not None and origin.exact:
        return (
            f"Revert the IVR {quoted(ivr_name)} to how it was after change "
            f"#{origin.change_set_id} ({count}): {sentences(operations)}"
        )
    started = f", started from {origin.version}" if origin is not None else ""
    return f"Publish {count} to the IVR {quoted(ivr_name)}{started}: {sentences(operations)}"


def outcome_summary(run: PublishRun, *, ivr_name: str, origin: Origin | None = None) -> str:
    total = len(run.plan.operations)
    if origin is not None and origin.exact and origin.undo:
        what, to = "Undid", f" (an undo of change #{origin.change_set_id})"
    elif origin is not None and origin.exact:
        what, to = "Reverted", f" (back to how it was after change #{origin.change_set_id})"
    else:
        what = "Published"
        to = f" (started from {origin.version})" if origin is not None else ""
    if run.error is None:
        made = sentences(run.applied)
        return f"{what} {changes(total)} to the IVR {quoted(ivr_name)}{to}: {made}"
    made = f" Made: {sentences(run.applied)}" if run.applied else ""
    if run.found_made and run.failed is not None:
        made += (
            f" (Zendesk's answer to “{run.failed.sentence.rstrip('.')}” was lost; TalkAdmin "
            "read the IVR again and found it made.)"
        )
    not_made = f" Not made: {sentences(run.remaining)}" if run.remaining else ""
    return (
        f"{what} {len(run.applied)} of {changes(total)} to the IVR {quoted(ivr_name)}{to} "
        f"before Zendesk stopped.{made}{not_made}"
    )


def warnings_sentence(findings: Sequence[Finding]) -> str:
    """For the change set: " Published with 2 warnings: … ." ("" without warnings)."""
    warnings = [finding for finding in findings if not finding.blocks_publishing]
    if not warnings:
        return ""
    count = f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}"
    return f" Published with {count}: " + " ".join(w.message for w in warnings)


def authors_sentence(shares: Sequence[AuthorShare]) -> str:
    """For the change set: "Draft changes by Alice Admin (1) and Eddie Editor (2)."."""
    if not shares:
        return ""
    names = names_list([f"{share.name} ({share.changes})" for share in shares])
    return f" Draft changes by {names}."


def kept_both_sentence(found: Sequence[SameNameMenu]) -> str:
    """For the change set: the admin chose to keep two menus of the same name."""
    if not found:
        return ""
    kept = "; ".join(
        f"{quoted(same.zendesk_menu.name)} added in Zendesk meanwhile (Zendesk's menu "
        f"{same.zendesk_menu_id}) and this draft's own {quoted(same.draft_menu.name)}"
        for same in found
    )
    return f" Both menus of the same name kept, as the admin chose: {kept}."


def names_for(documents: Sequence[IvrDocument], lookups: Lookups) -> dict[str, dict[int, str]]:
    """Names of what these versions of the IVR refer to, as they are now, for the audit log."""
    names: dict[str, dict[Any, str]] = {"group": {}, "greeting": {}, "phone_number": {}, "menu": {}}
    for document in documents:
        for number_id in document.phone_number_ids:
            _number_name(names, number_id, lookups)
        for menu in document.menus:
            if menu.id is not None:
                names["menu"][menu.id] = menu.name
            greeting = lookups.greetings.get(menu.greeting_id) if menu.greeting_id else None
            if greeting is not None:
                names["greeting"][greeting.id] = greeting.name
            for route in menu.routes:
                destination = route.destination
                if isinstance(destination, QueueForGroups | Voicemail):
                    for group_id in destination.group_ids:
                        group = lookups.groups.get(group_id)
                        if group is not None:
                            names["group"][group_id] = group.name
                elif isinstance(destination, TextBack) and destination.sending_number_id:
                    _number_name(names, destination.sending_number_id, lookups)
    return {kind: entries for kind, entries in names.items() if entries}


def number_name(number_id: int, lookups: Lookups) -> str | None:
    """A phone number as the audit log names it: "US Main Support (+1 (415) 555-0134)"."""
    number = lookups.phone_numbers.get(number_id)
    if number is None:
        return None
    # Unquoted: the audit log quotes the names it shows.
    return phone.full_label(
        nickname=number.name,
        number=number.number,
        display_number=number.display_number,
        quote=False,
    )


def _number_name(names: dict[str, Any], number_id: int, lookups: Lookups) -> None:
    name = number_name(number_id, lookups)
    if name:
        names["phone_number"][number_id] = name


def over_budget_message(room: RateRoom, *, changes: int) -> str:
    """A publish refused before sending anything: the rate budget cannot take it now.

    `room.needed` is every call the publish holds (its `changes`, plus room for a re-read and
    the retries a failure may need), so that it never stops half-way for lack of budget.
    """
    needs = f"{changes} {'change' if changes == 1 else 'changes'}"
    if room.needed > changes:
        needs += f" ({room.needed} calls to Zendesk, with room to check and retry)"
    if math.isinf(room.wait_seconds):
        return (
            f"This publish needs {needs}, more than the {room.limit} calls Zendesk "
            "allows in a minute, so it could stop half-way. Publish it in smaller parts: "
            "undo some of the draft's changes, publish, then make them again — nothing was "
            "changed."
        )
    seconds = max(1, math.ceil(room.wait_seconds))
    return (
        f"Zendesk allows {room.available} more {'call' if room.available == 1 else 'calls'} "
        f"this minute; this publish needs {needs}. "
        f"Wait {seconds} second{'' if seconds == 1 else 's'} and publish again — nothing was "
        "changed."
    )
