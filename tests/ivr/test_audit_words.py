"""Auditors read an IVR change set in the words of the publish preview, with names."""

from functools import partial

import pytest
from django.urls import reverse

from audit.describe import describe_changes
from ivr.engine.edit import rename_menu
from ivr.services import PublishOutcome, assign_ivr, edit_draft, open_draft, publish_draft
from tests.ivr.acme import acme_ivr_json
from tests.ivr.drafting import ORDERS, actor, ivr_id, menu_key, send_to_group

pytestmark = pytest.mark.django_db


def test_the_audit_page_says_what_a_publish_changed_in_the_admins_words(sandbox, editor, as_viewer):
    draft = open_draft(ivr_id=ivr_id(sandbox), actor=actor(editor))
    for edit in (
        send_to_group(sandbox, menu=ORDERS, keypress="2", group="Sales"),
        partial(rename_menu, menu_key=menu_key(sandbox, "Technical support"), name="Tech help"),
    ):
        draft = edit_draft(
            draft=draft, edit=edit, actor=actor(editor), expected_version=draft.version
        )
    result = publish_draft(draft=draft, actor=actor(editor), reason="Returns moved to Sales")
    assert result.outcome == PublishOutcome.APPLIED

    page = as_viewer.get(reverse("audit:detail", args=[result.change_set.pk]))

    assert page.status_code == 200
    text = page.content.decode()
    assert "Menu &#x27;Technical support&#x27; is renamed &#x27;Tech help&#x27;." in text
    assert (
        "Press 2 in menu &#x27;Orders &amp; billing&#x27; now goes to the group &#x27;Sales&#x27; "
        "instead of the group &#x27;Returns &amp; Exchanges&#x27;." in text
    )


def test_each_change_has_a_row_with_both_sides_in_words(sandbox, editor):
    draft = open_draft(ivr_id=ivr_id(sandbox), actor=actor(editor))
    draft = edit_draft(
        draft=draft,
        edit=send_to_group(sandbox, menu=ORDERS, keypress="2", group="Sales"),
        actor=actor(editor),
        expected_version=draft.version,
    )
    change_set = publish_draft(draft=draft, actor=actor(editor), reason="Returns").change_set

    (row,) = describe_changes(
        target_type="ivr",
        before=change_set.before,
        after=change_set.after,
        names=change_set.all_names,
    )

    assert row.field == "Press 2 in menu 'Orders & billing'"
    assert (row.before, row.after) == (
        "the group 'Returns & Exchanges'",
        "the group 'Sales'",
    )


def test_numbers_given_to_an_ivr_are_named(sandbox, admin):
    sales = ivr_id(sandbox, "Sales & orders")
    billing = sandbox.state.number_named("US Billing Direct")["id"]
    current = [n["id"] for n in sandbox.state.numbers_using(sales)]
    change_set = assign_ivr(
        ivr_id=sales, phone_number_ids=[*current, billing], actor=actor(admin), reason="x"
    )

    sentences = [
        change.sentence
        for change in describe_changes(
            target_type="ivr",
            before=change_set.before,
            after=change_set.after,
            names=change_set.all_names,
        )
    ]

    assert sentences == ["'US Billing Direct (+1 (212) 555-0147)' now answers with this IVR."]


def test_a_created_and_a_deleted_ivr_read_as_such():
    ivr = acme_ivr_json()

    (created, _) = describe_changes(target_type="ivr", before=None, after=ivr, names={})
    (deleted, _) = describe_changes(target_type="ivr", before=ivr, after=None, names={})

    assert (
        created.sentence
        == "Created the IVR 'Acme support' with the menus 'Main menu' and 'Billing'."
    )
    assert deleted.sentence == "Deleted the IVR 'Acme support' with its 2 menus."


def test_snapshots_the_planner_cannot_pair_fall_back_to_field_by_field_words():
    before = acme_ivr_json()
    after = acme_ivr_json()
    after["menus"][0]["default"] = False  # Zendesk never moves the first menu: not a publish
    after["menus"][1]["default"] = True

    sentences = [
        change.sentence
        for change in describe_changes(target_type="ivr", before=before, after=after, names={})
    ]

    assert "Turned first menu callers hear off for menu 'Main menu'." in sentences
