"""Undo this change: a draft made from a change set's "before" snapshot, reviewed and
published like any draft, and recorded as an undo of that change only when it is one."""

from functools import partial

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from audit.models import ChangeSet
from ivr.engine.edit import rename_menu
from ivr.models import Draft
from ivr.services import (
    CannotRevert,
    PublishOutcome,
    edit_draft,
    open_draft,
    publish_draft,
    undo_draft,
)
from tests.ivr.drafting import ORDERS, actor, group_id, ivr_id, live_route, menu_key, send_to_group

pytestmark = pytest.mark.django_db


def _publish(sandbox, user, *edits, reason="A change"):
    draft = open_draft(ivr_id=ivr_id(sandbox), actor=actor(user))
    for edit in edits:
        draft = edit_draft(
            draft=draft, edit=edit, actor=actor(user), expected_version=draft.version
        )
    result = publish_draft(draft=draft, actor=actor(user), reason=reason)
    assert result.outcome == PublishOutcome.APPLIED, result.message
    return result.change_set


def test_undoing_the_first_change_brings_back_the_line_as_it_was_before(sandbox, editor, admin):
    returns = live_route(sandbox, ORDERS, "2")["options"]["group_ids"]
    first = _publish(
        sandbox, editor, send_to_group(sandbox, menu=ORDERS, keypress="2", group="Sales")
    )
    assert live_route(sandbox, ORDERS, "2")["options"]["group_ids"] == [group_id(sandbox, "Sales")]

    draft = undo_draft(ivr_id=ivr_id(sandbox), change_set_id=first.pk, actor=actor(admin))
    assert draft.is_undo and draft.source_change_set_id == first.pk
    assert draft.change_count == 1
    result = publish_draft(draft=draft, actor=actor(admin), reason="Sales was a mistake")

    assert result.outcome == PublishOutcome.APPLIED
    assert live_route(sandbox, ORDERS, "2")["options"]["group_ids"] == returns
    change_set = ChangeSet.objects.get(pk=result.change_set.pk)
    assert change_set.action == "revert_ivr"
    assert change_set.final_summary.startswith(
        f"Undid 1 change to the IVR 'Main support line' (an undo of change #{first.pk}):"
    )
    assert change_set.actor_display_name == "Alice Admin"
    assert change_set.authors == ["Alice Admin"]
    assert result.message.startswith(f"Undone: change #{first.pk} is undone;")


def test_an_undo_edited_before_publishing_is_an_ordinary_publish(sandbox, editor, admin):
    first = _publish(
        sandbox, editor, send_to_group(sandbox, menu=ORDERS, keypress="2", group="Sales")
    )
    draft = undo_draft(ivr_id=ivr_id(sandbox), change_set_id=first.pk, actor=actor(admin))
    draft = edit_draft(
        draft=draft,
        edit=partial(rename_menu, menu_key=menu_key(sandbox, "Technical support"), name="Tech"),
        actor=actor(editor),
        expected_version=draft.version,
    )

    result = publish_draft(draft=draft, actor=actor(admin), reason="Undo, and a new name")

    change_set = ChangeSet.objects.get(pk=result.change_set.pk)
    assert change_set.action == "publish_ivr"
    assert change_set.final_summary.startswith(
        "Published 2 changes to the IVR 'Main support line' "
        f"(started from the version before change #{first.pk}):"
    )
    assert "Undid" not in change_set.final_summary
    assert sorted(change_set.authors) == ["Alice Admin", "Bob Editor"]


def test_a_change_that_kept_no_before_cannot_be_undone(sandbox, editor):
    with pytest.raises(CannotRevert, match="not a change of this IVR"):
        undo_draft(ivr_id=ivr_id(sandbox), change_set_id=999999, actor=actor(editor))


def test_history_offers_undo_to_editors_and_makes_the_draft(sandbox, editor, as_editor, as_viewer):
    first = _publish(
        sandbox, editor, send_to_group(sandbox, menu=ORDERS, keypress="2", group="Sales")
    )
    main = ivr_id(sandbox)
    history = BeautifulSoup(
        as_editor.get(reverse("ivr:history", args=[main])).content, "html.parser"
    )
    entry = history.select_one(f"#change-{first.pk}")
    buttons = [button.get_text(strip=True) for button in entry.select("button")]
    assert buttons == ["Undo this change", "Go back to how it was after this change"]
    url = reverse("ivr:undo", args=[main, first.pk])
    assert entry.select_one(f'form[action="{url}"]') is not None

    assert as_viewer.post(url).status_code == 403
    assert as_editor.get(url).status_code == 405
    assert not Draft.objects.filter(ivr_id=main).exists()

    response = as_editor.post(url, follow=True)

    assert response.redirect_chain[-1] == (reverse("ivr:detail", args=[main]), 303)
    assert (
        f"A draft now holds the IVR as it was before change #{first.pk}, which undoes that change"
        in response.content.decode()
    )
    assert Draft.objects.get(ivr_id=main).is_undo


def test_the_publish_result_offers_to_undo_what_was_just_published(sandbox, editor, as_editor):
    main = ivr_id(sandbox)
    draft = open_draft(ivr_id=main, actor=actor(editor))
    edit_draft(
        draft=draft,
        edit=send_to_group(sandbox, menu=ORDERS, keypress="2", group="Sales"),
        actor=actor(editor),
        expected_version=draft.version,
    )
    version = Draft.objects.get(ivr_id=main).version

    response = as_editor.post(
        reverse("ivr:publish", args=[main]), {"version": version, "reason": "Sales takes returns"}
    )

    result = BeautifulSoup(response.content, "html.parser")
    change_set = ChangeSet.objects.filter(target_id=str(main)).latest("id")
    form = result.select_one(f'form[action="{reverse("ivr:undo", args=[main, change_set.pk])}"]')
    assert form is not None
    assert form.select_one("button").get_text(strip=True) == "Undo what I just published"
