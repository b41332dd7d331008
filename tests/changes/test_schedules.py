"""Scheduling a publish on the pages: times in the account's zone, a past time refused beside
its field, the Upcoming changes page for every role, and cancelling (the worker that runs them
is tested in tests/worker/test_scheduled_changes.py)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from audit.constants import Action
from audit.models import ChangeSet
from changes.models import ScheduledChange, ScheduleState
from ivr.models import Draft
from tests.changes.helpers import draft_orders_2_to_sales
from tests.ivr.drafting import writes
from tests.ivr.editor_pages import draft_of
from tests.ivr.page_html import html, text


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def schedule(client, ivr_id: int, *, run_at, change_back_at=None, reason="Christmas closure"):
    return client.post(
        reverse("changes:schedule", args=[ivr_id]),
        {
            "version": draft_of(ivr_id).version,
            "run_at": local(run_at),
            "change_back_at": local(change_back_at) if change_back_at else "",
            "reason": reason,
        },
    )


def test_the_publish_page_offers_publish_later_with_the_time_zone_named(
    settings, as_editor, main_line, sandbox
):
    settings.TIME_ZONE = "Europe/London"
    draft_orders_2_to_sales(as_editor, main_line, sandbox)

    page = html(as_editor.get(reverse("ivr:publish", args=[main_line])))

    form = page.select_one("form[action$='/schedule/']")
    labels = [text(label) for label in form.select("label")]
    assert "Publish at (Europe/London time)" in labels
    assert "Change back at (optional) (Europe/London time)" in labels


def test_a_time_in_the_past_is_refused_beside_the_field_and_nothing_is_scheduled(
    as_editor, main_line, sandbox
):
    draft_orders_2_to_sales(as_editor, main_line, sandbox)
    sandbox.clear_requests()

    response = schedule(as_editor, main_line, run_at=timezone.now() - timedelta(hours=1))

    assert response.status_code == 422
    page = html(response)
    assert "This time has passed" in text(page.select_one("#id_run_at_error"))
    assert page.select_one("#id_reason").get_text().strip() == "Christmas closure"
    assert ScheduledChange.objects.count() == 0
    assert Draft.objects.filter(ivr_id=main_line).exists()
    assert writes(sandbox) == []


def test_a_change_back_before_the_change_is_refused_beside_its_field(as_editor, main_line, sandbox):
    draft_orders_2_to_sales(as_editor, main_line, sandbox)
    run_at = timezone.now() + timedelta(days=1)

    response = schedule(as_editor, main_line, run_at=run_at, change_back_at=run_at)

    assert response.status_code == 422
    error = text(html(response).select_one("#id_change_back_at_error"))
    assert error == "Choose a time after the change is made."
    assert ScheduledChange.objects.count() == 0


def test_a_scheduled_change_is_on_upcoming_for_every_role_and_is_cancelled_by_its_editor(
    as_editor, as_second_editor, as_viewer, editor, main_line, sandbox
):
    draft_orders_2_to_sales(as_editor, main_line, sandbox)
    run_at = timezone.now() + timedelta(days=1)
    sandbox.clear_requests()

    response = schedule(
        as_editor, main_line, run_at=run_at, change_back_at=run_at + timedelta(days=3)
    )

    assert response.status_code == 303
    [change] = ScheduledChange.objects.all()
    assert change.state == ScheduleState.SCHEDULED and change.scheduled_by == editor
    assert not Draft.objects.filter(ivr_id=main_line).exists()  # frozen into the change
    [task] = DBTaskResult.objects.all()
    assert task.run_after == change.run_at
    assert writes(sandbox) == []
    [scheduled] = ChangeSet.objects.filter(action=Action.SCHEDULE_CHANGE)
    assert scheduled.actor_display_name == "Bob Editor"
    viewer_page = html(as_viewer.get(reverse("changes:upcoming")))
    coming = text(viewer_page.select_one("#upcoming-heading").parent)
    assert "Main support line" in coming and "Bob Editor" in coming and "changes back" in coming
    assert viewer_page.select("form[action$='/cancel/']") == []
    cancel = reverse("changes:cancel", args=[change.pk])
    assert as_viewer.post(cancel).status_code == 403
    assert as_second_editor.post(cancel).status_code == 403  # not theirs (admins may)

    assert as_editor.post(cancel).status_code == 303

    change.refresh_from_db()
    assert change.state == ScheduleState.CANCELLED
    assert draft_of(main_line).document == change.document  # the draft is back
    [cancelled] = ChangeSet.objects.filter(action=Action.CANCEL_SCHEDULED_CHANGE)
    assert cancelled.actor_display_name == "Bob Editor"
    assert "its changes are back in the IVR's draft" in cancelled.summary
