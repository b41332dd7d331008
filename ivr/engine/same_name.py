"""A menu added in Zendesk while a draft adds one of the same name: a change made meanwhile.

Publishing such a draft as it is would leave two menus of that name, which nobody asked for: so
`same_name_menus(base=, live=, draft=)` lists each menu added in Zendesk since the draft's base
whose name (ignoring case, as the editor's own rule) is that of a menu the draft adds, and the
admin chooses: keep both knowingly, or `take_over_menu`, which makes the draft's new menu the
one Zendesk has (its keys go into it; a key both have is the draft's; Zendesk's other keys stay).

Pure logic: no database, no network.
"""

from dataclasses import dataclass, replace

from ivr.engine.document import IvrDocument, Menu
from ivr.engine.edit import rekey_menu


@dataclass(frozen=True, slots=True)
class SameNameMenu:
    """The draft's new menu, and the menu of the same name added in Zendesk meanwhile."""

    draft_menu: Menu
    zendesk_menu: Menu

    @property
    def zendesk_menu_id(self) -> int:
        assert self.zendesk_menu.id is not None  # read from Zendesk: it has an id
        return self.zendesk_menu.id


def same_name_menus(
    *, base: IvrDocument, live: IvrDocument, draft: IvrDocument
) -> tuple[SameNameMenu, ...]:
    """Menus added in Zendesk since `base` named like a menu `draft` adds."""
    added_in_zendesk = [m for m in live.menus if base.find_menu(m.key) is None and m.id]
    found = []
    for menu in draft.menus:
        if base.find_menu(menu.key) is not None or live.find_menu(menu.key) is not None:
            continue  # not new in the draft
        for upstream in added_in_zendesk:
            if upstream.name.casefold() == menu.name.casefold():
                found.append(SameNameMenu(draft_menu=menu, zendesk_menu=upstream))
    return tuple(found)


def keep_both_token(found: tuple[SameNameMenu, ...]) -> str:
    """What "keep both" was said to: the Zendesk menus shown (another appearing needs asking)."""
    return ",".join(str(i) for i in sorted({same.zendesk_menu_id for same in found}))


def take_over_menu(draft: IvrDocument, *, draft_key: str, zendesk_menu: Menu) -> IvrDocument:
    """The draft with its new menu `draft_key` made Zendesk's `zendesk_menu`: the keys leading
    to it lead there, its routes go into it (a key both have is the draft's, Zendesk's other
    keys stay), its greeting too if it has one; the menu keeps the draft's name."""
    menu = draft.find_menu(draft_key)
    if menu is None or zendesk_menu.id is None:
        return draft
    taken = rekey_menu(draft, old_key=draft_key, new_key=zendesk_menu.key, menu_id=zendesk_menu.id)
    own_keys = {route.keypress for route in menu.routes}
    kept = tuple(route for route in zendesk_menu.routes if route.keypress not in own_keys)
    merged = replace(
        zendesk_menu,
        name=menu.name,
        greeting_id=menu.greeting_id if menu.greeting_id is not None else zendesk_menu.greeting_id,
        routes=(*kept, *(r for r in _menu_of(taken, zendesk_menu.key).routes)),
    )
    return replace(
        taken, menus=tuple(merged if m.key == zendesk_menu.key else m for m in taken.menus)
    )


def _menu_of(document: IvrDocument, key: str) -> Menu:
    menu = document.find_menu(key)
    assert menu is not None
    return menu
