"""Scheduled changes run by a real worker process (`manage.py db_worker`) against the sandbox
served over HTTP: a change due two seconds ahead is made, then changed back by itself; a part
someone changed in between is not overwritten at change-back time (needs attention); Zendesk
down at the time is tried again, then given up visibly; two workers make a change once."""

from datetime import timedelta
from functools import partial

import pytest
from django.utils import timezone

import audit
import talk
from audit.actor import Actor
from audit.models import ChangeSet
from changes.models import ScheduledChange, ScheduleState
from changes.services.schedules import schedule_publish
from ivr.engine.document import menu_key_for_id
from ivr.engine.edit import rename_ivr, rename_menu
from ivr.services import edit_draft, open_draft
from tests.worker.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)

MAIN_LINE = "Main support line"
HOLIDAY = "Holiday closure"


@pytest.fixture
def served_talk(sandbox_server, settings):
    """This test's Talk client on the served sandbox the workers use."""
    settings.TALK_BASE_URL = sandbox_server.base_url
    settings.TALK_SUBDOMAIN = ""
    settings.TALK_EMAIL = sandbox_server.email
    settings.TALK_API_TOKEN = sandbox_server.api_token
    settings.TALK_OAUTH_TOKEN = ""
    settings.TALK_RATE_LIMIT_PER_MINUTE = 100_000
    talk.reset_client()
    yield talk.get_client()
    talk.reset_client()


def ivr_named(client, name: str):
    return next(ivr for ivr in client.list_ivrs() if ivr.name == name)


def holiday_draft(client, editor, *, rename_first_menu: bool = False):
    """Bob's draft: the main line renamed (and its first menu too, if asked)."""
    line = ivr_named(client, MAIN_LINE)
    bob = Actor.for_user(editor)
    draft = open_draft(ivr_id=line.id, actor=bob)
    draft = edit_draft(
        draft=draft,
        edit=partial(rename_ivr, name=HOLIDAY + " (main line)"),
        actor=bob,
        expected_version=draft.version,
    )
    if rename_first_menu:
        menu = line.menus[0]
        draft = edit_draft(
            draft=draft,
            edit=partial(rename_menu, menu_key=menu_key_for_id(menu.id), name="We are closed"),
            actor=bob,
            expected_version=draft.version,
        )
    return line, draft


def state_of(change: ScheduledChange) -> str:
    change.refresh_from_db()
    return change.state


def test_a_worker_makes_a_change_due_in_two_seconds_then_changes_it_back(
    workers, served_talk, editor
):
    line, draft = holiday_draft(served_talk, editor)
    now = timezone.now()
    change = schedule_publish(
        draft=draft,
        actor=Actor.for_user(editor),
        reason="Christmas closure",
        run_at=now + timedelta(seconds=2),
        change_back_at=now + timedelta(seconds=4),
    )
    assert served_talk.get_ivr(line.id).name == MAIN_LINE  # nothing before its time

    workers.start()
    wait_for(lambda: state_of(change) == "changed_back", seconds=90, what="the change back")

    assert served_talk.get_ivr(line.id).name == MAIN_LINE
    made = ChangeSet.objects.get(pk=change.publish_change_set_id)
    back = ChangeSet.objects.get(pk=change.change_back_change_set_id)
    assert made.actor_display_name == back.actor_display_name == "Bob Editor"
    assert "scheduled by Bob Editor" in made.reason and made.ending.outcome == "applied"
    assert back.reason.startswith("Change back of 'Christmas closure'")
    assert back.ending.outcome == "applied"
    assert made.created_at >= change.run_at  # not before its time


def test_a_part_changed_in_between_is_not_put_back_and_needs_attention(
    workers, served_talk, editor
):
    line, draft = holiday_draft(served_talk, editor, rename_first_menu=True)
    first_menu = line.menus[0]
    now = timezone.now()
    change = schedule_publish(
        draft=draft,
        actor=Actor.for_user(editor),
        reason="Christmas closure",
        run_at=now + timedelta(seconds=2),
        change_back_at=now + timedelta(seconds=20),
    )
    workers.start()
    wait_for(lambda: state_of(change) == "change_back_due", seconds=60, what="the change")
    # Meanwhile someone renames the IVR again in Zendesk's Admin Center.
    with audit.change_set(
        actor=Actor.system("test: Zendesk Admin Center"),
        action=audit.Action.PUBLISH_IVR,
        target_type=audit.TargetType.IVR,
        target_id=line.id,
        target_name=HOLIDAY,
        summary="Renamed in Zendesk",
        reason="Someone else's change",
    ):
        served_talk.update_ivr(line.id, name="Closed until the 27th")

    wait_for(lambda: state_of(change) == "needs_attention", seconds=90, what="the change back")

    live = served_talk.get_ivr(line.id)
    assert live.name == "Closed until the 27th"  # not overwritten
    assert next(m for m in live.menus if m.id == first_menu.id).name == first_menu.name
    [attention] = change.needs_attention
    assert "Closed until the 27th" in attention and "not put back" in attention
    [noted] = ChangeSet.objects.filter(action=audit.Action.CHANGE_BACK_NEEDS_ATTENTION)
    assert "Closed until the 27th" in noted.summary


def test_zendesk_down_at_the_time_is_tried_again_then_given_up_visibly(
    workers, served_talk, editor, sandbox_server
):
    line, draft = holiday_draft(served_talk, editor)
    change = schedule_publish(
        draft=draft,
        actor=Actor.for_user(editor),
        reason="Christmas closure",
        run_at=timezone.now() + timedelta(seconds=2),
    )
    sandbox_server.set_faults({"failure_rate": 1.0})

    # Each try reads with 3 retries (0.5 s backoff, doubling): 30 s leaves room for several.
    workers.start(env={"CHANGES_RETRY_WINDOW_SECONDS": "30"})
    wait_for(lambda: state_of(change) == "failed", seconds=90, what="the change to give up")

    assert change.attempts >= 2
    assert change.message.startswith("Gave up after")
    assert "Zendesk could not be reached" in change.message
    sandbox_server.set_faults({"failure_rate": 0.0})
    assert served_talk.get_ivr(line.id).name == MAIN_LINE
    assert not [r for r in sandbox_server.requests() if r["method"] != "GET"]


def test_two_workers_make_a_scheduled_change_once(workers, served_talk, editor, sandbox_server):
    line, draft = holiday_draft(served_talk, editor)
    change = schedule_publish(
        draft=draft,
        actor=Actor.for_user(editor),
        reason="Christmas closure",
        run_at=timezone.now() + timedelta(seconds=2),
    )

    workers.start()
    workers.start()
    wait_for(lambda: state_of(change) == ScheduleState.DONE, seconds=90, what="the change")

    assert served_talk.get_ivr(line.id).name == HOLIDAY + " (main line)"
    puts = [r for r in sandbox_server.requests() if r["method"] == "PUT"]
    assert len(puts) == 1
    assert ChangeSet.objects.filter(action=audit.Action.PUBLISH_IVR).count() == 1
