"""The editor's use cases: one named change to an IVR's shared draft each.

Each takes the draft as the admin's page loaded it and `expected_version`, the version that
page showed; it changes the draft under its row lock (ivr.services.drafts.edit_draft) and
returns the saved draft. Refusals: StaleDraft, DraftBusy, DraftGone (ivr.services.errors)
when the draft moved on, and ivr.engine.edit.EditError, naming the field, when the change
itself cannot be made (a key already taken, a menu name used twice, a menu still led to).
Nothing reaches Zendesk: the draft is published later, as a whole.
"""

from functools import partial

from audit.actor import Actor
from ivr.engine import edit
from ivr.engine.destinations import Destination, GoToMenu
from ivr.engine.document import IvrDocument
from ivr.models import Draft
from ivr.services.drafts import edit_draft


def draft_rename_ivr(*, draft: Draft, name: str, actor: Actor, expected_version: int) -> Draft:
    return edit_draft(
        draft=draft,
        edit=partial(edit.rename_ivr, name=name),
        actor=actor,
        expected_version=expected_version,
    )


def draft_add_menu(
    *,
    draft: Draft,
    menu_key: str,
    name: str,
    greeting_id: int | str | None,
    actor: Actor,
    expected_version: int,
) -> Draft:
    """A new menu at the end of the draft, known afterwards by `menu_key` (new_menu_key())."""
    return edit_draft(
        draft=draft,
        edit=partial(edit.add_menu, name=name, greeting_id=greeting_id, key=menu_key),
        actor=actor,
        expected_version=expected_version,
    )


def draft_change_menu(
    *,
    draft: Draft,
    menu_key: str,
    name: str,
    greeting_id: int | str | None,
    actor: Actor,
    expected_version: int,
) -> Draft:
    """A menu's name and greeting, as the menu form holds them (its greeting as it is, even a
    built-in one, stays when only the name changes)."""

    def change(document: IvrDocument) -> IvrDocument:
        renamed = edit.rename_menu(document, menu_key=menu_key, name=name)
        return edit.set_menu_greeting(renamed, menu_key=menu_key, greeting_id=greeting_id)

    return edit_draft(draft=draft, edit=change, actor=actor, expected_version=expected_version)


def draft_delete_menu(*, draft: Draft, menu_key: str, actor: Actor, expected_version: int) -> Draft:
    return edit_draft(
        draft=draft,
        edit=partial(edit.delete_menu, menu_key=menu_key),
        actor=actor,
        expected_version=expected_version,
    )


def draft_add_route(
    *,
    draft: Draft,
    menu_key: str,
    keypress: str,
    destination: Destination,
    actor: Actor,
    expected_version: int,
) -> Draft:
    return edit_draft(
        draft=draft,
        edit=partial(edit.add_route, menu_key=menu_key, keypress=keypress, destination=destination),
        actor=actor,
        expected_version=expected_version,
    )


def draft_change_route(
    *,
    draft: Draft,
    menu_key: str,
    keypress: str,
    new_keypress: str,
    destination: Destination | None,
    actor: Actor,
    expected_version: int,
) -> Draft:
    """A route's key and where it sends the caller (None: as it does now, e.g. an action
    TalkAdmin cannot edit, kept with its options while only the key changes)."""
    return edit_draft(
        draft=draft,
        edit=partial(
            edit.update_route,
            menu_key=menu_key,
            keypress=keypress,
            new_keypress=new_keypress,
            destination=destination,
        ),
        actor=actor,
        expected_version=expected_version,
    )


def draft_delete_route(
    *, draft: Draft, menu_key: str, keypress: str, actor: Actor, expected_version: int
) -> Draft:
    return edit_draft(
        draft=draft,
        edit=partial(edit.delete_route, menu_key=menu_key, keypress=keypress),
        actor=actor,
        expected_version=expected_version,
    )


def draft_route_to_new_menu(
    *,
    draft: Draft,
    menu_key: str,
    keypress: str,
    new_keypress: str | None,
    new_menu_key: str,
    name: str,
    greeting_id: int | None,
    actor: Actor,
    expected_version: int,
) -> Draft:
    """A key that leads to a new menu, made with it as one change of the draft: the menu
    (known afterwards by `new_menu_key`) and the key's route. `new_keypress` None: the key is
    added; else the route of `keypress` changes (and may move to `new_keypress`)."""

    def change(document: IvrDocument) -> IvrDocument:
        made = edit.add_menu(document, name=name, greeting_id=greeting_id, key=new_menu_key)
        destination = GoToMenu(new_menu_key)
        if new_keypress is None:
            return edit.add_route(
                made, menu_key=menu_key, keypress=keypress, destination=destination
            )
        return edit.update_route(
            made,
            menu_key=menu_key,
            keypress=keypress,
            new_keypress=new_keypress,
            destination=destination,
        )

    return edit_draft(draft=draft, edit=change, actor=actor, expected_version=expected_version)
