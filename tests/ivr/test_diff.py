"""What differs between two versions of an IVR, as the publish service's conflict check sees it."""

from ivr.engine.destinations import QueueForGroups, Voicemail
from ivr.engine.diff import compare
from ivr.engine.edit import delete_menu, delete_route, rename_ivr, rename_menu, update_route
from tests.ivr.acme import BILLING, MAIN, SUPPORT, TIER_2, acme_ivr


def test_the_same_ivr_has_no_differences():
    changes = compare(acme_ivr(), acme_ivr())

    assert changes.count == 0
    assert changes.touched() == frozenset()


def test_each_changed_part_is_named():
    base = acme_ivr()
    changed = rename_ivr(base, name="Acme care")
    changed = rename_menu(changed, menu_key=BILLING, name="Payments")
    changed = update_route(changed, menu_key=MAIN, keypress="2", destination=Voicemail((SUPPORT,)))

    changes = compare(base, changed)

    assert changes.count == 3
    assert changes.touched() == {("ivr", "name"), ("menu", BILLING), ("route", MAIN, "2")}


def test_edits_to_different_keys_do_not_overlap():
    base = acme_ivr()
    ours = update_route(base, menu_key=MAIN, keypress="2", destination=QueueForGroups((TIER_2,)))
    theirs = update_route(base, menu_key=BILLING, keypress="1", destination=Voicemail((SUPPORT,)))

    assert compare(base, ours).touched().isdisjoint(compare(base, theirs).touched())


def test_deleting_a_menu_overlaps_with_an_edit_to_one_of_its_routes():
    base = acme_ivr()
    ours = update_route(base, menu_key=BILLING, keypress="2", destination=QueueForGroups((TIER_2,)))
    theirs = delete_menu(delete_route(base, menu_key=MAIN, keypress="1"), menu_key=BILLING)

    overlap = compare(base, ours).touched() & compare(base, theirs).touched()

    assert overlap == {("route", BILLING, "2")}


def test_route_ids_do_not_matter_only_what_each_key_does():
    base = acme_ivr()
    main = base.find_menu(MAIN)
    moved = update_route(base, menu_key=MAIN, keypress="2", new_keypress="5")
    moved_back = update_route(moved, menu_key=MAIN, keypress="5", new_keypress="2")

    assert compare(base, moved_back).count == 0
    assert [c.keypress for c in compare(base, moved).routes] == ["2", "5"]
    assert main.route("2").id == moved.find_menu(MAIN).route("5").id
