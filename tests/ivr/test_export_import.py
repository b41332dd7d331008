"""Exporting an IVR to a file and importing one, as a new IVR or into an existing one."""

import copy
import json

import pytest
from django.core.exceptions import ValidationError

from audit.models import ChangeSet
from audit.review import recent_history
from ivr.models import Draft
from ivr.services import (
    ImportRefused,
    PublishOutcome,
    export_ivr,
    import_ivr,
    preview_publish,
    publish_draft,
)
from talk.errors import Unavailable
from tests.ivr.drafting import MAIN_LINE, actor, group_id, ivr_change_sets, ivr_id, writes

pytestmark = pytest.mark.django_db


def test_an_export_is_the_ivr_with_the_names_of_what_it_uses(sandbox):
    exported = export_ivr(ivr_id=ivr_id(sandbox))

    json.dumps(exported)  # a file, as it will be downloaded
    assert exported["format"] == "talkadmin-ivr"
    assert exported["ivr"]["name"] == MAIN_LINE
    assert [m["name"] for m in exported["ivr"]["menus"]] == [
        "Main menu",
        "Orders & billing",
        "Technical support",
        "Hardware & repairs",
    ]
    groups = {g["name"]: g["id"] for g in exported["groups"]}
    assert groups["Returns & Exchanges"] == group_id(sandbox, "Returns & Exchanges")
    assert "Soporte en Español" not in groups  # only what this IVR uses
    assert {g["name"] for g in exported["greetings"]} >= {"Welcome to Northwind Outfitters"}
    assert exported["phone_numbers"] == [
        {
            "id": sandbox.state.number_named("US Text Line")["id"],
            "name": "US Text Line (+1 (415) 555-0178)",
            "number": "+14155550178",
        }
    ]


def test_importing_as_a_new_ivr_creates_it_empty_and_drafts_the_menus(sandbox, admin):
    exported = export_ivr(ivr_id=ivr_id(sandbox))

    imported = import_ivr(data=exported, actor=actor(admin), name="Main line (copy)")

    assert imported.created and imported.unmapped == []
    new_id = imported.draft.ivr_id
    created = sandbox.state.ivrs[new_id]
    assert created["name"] == "Main line (copy)"
    assert [m["name"] for m in sandbox.state.menus_of(new_id)] == ["Main menu"]  # empty so far
    assert imported.change_set.action == "import_ivr"
    assert imported.change_set.status == "applied"
    assert imported.change_set.after["id"] == new_id
    assert imported.draft.source == "import"
    assert imported.draft.source_change_set_id == imported.change_set.pk
    # The import opens the new IVR's history, though Zendesk gave it its id only on creating it.
    assert recent_history(target_type="ivr", target_id=new_id) == [imported.change_set]

    result = publish_draft(draft=imported.draft, actor=actor(admin), reason="A copy to test on")

    assert result.outcome == PublishOutcome.APPLIED
    copy_json = sandbox.client.get_ivr(new_id).raw
    original = sandbox.client.get_ivr(ivr_id(sandbox)).raw
    assert _by_name(copy_json) == _by_name(original)
    assert copy_json["phone_number_ids"] == []  # numbers are assigned separately


def test_groups_and_greetings_are_found_by_name_in_another_account(sandbox, admin):
    exported = _as_if_from_another_account(export_ivr(ivr_id=ivr_id(sandbox)))
    with sandbox.state.lock:  # this account has no "Returns & Exchanges" group
        del sandbox.state.groups[group_id(sandbox, "Returns & Exchanges")]

    imported = import_ivr(data=exported, actor=actor(admin), name="From the other account")

    assert imported.unmapped == [
        "Press 2 in menu 'Orders & billing' went to the group 'Returns & Exchanges', which this "
        "account does not have: it is left out; choose a group before publishing.",
        "Press 1 in menu 'Hardware & repairs' went to the group 'Returns & Exchanges', which "
        "this account does not have: it is left out; choose a group before publishing.",
    ]
    document = imported.draft.ivr_document()
    orders = next(m for m in document.menus if m.name == "Orders & billing")
    assert orders.route("1").destination.group_ids == (group_id(sandbox, "Billing"),)
    assert orders.route("2").destination.group_ids == ()
    hardware = next(m for m in document.menus if m.name == "Hardware & repairs")
    assert hardware.route("1").destination.group_ids == (group_id(sandbox, "Technical Support"),)
    assert "Not found in this account: Press 2 in menu 'Orders & billing'" in (
        imported.change_set.summary
    )
    # Lint asks for the missing group before anything can go live.
    preview = preview_publish(draft=imported.draft)
    assert preview.blocked
    assert any(f.rule == "route-without-group" for f in preview.findings)


