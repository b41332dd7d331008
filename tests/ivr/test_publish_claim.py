"""A worker dies mid-publish: its claim holds the draft for 15 minutes, unless an editor releases
it sooner, after a plain warning and a fresh read of Zendesk, recorded in the audit log."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import ChangeSet
from ivr.models import Draft
from ivr.services import DraftBusy, PublishOutcome, publish_draft
from tests.ivr.drafting import actor, calls_of, ivr_change_sets, ivr_id, live_route, writes
from tests.ivr.lost_answers import WorkerKilled, losing
from tests.ivr.page_html import html, text
from tests.ivr.test_publish_failures import promotions_menus, spring_sale_draft

pytestmark = pytest.mark.django_db
MENU_CREATE = 0


def died_mid_publish(sandbox, editor, *, minutes_ago: float) -> Draft:
    """A publish whose worker was killed while Zendesk made its first change (the new menu),
    leaving the draft claimed as a SIGKILLed worker does."""
    draft = spring_sale_draft(sandbox, editor)
    with losing(sandbox, at=MENU_CREATE, kind="worker killed"), pytest.raises(WorkerKilled):
        publish_draft(draft=draft, actor=actor(editor), reason="Spring sale")
    since = timezone.now() - timedelta(minutes=minutes_ago)
    Draft.objects.filter(pk=draft.pk).update(publishing_since=since, publishing_by=editor)
    sandbox.clear_requests()
    return Draft.objects.get(pk=draft.pk)


def release_url(ivr: int) -> str:
    return reverse("ivr:publish_release", args=[ivr])


def hidden(form) -> dict[str, str]:
    return {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}


def test_an_editor_releases_a_dead_publish_after_a_warning_and_publishes_again(
    as_editor, sandbox, editor
):
    draft = died_mid_publish(sandbox, editor, minutes_ago=5)
    with pytest.raises(DraftBusy):  # held by the dead publish
        publish_draft(draft=draft, actor=actor(editor), reason="Again")
    publish_page = html(as_editor.get(reverse("ivr:publish", args=[draft.ivr_id])))
    assert "If it is stuck, release it…" in text(publish_page.select_one(".publish-claim"))

    page = html(as_editor.get(release_url(draft.ivr_id)))

    assert "Release it only if you know that publish is not running any more" in text(page)
    still = [text(li) for li in page.select(".change-list li")]
    assert "A new menu 'Promotions' is added, with no greeting yet." not in still  # made, found
    assert "Press 5 in menu 'Main menu' now goes to the menu 'Promotions'." in still
    form = page.find("button", string="Release the publish").find_parent("form")
    response = as_editor.post(form["action"], {**hidden(form), "reason": "Worker restarted"})

    assert response.status_code == 303
    assert not Draft.objects.get(pk=draft.pk).is_being_published()
    released = ChangeSet.objects.get(action="release_publish_claim")
    assert released.reason == "Worker restarted"
    assert released.summary.startswith(
        "Released the publish of the draft of the IVR 'Main support line' that Bob Editor started"
    )
    (dead,) = [c for c in ivr_change_sets(ivr_id(sandbox)) if c.action == "publish_ivr"]
    assert f"Its change #{dead.pk} ended interrupted." in released.summary
    assert calls_of(released) == [] and writes(sandbox) == []  # nothing sent to Zendesk

    again = publish_draft(
        draft=Draft.objects.get(pk=draft.pk), actor=actor(editor), reason="Spring sale"
    )
    assert again.outcome == PublishOutcome.APPLIED
    (menu,) = promotions_menus(sandbox)  # the dead publish's menu, not a second one
    assert live_route(sandbox, "Main menu", "5")["options"]["menu_id"] == menu["id"]


def test_a_publish_started_a_minute_ago_cannot_be_released_yet(as_editor, sandbox, editor):
    draft = died_mid_publish(sandbox, editor, minutes_ago=1)

    page = html(as_editor.get(release_url(draft.ivr_id)))
    button = page.find("button", string="Release the publish")
    response = as_editor.post(
        release_url(draft.ivr_id),
        {**hidden(button.find_parent("form")), "reason": "Impatient"},
    )

    assert button.has_attr("disabled")
    assert response.status_code == 409
    assert "it may well still be running. Nothing was released" in text(html(response))
    assert Draft.objects.get(pk=draft.pk).is_being_published()
    assert not ChangeSet.objects.filter(action="release_publish_claim").exists()


def test_a_release_for_a_claim_that_changed_since_the_page_was_shown_is_refused(
    as_editor, sandbox, editor
):
    draft = died_mid_publish(sandbox, editor, minutes_ago=5)
    form = html(as_editor.get(release_url(draft.ivr_id))).find(
        "form", action=release_url(draft.ivr_id)
    )
    Draft.objects.filter(pk=draft.pk).update(publishing_since=timezone.now() - timedelta(minutes=3))

    response = as_editor.post(release_url(draft.ivr_id), {**hidden(form), "reason": "Stuck"})

    assert response.status_code == 409
    assert "That publish is no longer holding the draft" in text(html(response))
    assert Draft.objects.get(pk=draft.pk).is_being_published()


def test_releasing_needs_a_reason_and_zendesk_to_be_read(as_editor, sandbox, editor):
    draft = died_mid_publish(sandbox, editor, minutes_ago=5)
    form = html(as_editor.get(release_url(draft.ivr_id))).find(
        "form", action=release_url(draft.ivr_id)
    )

    no_reason = as_editor.post(release_url(draft.ivr_id), hidden(form))
    sandbox.fail("GET", "*/ivr/*", status=503)
    down = as_editor.post(release_url(draft.ivr_id), {**hidden(form), "reason": "Stuck"})

    assert no_reason.status_code == 422
    assert "Say why you are making this change" in text(html(no_reason))
    assert down.status_code == 503
    assert "Nothing was released: Zendesk could not be read." in text(html(down))
    assert Draft.objects.get(pk=draft.pk).is_being_published()


def test_without_a_stuck_publish_the_page_says_there_is_nothing_to_release(
    as_editor, sandbox, editor
):
    draft = spring_sale_draft(sandbox, editor)

    page = html(as_editor.get(release_url(draft.ivr_id)))

    assert "No publish is holding this draft now" in text(page)
    assert page.find("button", string="Release the publish") is None
