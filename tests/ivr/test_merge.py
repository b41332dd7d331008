"""The draft's changes laid over live Zendesk, and the conflicts between them (pure logic)."""

from dataclasses import replace

from ivr.engine.destinations import GoToMenu, QueueForGroups, Voicemail
from ivr.engine.document import new_menu_key
from ivr.engine.edit import add_menu, add_route, delete_menu, delete_route, rename_ivr, update_route
from ivr.engine.merge import find_conflicts, merge_draft
from tests.ivr.acme import BILLING, MAIN, SUPPORT, TIER_1, TIER_2, acme_ivr, acme_lookups

LOOKUPS = acme_lookups()


def test_the_drafts_changes_land_on_top_of_live_and_live_keeps_its_own():
    base = acme_ivr()
    draft = update_route(
        base, menu_key=BILLING, keypress="1", destination=QueueForGroups((TIER_2,))
    )
    live = update_route(base, menu_key=MAIN, keypress="2", destination=Voicemail((SUPPORT,)))

    merged = merge_draft(base=base, live=live, draft=draft)

    assert merged.find_menu(BILLING).route("1").destination == QueueForGroups((TIER_2,))
    assert merged.find_menu(MAIN).route("2").destination == Voicemail((SUPPORT,))
    assert find_conflicts(base=base, live=live, draft=draft, lookups=LOOKUPS) == ()


def test_a_new_menu_comes_whole_and_a_deleted_one_goes():
    base = acme_ivr()
    key = new_menu_key()
    draft = add_menu(base, name="Sales", key=key)
    draft = add_route(draft, menu_key=key, keypress="1", destination=QueueForGroups((TIER_1,)))
    draft = delete_route(draft, menu_key=MAIN, keypress="1")
    draft = delete_route(draft, menu_key=BILLING, keypress="9")
    draft = delete_menu(draft, menu_key=BILLING)
    live = rename_ivr(base, name="Acme care")

    merged = merge_draft(base=base, live=live, draft=draft)

    assert [menu.name for menu in merged.menus] == ["Main menu", "Sales"]
    assert merged.find_menu(key).route("1").destination == QueueForGroups((TIER_1,))
    assert merged.name == "Acme care"


def test_renaming_in_both_places_differently_is_a_conflict_and_the_draft_wins_the_merge():
    base = acme_ivr()
    draft = rename_ivr(base, name="Acme help line")
    live = rename_ivr(base, name="Acme care")

    (conflict,) = find_conflicts(base=base, live=live, draft=draft, lookups=LOOKUPS)

    assert conflict.subject == "The IVR's name"
    assert (conflict.when_started, conflict.in_zendesk, conflict.in_draft) == (
        "was 'Acme support'",
        "is 'Acme care'",
        "is 'Acme help line'",
    )
    assert merge_draft(base=base, live=live, draft=draft).name == "Acme help line"


def test_a_menu_the_draft_deletes_while_zendesk_adds_a_key_leading_to_it_is_a_conflict():
    base = acme_ivr()
    draft = delete_route(base, menu_key=MAIN, keypress="1")
    draft = delete_route(draft, menu_key=BILLING, keypress="9")
    draft = delete_menu(draft, menu_key=BILLING)
    live = add_route(base, menu_key=MAIN, keypress="7", destination=GoToMenu(BILLING))

    (conflict,) = find_conflicts(base=base, live=live, draft=draft, lookups=LOOKUPS)

    assert conflict.subject == "The menu 'Billing'"
    assert (
        conflict.in_zendesk == "is kept, and press 7 in menu 'Main menu' goes to the menu 'Billing'"
    )
    assert conflict.in_draft == "is deleted"


def test_a_menu_deleted_on_both_sides_is_no_conflict():
    base = acme_ivr()
    both = delete_route(base, menu_key=MAIN, keypress="1")
    both = delete_route(both, menu_key=BILLING, keypress="9")
    both = delete_menu(both, menu_key=BILLING)

    assert find_conflicts(base=base, live=both, draft=both, lookups=LOOKUPS) == ()
    assert merge_draft(base=base, live=both, draft=both) == both


def test_a_menus_greeting_changed_in_zendesk_and_its_name_in_the_draft_merge_field_by_field():
    base = acme_ivr()
    billing = base.find_menu(BILLING)
    draft = replace(base, menus=(base.menus[0], replace(billing, name="Payments")))
    live = replace(base, menus=(base.menus[0], replace(billing, greeting_id=None)))

    merged = merge_draft(base=base, live=live, draft=draft)

    assert (merged.find_menu(BILLING).name, merged.find_menu(BILLING).greeting_id) == (
        "Payments",
        None,
    )
    # Both touched the menu, and the results differ from each side: shown as one conflict.
    (conflict,) = find_conflicts(base=base, live=live, draft=draft, lookups=LOOKUPS)
    assert conflict.in_zendesk == "is called 'Billing' and plays no greeting"
    assert conflict.in_draft == "is called 'Payments' and plays the greeting 'Billing options'"
