"""Undo a number's settings change: from its history or its page, reviewed with a reason, sent
as one audited save, and refused when the setting changed again since."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import ChangeSet
from tests.numbers.forms import page, submit, text

pytestmark = pytest.mark.django_db

LONDON = "UK Support London"  # call recording on


def _recording_turned_off(as_editor, sandbox) -> tuple[int, ChangeSet]:
    number = sandbox.state.number_named(LONDON)
    submit(as_editor, number["id"], "recording", {"recorded": False}, reason="GDPR review")
    assert sandbox.state.number_named(LONDON)["recorded"] is False
    return number["id"], ChangeSet.objects.filter(action="update_phone_number").latest("id")


def test_undoing_a_settings_change_puts_the_setting_back(as_editor, editor, sandbox):
    number_id, change = _recording_turned_off(as_editor, sandbox)
    detail = page(as_editor.get(reverse("numbers:detail", args=[number_id])))
    undo_url = reverse("numbers:undo", args=[number_id, change.pk])
    assert "Turned call recording off" in text(detail.select_one("#last-change"))
    assert detail.select_one(f'#last-change a[href="{undo_url}"]') is not None
    history = page(as_editor.get(reverse("numbers:history", args=[number_id])))
    assert history.select_one(f'a[href="{undo_url}"]') is not None

    review = page(as_editor.get(undo_url))
    assert text(review.select_one("#undo-sentence")) == (
        "Turned call recording on on 'UK Support London' (+44 20 7946 0321)."
    )
    assert sandbox.state.number_named(LONDON)["recorded"] is False  # nothing sent yet

    response = as_editor.post(undo_url, {"reason": "Recording is required after all"})

    assert response.status_code == 303
    assert sandbox.state.number_named(LONDON)["recorded"] is True
    undo = ChangeSet.objects.filter(action="update_phone_number").latest("id")
    assert undo.summary == (
        f"Undo of change #{change.pk}: Turned call recording on on 'UK Support London' "
        "(+44 20 7946 0321)."
    )
    assert undo.reason == "Recording is required after all"
    assert undo.actor_display_name == editor.get_full_name()


def test_an_undo_needs_a_reason_and_viewers_cannot_undo(as_editor, as_viewer, sandbox):
    number_id, change = _recording_turned_off(as_editor, sandbox)
    undo_url = reverse("numbers:undo", args=[number_id, change.pk])

    assert as_viewer.post(undo_url, {"reason": "No"}).status_code == 403
    response = as_editor.post(undo_url, {"reason": ""})

    assert response.status_code == 422
    assert "Say why you are making this change" in text(page(response))
    assert sandbox.state.number_named(LONDON)["recorded"] is False


def test_a_setting_changed_again_since_is_not_overwritten_by_an_undo(as_editor, sandbox):
    number = sandbox.state.number_named("US Billing Direct")  # longest wait: 5 minutes
    submit(as_editor, number["id"], "queue", {"maximum_queue_wait_time": "20"})
    to_twenty = ChangeSet.objects.filter(action="update_phone_number").latest("id")
    submit(as_editor, number["id"], "queue", {"maximum_queue_wait_time": "30"})
    sandbox.clear_requests()

    response = as_editor.post(
        reverse("numbers:undo", args=[number["id"], to_twenty.pk]), {"reason": "Back to 5"}
    )

    assert response.status_code == 409
    assert (
        f"Nothing was sent: “Longest wait (minutes)” changed again since change #{to_twenty.pk}"
        in text(page(response))
    )
    assert sandbox.requests_to("PUT") == []
    assert (
        sandbox.state.number_named("US Billing Direct")["settings"]["maximum_queue_wait_time"] == 30
    )
