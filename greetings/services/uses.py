"""Where a greeting is played: IVR menus, phone numbers' greeting settings, and drafts.

Zendesk says which IVRs and numbers play a greeting (its `ivr_ids` and `phone_number_ids`); the
IVRs' menus and the numbers' `categorised_greetings` say where and as what. TalkAdmin's own
drafts are not Zendesk's: the IVR app registers a finder for them (`register_draft_uses`), so
this package needs to know nothing of IVR drafts, and a greeting a draft plays is never deleted
from under it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from greetings.services.categories import category_words
from talk.resources import Greeting, GreetingId, Ivr, PhoneNumber


class UseKind(StrEnum):
    MENU = "menu"  # a live IVR menu plays it
    NUMBER = "number"  # a phone number's greeting setting chooses it
    DEFAULT = "default"  # a phone number plays it as Zendesk's default for its category
    DRAFT = "draft"  # an unpublished draft's menu would play it


@dataclass(frozen=True, slots=True)
class Use:
    kind: UseKind
    words: str  # "Menu 'Main menu' of the IVR 'Main support line'"
    ivr_id: int | None = None  # the IVR page to link to
    number_id: int | None = None  # the number page to link to


DraftUses = Callable[[], Mapping[GreetingId, Sequence[Use]]]
_draft_finders: list[DraftUses] = []


def register_draft_uses(finder: DraftUses) -> None:
    """Let an app say which greetings its unpublished work would play (called at ready())."""
    if finder not in _draft_finders:
        _draft_finders.append(finder)


def draft_uses() -> dict[GreetingId, list[Use]]:
    found: dict[GreetingId, list[Use]] = defaultdict(list)
    for finder in _draft_finders:
        for greeting_id, uses in finder().items():
            found[greeting_id].extend(uses)
    return found


def number_words(number: PhoneNumber) -> str:
    """ "'US Main Support' (+1 415-555-0100)", or the number alone without a nickname."""
    shown = number.display_number or number.number or ""
    if number.nickname and number.nickname != shown:
        return f"'{number.nickname}' ({shown})" if shown else f"'{number.nickname}'"
    return shown or f"'{number.label}'"


def uses_by_greeting(
    *,
    greetings: Iterable[Greeting],
    ivrs: Iterable[Ivr],
    numbers: Iterable[PhoneNumber],
    with_drafts: bool = True,
) -> dict[GreetingId, tuple[Use, ...]]:
    """Every greeting's uses, in the order the page lists them: menus, numbers, drafts."""
    greetings = list(greetings)
    ivrs = list(ivrs)
    numbers_by_id = {number.id: number for number in numbers if number.id is not None}
    found: dict[GreetingId, list[Use]] = defaultdict(list)
    ivrs_playing: dict[GreetingId, set[int]] = defaultdict(set)
    for ivr in ivrs:
        for menu in ivr.menus:
            if menu.greeting_id is None:
                continue
            found[menu.greeting_id].append(
                Use(
                    UseKind.MENU,
                    f"Menu '{menu.name}' of the IVR '{ivr.name}'",
                    ivr_id=ivr.id,
                )
            )
            if ivr.id is not None:
                ivrs_playing[menu.greeting_id].add(ivr.id)
    chosen_by: dict[GreetingId, set[int]] = defaultdict(set)
    for number in numbers_by_id.values():
        for category, greeting_id in sorted(number.categorised_greetings.items()):
            if greeting_id is None or number.id is None:
                continue
            kind = category_words(int(category) if str(category).isdigit() else None)
            found[greeting_id].append(
                Use(
                    UseKind.NUMBER,
                    f"The number {number_words(number)}, as its {kind}",
                    number_id=number.id,
                )
            )
            chosen_by[greeting_id].add(number.id)
    for greeting in greetings:
        if greeting.id is None:
            continue
        # Numbers that play it through their IVR are told by the menu's use.
        through_ivr = ivrs_playing[greeting.id] | set(greeting.ivr_ids)
        for number_id in greeting.phone_number_ids:
            player = numbers_by_id.get(number_id)
            if player is None or number_id in chosen_by[greeting.id]:
                continue
            if player.ivr_id is not None and player.ivr_id in through_ivr:
                continue
            kind = UseKind.DEFAULT if greeting.default else UseKind.NUMBER
            words = f"The number {number_words(player)}"
            words += ", as Zendesk's default" if greeting.default else ""
            found[greeting.id].append(Use(kind, words, number_id=number_id))
    if with_drafts:
        for greeting_id, uses in draft_uses().items():
            found[greeting_id].extend(uses)
    return {greeting_id: tuple(uses) for greeting_id, uses in found.items()}
