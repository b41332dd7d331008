"""Conflicts say what changed: who changed what in the draft and when, "you, in another
window" for the same person, and who published or discarded a draft instead of "someone"."""

import pytest

from ivr.services import StaleDraft, discard_draft, edit_draft, open_draft
from ivr.services.errors import DraftGone
from tests.ivr.drafting import ORDERS, actor, ivr_id, send_to_group

pytestmark = pytest.mark.django_db


def test_a_stale_edit_says_who_changed_what(sandbox, editor, admin):
    draft = open_draft(ivr_id=ivr_id(sandbox), actor=actor(admin))
    loaded = draft.version
    edit_draft(
        draft=draft,
        edit=send_to_group(sandbox, menu=ORDERS, keypress="2", group="Sales"),
        actor=actor(editor),
        expected_version=loaded,
    )

    with pytest.raises(StaleDraft) as refused:
        edit_draft(
            draft=draft,
            edit=send_to_group(sandbox, menu=ORDERS, keypress="2", group="Billing"),
            actor=actor(admin),
            expected_version=loaded,
        )

    message = refused.value.user_message
    assert message.startswith("This draft changed after you loaded it. Bob Editor at ")
    assert "Press 2 in menu 'Orders & billing' now goes to the group 'Sales'" in message


def test_the_same_person_in_another_window_is_told_so(sandbox, editor):
    draft = open_draft(ivr_id=ivr_id(sandbox), actor=actor(editor))
    loaded = draft.version
    edit_draft(
        draft=draft,
        edit=send_to_group(sandbox, menu=ORDERS, keypress="2", group="Sales"),
        actor=actor(editor),
        expected_version=loaded,
    )

    with pytest.raises(StaleDraft) as refused:
        edit_draft(
            draft=draft,
            edit=send_to_group(sandbox, menu=ORDERS, keypress="3", group="Billing"),
            actor=actor(editor),
            expected_version=loaded,
        )

    assert "You, in another window, at " in refused.value.user_message


def test_a_discarded_draft_names_who_discarded_it(sandbox, editor, admin):
    draft = open_draft(ivr_id=ivr_id(sandbox), actor=actor(editor))
    discard_draft(draft=draft, actor=actor(admin))

    with pytest.raises(DraftGone) as refused:
        edit_draft(
            draft=draft,
            edit=send_to_group(sandbox, menu=ORDERS, keypress="2", group="Sales"),
            actor=actor(editor),
            expected_version=draft.version,
        )

    assert refused.value.user_message.startswith(
        "This draft no longer exists: Alice Admin discarded it at "
    )
    assert "someone" not in refused.value.user_message
