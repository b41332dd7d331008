"""One shared draft per IVR: nobody silently overwrites another admin's work."""

from datetime import timedelta
from functools import partial

import pytest
from django.utils import timezone

from ivr.engine.edit import EditError, rename_menu
from ivr.models import Draft
from ivr.services import (
    DraftBusy,
    DraftGone,
    StaleDraft,
    discard_draft,
    edit_draft,
    get_draft,
    open_draft,
    pending_drafts,
    publish_draft,
)
from tests.ivr.drafting import ORDERS, actor, ivr_id, live_route, menu_key, send_to_group, writes

pytestmark = pytest.mark.django_db


def test_opening_an_ivr_for_editing_copies_the_live_ivr_once_for_everyone(sandbox, editor, admin):
    first = open_draft(ivr_id=ivr_id(sandbox), actor=actor(editor))
    sandbox.clear_requests()
    second = open_draft(ivr_id=ivr_id(sandbox), actor=actor(admin))

    assert second.pk == first.pk
    assert sandbox.requests == []  # the shared draft is not read from Zendesk again
    assert first.started_by == "Bob Editor"
    assert first.version == 1
    assert not first.has_changes
    assert first.ivr_document().name == "Main support line"
    assert first.base["id"] == ivr_id(sandbox)
    assert [m.name for m in first.ivr_document().menus] == [
        "Main menu",
        "Orders & billing",
        "Technical support",
        "Hardware & repairs",
    ]


def test_edits_change_the_draft_only_and_say_who_made_them(sandbox, editor, admin):
    draft = open_draft(ivr_id=ivr_id(sandbox), actor=actor(editor))
    sandbox.clear_requests()

    edited = edit_draft(
        draft=draft,
        edit=send_to_group(sandbox, menu=ORDERS, keypress="2", group="Sales"),
        actor=actor(admin),
        expected_version=1,
    )

    assert edited.version == 2
    assert edited.last_changed_by == "Alice Admin"
    assert edited.change_count == 1
    assert writes(sandbox) == []  # the live line is untouched
    assert live_route(sandbox, ORDERS, "2")["options"]["tags"] == ["ivr_returns"]
    assert pending_drafts(ivr_ids=[ivr_id(sandbox)])[ivr_id(sandbox)].pk == draft.pk


def test_an_edit_made_on_an_outdated_page_is_refused_and_names_who_changed_it(
    sandbox, editor, admin
):
    draft = open_draft(ivr_id=ivr_id(sandbox), actor=actor(editor))
    page_of_alice = get_draft(ivr_id=ivr_id(sandbox))
    edit_draft(
        draft=draft,
        edit=send_to_group(sandbox, menu=ORDERS, keypress="2", group="Sales"),
        actor=actor(editor),
        expected_version=page_of_alice.version,
    )

    with pytest.raises(StaleDraft) as refused:
        edit_draft(
            draft=page_of_alice,
            edit=send_to_group(sandbox, menu=ORDERS, keypress="2", group="Billing"),
            actor=actor(admin),
            expected_version=page_of_alice.version,
        )

    assert refused.value.changed_by == "Bob Editor"
    assert refused.value.user_message.startswith(
        "This draft changed after you loaded it. Bob Editor at "
    )
    assert "reload the draft to see their changes" in refused.value.user_message
    stored = get_draft(ivr_id=ivr_id(sandbox))
    assert stored.version == 2
    route = stored.ivr_document().find_menu(menu_key(sandbox, ORDERS)).route("2")
    assert route.destination.group_ids == (sandbox.state.group_named("Sales")["id"],)


def test_an_edit_the_engine_refuses_leaves_the_draft_as_it_was(sandbox, editor):
    draft = open_draft(ivr_id=ivr_id(sandbox), actor=actor(editor))

    with pytest.raises(EditError, match="There is already a menu called 'Main menu'"):
        edit_draft(
            draft=draft,
            edit=partial(rename_menu, menu_key=menu_key(sandbox, ORDERS), name="main menu"),
            actor=actor(editor),
            expected_version=1,
        )

    assert get_draft(ivr_id=ivr_id(sandbox)).version == 1


def test_nobody_edits_or_publishes_a_draft_while_it_is_being_published(sandbox, editor, admin):
    draft = open_draft(ivr_id=ivr_id(sandbox), actor=actor(editor))
    # Alice's publish is running in another worker.
    Draft.objects.filter(pk=draft.pk).update(publishing_since=timezone.now(), publishing_by=admin)

    with pytest.raises(DraftBusy, match="Alice Admin started publishing this draft"):
        edit_draft(
            draft=draft,
            edit=send_to_group(sandbox, menu=ORDERS, keypress="2", group="Sales"),
            actor=actor(editor),
            expected_version=1,
        )
    with pytest.raises(DraftBusy):
        publish_draft(draft=draft, actor=actor(editor), reason="Double click")
    assert writes(sandbox) == []


def test_a_publish_whose_worker_died_long_ago_no_longer_holds_the_draft(sandbox, editor, admin):
    draft = open_draft(ivr_id=ivr_id(sandbox), actor=actor(editor))
    long_ago = timezone.now() - timedelta(hours=1)
    Draft.objects.filter(pk=draft.pk).update(publishing_since=long_ago, publishing_by=admin)

    edited = edit_draft(
        draft=draft,
        edit=send_to_group(sandbox, menu=ORDERS, keypress="2", group="Sales"),
        actor=actor(editor),
        expected_version=1,
    )

    assert edited.version == 2


def test_discarding_throws_the_draft_away_without_touching_zendesk(sandbox, editor):
    draft = open_draft(ivr_id=ivr_id(sandbox), actor=actor(editor))
    sandbox.clear_requests()

    discard_draft(draft=draft, actor=actor(editor))

    assert get_draft(ivr_id=ivr_id(sandbox)) is None
    assert sandbox.requests == []
    with pytest.raises(DraftGone, match=r"you \(in another window\) discarded it"):
        edit_draft(
            draft=draft,
            edit=send_to_group(sandbox, menu=ORDERS, keypress="2", group="Sales"),
            actor=actor(editor),
            expected_version=1,
        )


def test_discarding_a_draft_someone_changed_since_the_page_loaded_is_refused(
    sandbox, editor, admin
):
    draft = open_draft(ivr_id=ivr_id(sandbox), actor=actor(editor))
    edit_draft(
        draft=draft,
        edit=send_to_group(sandbox, menu=ORDERS, keypress="2", group="Sales"),
        actor=actor(editor),
        expected_version=1,
    )

    with pytest.raises(StaleDraft):
        discard_draft(draft=draft, actor=actor(admin))

    assert get_draft(ivr_id=ivr_id(sandbox)) is not None
