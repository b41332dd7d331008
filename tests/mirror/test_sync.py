"""The synced copy: a full sync from empty, incremental passes after changes made straight in
Zendesk (the sandbox), and passes stopped by a 503 or a 429 that resume where they stopped."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mirror import tasks
from mirror.models import SyncedIvr, SyncedLookup, SyncedPhoneNumber, SyncPass
from mirror.services import FULL, INCREMENTAL, SyncInterrupted, copy_state, run_pass
from mirror.services.sync import SETTINGS_REFRESH_PER_PASS
from mirror.signals import copy_changed

pytestmark = pytest.mark.django_db


@pytest.fixture
def differences():
    """Every Difference the copy announces, with its source, as drift capture would hear them."""
    heard: list[tuple[str, object]] = []

    def listen(*, differences, source, **kwargs):
        heard.extend((source, difference) for difference in differences)

    copy_changed.connect(listen, weak=False)
    yield heard
    copy_changed.disconnect(listen)


def _ivr_names() -> set[str]:
    return set(SyncedIvr.objects.values_list("name", flat=True))


def test_full_sync_from_empty_copies_the_whole_account(sandbox, django_capture_on_commit_callbacks):
    state = sandbox.state
    assert copy_state().ready is False

    with django_capture_on_commit_callbacks(execute=True):
        sync_pass = run_pass(FULL)

    assert sync_pass.status == SyncPass.Status.FINISHED
    assert _ivr_names() == {ivr["name"] for ivr in state.ivrs.values()}
    assert set(SyncedPhoneNumber.objects.values_list("zendesk_id", flat=True)) == set(
        state.phone_numbers
    )
    groups = SyncedLookup.objects.filter(kind="groups")
    assert set(groups.values_list("name", flat=True)) == {g["name"] for g in state.groups.values()}
    assert SyncedLookup.objects.filter(kind="greetings").count() == len(state.greetings)
    assert SyncedLookup.objects.filter(kind="schedules").count() == len(state.schedules)
    assert SyncedLookup.objects.filter(kind="addresses").count() == len(state.addresses)
    assert SyncedLookup.objects.filter(kind="greeting_categories").count() == 9
    # Menus and routes come inside each IVR, as Zendesk lists them.
    for ivr in SyncedIvr.objects.all():
        menus = state.menus_of(ivr.zendesk_id)
        assert ivr.menu_count == len(menus)
        routes = {r["id"] for menu in ivr.raw["menus"] for r in menu["routes"]}
        assert routes == {r["id"] for menu in menus for r in state.routes_of(menu["id"])}
    # Every number's settings, read one by one.
    for number in SyncedPhoneNumber.objects.all():
        assert number.settings == state.phone_numbers[number.zendesk_id]["settings"]
    # Each request Zendesk received was counted: 7 lists (one page each) + one per number.
    assert sync_pass.calls == len(sandbox.requests) == 7 + len(state.phone_numbers)
    assert copy_state().ready is True


def test_incremental_pass_finds_what_changed_in_zendesk(
    sandbox, differences, django_capture_on_commit_callbacks
):
    state = sandbox.state
    run_pass(FULL)
    support = next(ivr for ivr in state.ivrs.values() if state.menus_of(ivr["id"]))
    gone_ivr = next(ivr for ivr in state.ivrs.values() if ivr["id"] != support["id"])
    number = next(iter(state.phone_numbers.values()))
    released = next(n for n in state.phone_numbers.values() if n["id"] != number["id"])
    group = next(iter(state.groups.values()))
    differences.clear()

    # Straight in Zendesk, as in Admin Center: an IVR added, one renamed, one deleted, a menu
    # and a route added, a number changed, one released, a number's setting changed.
    with state.lock:
        added = state.add_ivr("Holiday line")
        state.ivrs[support["id"]]["name"] = "Support (renamed)"
        del state.ivrs[gone_ivr["id"]]
        menu = state.add_menu(support["id"], "Billing questions")
        route = state.add_route(menu["id"], "4", "group", {"group_ids": [group["id"]]})
        state.phone_numbers[number["id"]]["nickname"] = "Renamed line"
        del state.phone_numbers[released["id"]]
        state.phone_numbers[number["id"]]["settings"]["voicemail"] = False
    sandbox.clear_requests()

    with django_capture_on_commit_callbacks(execute=True):
        sync_pass = run_pass(INCREMENTAL)

    assert "Holiday line" in _ivr_names()
    assert "Support (renamed)" in _ivr_names()
    assert not SyncedIvr.objects.filter(zendesk_id=gone_ivr["id"]).exists()
    support_copy = SyncedIvr.objects.get(zendesk_id=support["id"])
    billing = next(m for m in support_copy.raw["menus"] if m["name"] == "Billing questions")
    assert [r["id"] for r in billing["routes"]] == [route["id"]]
    kept = SyncedPhoneNumber.objects.get(zendesk_id=number["id"])
    assert kept.label == "Renamed line"
    assert kept.settings["voicemail"] is False  # its list entry changed: its settings re-read
    assert not SyncedPhoneNumber.objects.filter(zendesk_id=released["id"]).exists()

    found = {(d.kind, d.zendesk_id, d.what) for source, d in differences}
    assert {source for source, d in differences} == {"sync"}
    assert ("ivrs", str(added["id"]), "added") in found
    assert ("ivrs", str(support["id"]), "changed") in found
    assert ("ivrs", str(gone_ivr["id"]), "deleted") in found
    assert ("phone_numbers", str(number["id"]), "changed") in found
    assert ("phone_numbers", str(released["id"]), "deleted") in found
    assert ("phone_number_settings", str(number["id"]), "changed") in found
    renamed = next(d for s, d in differences if d.kind == "ivrs" and d.what == "changed")
    assert renamed.before["name"] != renamed.after["name"] == "Support (renamed)"

    # Cheap: the lists, then at most SETTINGS_REFRESH_PER_PASS numbers' settings.
    settings_reads = sandbox.requests_to("GET", "*/phone_numbers/*")
    assert len(settings_reads) <= SETTINGS_REFRESH_PER_PASS
    assert sync_pass.calls == len(sandbox.requests) == 7 + len(settings_reads)


def test_a_pass_with_nothing_changed_announces_nothing(
    sandbox, differences, django_capture_on_commit_callbacks
):
    run_pass(FULL)
    differences.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sync_pass = run_pass(INCREMENTAL)
    assert differences == []
    assert sync_pass.differences == 0


def test_first_sync_is_announced_as_learnt_not_as_outside_changes(
    sandbox, differences, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run_pass(FULL)
    assert differences
    assert {source for source, d in differences} == {"first-sync"}


def test_a_sync_stopped_by_503_resumes_where_it_stopped(sandbox):
    state = sandbox.state
    # Every number's settings read fails, past the client's retries.
    sandbox.fail("GET", "*/phone_numbers/*", status=503)

    with pytest.raises(SyncInterrupted):
        run_pass(FULL)

    stopped = SyncPass.objects.get()
    assert stopped.status == SyncPass.Status.WAITING
    assert "503" in stopped.problem
    assert len(stopped.progress["done"]) == 7  # every list is in the copy already
    assert SyncedIvr.objects.count() == len(state.ivrs)
    assert copy_state().ready is False
    assert copy_state().running == stopped

    sandbox.app.faults.forced.clear()
    sandbox.clear_requests()
    resumed = run_pass(FULL)

    assert resumed.pk == stopped.pk
    assert resumed.status == SyncPass.Status.FINISHED
    assert resumed.attempts == 2
    # Only the settings were left: no list was read again.
    assert sandbox.requests_to("GET", "*/ivr") == []
    assert len(sandbox.requests) == len(state.phone_numbers)
    assert SyncedPhoneNumber.objects.filter(settings__isnull=True).count() == 0
    assert copy_state().ready is True


def test_a_sync_stopped_by_429_waits_as_long_as_zendesk_asks(sandbox):
    sandbox.fail("GET", "*/channels/voice/ivr", status=429, retry_after=42)

    tasks.full_sync.call()

    stopped = SyncPass.objects.get()
    assert stopped.status == SyncPass.Status.WAITING
    assert stopped.progress["done"] == [
        "groups",
        "greetings",
        "greeting_categories",
        "schedules",
        "addresses",
    ]
    again = DBTaskResult.objects.get(task_path="mirror.tasks.full_sync")
    wait = again.run_after - timezone.now()
    assert datetime.timedelta(seconds=30) < wait <= datetime.timedelta(seconds=42)

    # The wait is over (the shared rate budget honoured Retry-After: forget that pause).
    cache.clear()
    sandbox.app.faults.forced.clear()
    sandbox.clear_requests()
    tasks.full_sync.call()
    assert SyncPass.objects.get().status == SyncPass.Status.FINISHED
    assert len(sandbox.requests_to("GET", "*/groups")) == 0


def test_incremental_task_runs_the_full_sync_until_there_is_a_copy(sandbox):
    tasks.incremental_sync.call()
    assert SyncPass.objects.get().kind == FULL
    tasks.incremental_sync.call()
    assert SyncPass.objects.order_by("-pk").first().kind == INCREMENTAL


def test_a_starting_worker_queues_the_full_sync_once(db):
    from core.worker.periodic import enqueue_startup_tasks

    assert enqueue_startup_tasks() == ["mirror.tasks.full_sync"]
    assert enqueue_startup_tasks() == []  # already queued: a second worker adds none
    assert DBTaskResult.objects.filter(task_path="mirror.tasks.full_sync").count() == 1
