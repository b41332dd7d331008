"""The audit log never says something false: a revert is recorded as one only when the IVR
ends up as that version, and a shared draft's publish names every author and who made which
change."""

from functools import partial

import pytest
from django.urls import reverse

from audit.models import ChangeSet
from ivr.engine.document import new_menu_key
from ivr.engine.edit import add_menu, rename_menu
from ivr.services import PublishOutcome, edit_draft, open_draft, publish_draft, revert_draft
from ivr.services.drafts import draft_authors
from tests.ivr.drafting import ORDERS, actor, ivr_id, menu_key, send_to_group

pytestmark = pytest.mark.django_db


def _publish(sandbox, user, *edits, reason="A change"):
    draft = open_draft(ivr_id=ivr_id(sandbox), actor=actor(user))
    for edit in edits:
        draft = edit_draft(
            draft=draft, edit=edit, actor=actor(user), expected_version=draft.version
        )
    result = publish_draft(draft=draft, actor=actor(user), reason=reason)
    assert result.outcome == PublishOutcome.APPLIED, result.message
    return result


def test_a_revert_draft_edited_afterwards_is_recorded_as_an_ordinary_publish(
    sandbox, editor, admin, as_viewer
):
    first = _publish(
        sandbox, editor, send_to_group(sandbox, menu=ORDERS, keypress="2", group="Sales")
    )
    _publish(sandbox, editor, send_to_group(sandbox, menu=ORDERS, keypress="2", group="Billing"))
    draft = revert_draft(
        ivr_id=ivr_id(sandbox), change_set_id=first.change_set.pk, actor=actor(admin)
    )
    draft = edit_draft(
        draft=draft,
        edit=partial(add_menu, name="Wording check", greeting_id=None, key=new_menu_key()),
        actor=actor(admin),
        expected_version=draft.version,
    )

    result = publish_draft(draft=draft, actor=actor(admin), reason="Back to Sales, plus a menu")

    assert result.outcome == PublishOutcome.APPLIED
    change_set = ChangeSet.objects.get(pk=result.change_set.pk)
    assert change_set.action == "publish_ivr"
    summary = change_set.final_summary
    assert summary.startswith(
        "Published 2 changes to the IVR 'Main support line' "
        f"(started from the version after change #{first.change_set.pk}):"
    )
    assert "Reverted" not in summary and "back to how it was" not in summary
    assert change_set.actor_display_name == "Alice Admin"
    assert change_set.authors == ["Alice Admin"]
    history = as_viewer.get(reverse("ivr:history", args=[ivr_id(sandbox)])).content.decode()
    assert f"started from the version after change #{first.change_set.pk}" in history
    assert "Reverted 2 changes" not in history


def test_a_revert_published_as_it_was_is_recorded_as_a_revert(sandbox, editor, admin):
    first = _publish(
        sandbox, editor, send_to_group(sandbox, menu=ORDERS, keypress="2", group="Sales")
    )
    _publish(sandbox, editor, send_to_group(sandbox, menu=ORDERS, keypress="2", group="Billing"))
    draft = revert_draft(
        ivr_id=ivr_id(sandbox), change_set_id=first.change_set.pk, actor=actor(admin)
    )

    result = publish_draft(draft=draft, actor=actor(admin), reason="Back to Sales")

    change_set = ChangeSet.objects.get(pk=result.change_set.pk)
    assert change_set.action == "revert_ivr"
    assert change_set.final_summary.startswith(
        "Reverted 1 change to the IVR 'Main support line' "
        f"(back to how it was after change #{first.change_set.pk}):"
    )
    assert change_set.authors == ["Alice Admin"]


def test_a_shared_draft_names_who_made_which_change_and_keeps_every_author(sandbox, editor, admin):
    draft = open_draft(ivr_id=ivr_id(sandbox), actor=actor(admin))
    draft = edit_draft(
        draft=draft,
        edit=send_to_group(sandbox, menu=ORDERS, keypress="2", group="Sales"),
        actor=actor(editor),
        expected_version=draft.version,
    )
    draft = edit_draft(
        draft=draft,
        edit=partial(rename_menu, menu_key=menu_key(sandbox, "Technical support"), name="Tech"),
        actor=actor(editor),
        expected_version=draft.version,
    )
    draft = edit_draft(
        draft=draft,
        edit=send_to_group(sandbox, menu=ORDERS, keypress="3", group="Billing"),
        actor=actor(admin),
        expected_version=draft.version,
    )
    assert [user.get_full_name() for user in draft_authors(draft)] == [
        "Bob Editor",
        "Alice Admin",
    ]

    result = publish_draft(draft=draft, actor=actor(admin), reason="Team changes")

    assert result.outcome == PublishOutcome.APPLIED
    assert result.message == (
        "Published: the IVR 'Main support line' now has the draft's 3 changes "
        "(your 1 change and Bob Editor's 2)."
    )
    change_set = ChangeSet.objects.get(pk=result.change_set.pk)
    assert change_set.actor_display_name == "Alice Admin"
    assert sorted(change_set.authors) == ["Alice Admin", "Bob Editor"]
    assert " Draft changes by Bob Editor (2) and Alice Admin (1)." in change_set.final_summary


def test_a_draft_nobody_changed_has_no_authors(sandbox, editor):
    draft = open_draft(ivr_id=ivr_id(sandbox), actor=actor(editor))

    assert draft_authors(draft) == []