def test_importing_into_an_existing_ivr_makes_it_that_ivrs_draft(sandbox, admin):
    sales = ivr_id(sandbox, "Sales & orders")
    sales_menu = sandbox.state.default_menu(sales)
    exported = export_ivr(ivr_id=ivr_id(sandbox, "Ireland & EU line"))
    sandbox.clear_requests()

    imported = import_ivr(data=exported, actor=actor(admin), into_ivr_id=sales)

    assert not imported.created
    assert writes(sandbox) == []  # nothing changes in Zendesk before the draft is published
    document = imported.draft.ivr_document()
    assert document.name == "Sales & orders"  # the IVR keeps its name
    assert document.default_menu.id == sales_menu["id"]
    (event,) = ivr_change_sets(sales)
    assert event.action == "import_ivr"
    assert event.summary.startswith(
        "Imported 'Ireland & EU line' from a file as a draft of the IVR 'Sales & orders'"
    )

    result = publish_draft(draft=imported.draft, actor=actor(admin), reason="Same menu as Ireland")

    assert result.outcome == PublishOutcome.APPLIED
    keys = {r["keypress"]: r for r in sandbox.state.routes_of(sales_menu["id"])}
    assert sorted(keys) == ["1", "2", "3", "default"]
    assert keys["2"]["options"]["group_ids"] == [group_id(sandbox, "Soporte en Español")]


def test_a_file_that_is_not_an_ivr_is_refused_plainly(sandbox, admin):
    with pytest.raises(ImportRefused, match="not an IVR exported from TalkAdmin or from Zendesk"):
        import_ivr(data={"tickets": []}, actor=actor(admin))
    with pytest.raises(ImportRefused, match="cannot be read as an IVR"):
        import_ivr(
            data={"format": "talkadmin-ivr", "format_version": 1, "ivr": []}, actor=actor(admin)
        )
    with pytest.raises(ImportRefused, match="format version 9"):
        import_ivr(data={"format": "talkadmin-ivr", "format_version": 9}, actor=actor(admin))
    assert writes(sandbox) == []


def test_a_new_ivr_may_not_take_the_name_of_another(sandbox, admin):
    exported = export_ivr(ivr_id=ivr_id(sandbox))

    with pytest.raises(ValidationError) as refused:
        import_ivr(data=exported, actor=actor(admin))

    assert refused.value.message_dict["name"] == [
        "There is already an IVR called 'Main support line'. "
        "Choose another name, so nobody mixes the two up."
    ]
    assert writes(sandbox) == []


def _as_if_from_another_account(exported: dict) -> dict:
    """The same IVR exported from an account where every group and greeting has other ids."""
    exported = copy.deepcopy(exported)
    group_ids = {g["id"]: g["id"] + 7 for g in exported["groups"]}
    greeting_ids = {g["id"]: g["id"] + 7 for g in exported["greetings"] if isinstance(g["id"], int)}
    for entry in exported["groups"]:
        entry["id"] = group_ids[entry["id"]]
    for entry in exported["greetings"]:
        entry["id"] = greeting_ids.get(entry["id"], entry["id"])
    for menu in exported["ivr"]["menus"]:
        menu["greeting_id"] = greeting_ids.get(menu["greeting_id"], menu["greeting_id"])
        for route in menu["routes"]:
            if "group_ids" in route["options"]:
                route["options"]["group_ids"] = [
                    group_ids[i] for i in route["options"]["group_ids"]
                ]
    return exported


def _by_name(ivr_json: dict) -> list:
    """Menus and routes by name, as callers experience them."""
    names = {menu["id"]: menu["name"] for menu in ivr_json["menus"]}
    shown = []
    for menu in ivr_json["menus"]:
        routes = []
        for route in menu["routes"]:
            options = dict(route["options"])
            if "menu_id" in options:
                options["menu_id"] = names[options["menu_id"]]
            routes.append((route["keypress"], route["action"], json.dumps(options, sort_keys=True)))
        shown.append((menu["name"], menu["greeting_id"], menu["default"], sorted(routes)))
    return sorted(shown, key=repr)


def test_an_import_zendesk_refuses_to_create_is_recorded_as_failed_and_leaves_no_draft(
    sandbox, admin
):
    exported = export_ivr(ivr_id=ivr_id(sandbox))
    sandbox.fail("POST", "*/channels/voice/ivr", status=503)

    with pytest.raises(Unavailable):
        import_ivr(data=exported, actor=actor(admin), name="Main line (copy)")

    (change_set,) = ChangeSet.objects.filter(action="import_ivr")
    assert change_set.status == "failed"
    assert change_set.target_name == "Main line (copy)"
    assert not Draft.objects.exists()
