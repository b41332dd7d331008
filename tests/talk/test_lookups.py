"""Lookups that turn ids into names: what they hold, how they page, and how they are cached."""

import pytest

from talk.errors import Unavailable
from tests.talk.recorder import change_set


def test_groups_are_listed_by_following_the_cursor(sandbox):
    for number in range(150):
        sandbox.state.add_group(f"Regional team {number:03}")
    groups = sandbox.client.list_groups()
    assert len(groups) == 160
    assert len({group.id for group in groups}) == 160
    deleted = [group.name for group in groups if group.deleted]
    assert deleted == ["Legacy Escalations"]
    pages = sandbox.requests_to("GET", "/api/v2/groups")
    assert [request.query.get("page[after]") is None for request in pages] == [True, False]


def test_greetings_mix_built_in_and_custom_ids(sandbox):
    greetings = sandbox.client.list_greetings()
    built_in = {g.id for g in greetings if not g.is_custom}
    assert {"voicemail_en", "ivr_none", "call-recording-opt-in_en"} <= built_in
    for_menus = {g.name for g in greetings if g.usable_for_menu}
    assert "Welcome to Northwind Outfitters" in for_menus
    assert "None" not in for_menus  # Zendesk's built-in ivr_none: a menu cannot take it
    assert any(g.name == "None" and g.category_id == 5 for g in greetings)
    welcome = next(g for g in greetings if g.name == "Welcome to Northwind Outfitters")
    assert welcome.ivr_ids == (sandbox.state.ivr_named("Main support line")["id"],)
    assert {g.category_id for g in greetings} == set(range(1, 10))


def test_greeting_categories_schedules_addresses_and_lines(sandbox):
    categories = sandbox.client.list_greeting_categories()
    assert [(c.id, c.name) for c in categories][4] == (5, "ivr")
    schedules = {s.name: s for s in sandbox.client.list_schedules()}
    assert schedules["UK business hours"].time_zone == "London"
    assert schedules["UK business hours"].intervals[0] == {"start_time": 1980, "end_time": 2460}
    addresses = sandbox.client.list_addresses()
    assert {a.country_code for a in addresses} == {"IE", "GB", "DE"}
    assert all(a.provider_reference.startswith("AD") for a in addresses)
    lines = sandbox.client.list_lines()
    assert len(lines) == 13
    assert [line.nickname for line in lines if not line.can_run_ivr] == ["Website call button"]


def test_a_lookup_is_fetched_once_and_then_served_from_the_cache(sandbox):
    first = sandbox.client.list_groups()
    second = sandbox.client.list_groups()
    assert first == second
    assert len(sandbox.requests_to("GET", "/api/v2/groups")) == 1


def test_a_write_that_changes_greetings_forgets_them(sandbox):
    main = sandbox.state.ivr_named("Main support line")
    menu = sandbox.state.menu_named(main["id"], "Orders & billing")
    before = {g.name: g for g in sandbox.client.list_greetings()}
    with change_set():
        sandbox.client.update_menu(main["id"], menu["id"], greeting_id=None)
    after = {g.name: g for g in sandbox.client.list_greetings()}
    assert before["Orders and billing menu"].ivr_ids == (main["id"],)
    assert after["Orders and billing menu"].ivr_ids == ()


def test_changes_made_outside_talkadmin_show_once_forgotten(sandbox):
    assert "Partners" not in {g.name for g in sandbox.client.list_groups()}
    sandbox.state.add_group("Partners")
    sandbox.client.forget_lookups("groups")
    assert "Partners" in {g.name for g in sandbox.client.list_groups()}


def test_lookups_are_fetched_together_and_recorded_inside_a_change_set(sandbox):
    with change_set() as recorded:
        lookups = sandbox.client.load_lookups("groups", "greetings", "schedules")
    assert lookups.loaded == {"groups", "greetings", "schedules"}
    assert lookups.group_name(sandbox.state.group_named("Billing")["id"]) == "Billing"
    assert lookups.schedules and lookups.addresses == ()
    # Each lookup ran in its own thread, yet every call reached the change set's recorder.
    assert sorted(call.path.split("?")[0] for call in recorded.calls) == [
        "/api/v2/business_hours/schedules",
        "/api/v2/channels/voice/greetings",
        "/api/v2/groups",
    ]


def test_a_failing_lookup_is_not_cached(sandbox):
    sandbox.fail("GET", "/api/v2/business_hours/schedules", status=503, times=4)
    with pytest.raises(Unavailable):
        sandbox.client.list_schedules()
    assert len(sandbox.client.list_schedules()) == 4
