"""Zendesk's nine fixed greeting categories, in the words of when a caller hears them.

The Greetings page groups them as an admin thinks of a call: IVR menus, voicemail, waiting for
an agent (available, wait, hold), callback, recording consent. The ids are Zendesk's (its
greeting categories list: 1 voicemail ... 9 call_recording_opt_in); they never change, so no
Talk API call is needed to name them.
"""

from __future__ import annotations

from dataclasses import dataclass

IVR_CATEGORY = 5


@dataclass(frozen=True, slots=True)
class Category:
    id: int
    label: str  # one greeting's kind: "Hold greeting"
    plays: str  # when a caller hears it


@dataclass(frozen=True, slots=True)
class CategoryGroup:
    key: str
    title: str
    intro: str
    category_ids: tuple[int, ...]


CATEGORIES: dict[int, Category] = {
    category.id: category
    for category in (
        Category(1, "Voicemail greeting", "when callers are asked to leave a message"),
        Category(2, "Available agents greeting", "while the call is put through to an agent"),
        Category(3, "Wait greeting", "while callers wait in the queue (often music)"),
        Category(4, "Hold greeting", "while an agent has put the caller on hold"),
        Category(5, "IVR menu greeting", "when a caller reaches an IVR menu that plays it"),
        Category(6, "Callback offer", "in the queue, offering to call the caller back"),
        Category(7, "Callback confirmation", "once a caller has asked to be called back"),
        Category(8, "Recording notice, opt out", "before a call that callers may opt out of"),
        Category(9, "Recording notice, opt in", "before a call that callers must agree to"),
    )
}

GROUPS: tuple[CategoryGroup, ...] = (
    CategoryGroup(
        "ivr",
        "IVR menus",
        "Played when a caller reaches an IVR menu: they tell callers which keys to press.",
        (5,),
    ),
    CategoryGroup(
        "voicemail", "Voicemail", "Played when callers are asked to leave a message.", (1,)
    ),
    CategoryGroup(
        "waiting",
        "Waiting for an agent",
        "Played while a call waits for an agent: as it is put through, in the queue, on hold.",
        (2, 3, 4),
    ),
    CategoryGroup(
        "callback",
        "Callback",
        "Offering to call callers back instead of keeping them waiting, and confirming it.",
        (6, 7),
    ),
    CategoryGroup(
        "consent",
        "Recording consent",
        "Telling callers the call is recorded, and how to opt out or agree.",
        (8, 9),
    ),
)
GROUP_OF_CATEGORY = {category: group for group in GROUPS for category in group.category_ids}


def category_label(category_id: int | None) -> str:
    """ "Hold greeting"; "Greeting" for a category Zendesk has added since."""
    category = CATEGORIES.get(category_id or 0)
    return category.label if category else "Greeting"


def category_words(category_id: int | None) -> str:
    """The kind inside a sentence: "hold greeting", "IVR menu greeting" (acronyms kept)."""
    label = category_label(category_id)
    return label[0].lower() + label[1:] if label[1:2].islower() else label


def category_choices() -> list[tuple[int, str]]:
    """(id, label) of every category, grouped as the page groups them."""
    return [
        (category_id, CATEGORIES[category_id].label)
        for group in GROUPS
        for category_id in group.category_ids
    ]
