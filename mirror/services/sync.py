"""Sync passes: bring the copy in line with what Zendesk holds.

What Zendesk's Talk API allows (../shared/TALK-API-NOTES.md "Cross-cutting", and
talk-api/zendesk-talk-research.md §8.2): Talk's lists (IVRs, phone numbers, greetings,
greeting categories, addresses) have **offset pagination only** (`page`, `per_page` ≤ 100,
`count`, and a 400 beyond 10,000 records); groups have cursor pagination (`page[size]` ≤ 100);
schedules one page. **No Talk endpoint offers an incremental export, an `updated_at` filter or a
sort by change time** (zendesk-phone-numbers.txt and zendesk-ivrs.txt document none; the only
incremental Talk exports are of calls and legs, not configuration). So a pass can only learn
what changed by reading the lists again and comparing: an IVR list page carries 100 IVRs with
their menus and routes, a number page 100 numbers. What a pass can skip is the per-number
settings, which only `GET phone_numbers/{id}?include=settings` returns (one call per number).

- **Full sync** (`FULL`): every list, then every number's settings. Calls: one per 100 of each
  list, plus one per number: at the demo account's 12 numbers and 4 IVRs, 6 lists + 12 = 18
  calls; at 5,000 numbers and 500 IVRs, 5 + 50 + ~6 list calls and 5,000 settings calls.
- **Incremental pass** (`INCREMENTAL`, on a cadence): every list again (the only way to see
  changes, additions and deletions), the settings of numbers that are new or whose list entry
  changed, and the settings of the SETTINGS_REFRESH_PER_PASS numbers read longest ago, so every
  number's settings are re-read within (numbers / SETTINGS_REFRESH_PER_PASS) passes. Calls: the
  list pages (~61 at 5,000 numbers) + changed numbers + SETTINGS_REFRESH_PER_PASS.

A pass records each step as it finishes it (SyncPass.progress; each number's settings as they
arrive), so a pass stopped by a 429 or a 5xx resumes where it stopped: the task queues itself
again after the wait Zendesk asked for.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db.models import F, Q
from django.utils import timezone

import talk
from core.api_calls.recording import ApiCallRecord, OutgoingCall, recording_calls
from core.parallel import PARALLEL_READS, in_parallel
from mirror.models import SyncedPhoneNumber, SyncPass
from mirror.services import store
from talk.client import TalkClient
from talk.errors import NotFound, RateLimited, TalkError, Unavailable

logger = logging.getLogger("mirror")

FULL = SyncPass.Kind.FULL
INCREMENTAL = SyncPass.Kind.INCREMENTAL
SETTINGS_REFRESH_PER_PASS = 20
SETTINGS_BATCH = PARALLEL_READS * 5  # settings read between two progress saves
RESUME_WITHIN = datetime.timedelta(hours=6)  # an older unfinished pass is abandoned

# The lists a pass reads, in order: the names first (what the others refer to).
COLLECTIONS: tuple[str, ...] = (*store.LOOKUP_KINDS, store.IVRS, store.PHONE_NUMBERS)


def _read_list(client: TalkClient, name: str) -> list[dict[str, Any]]:
    if name == store.IVRS:
        return [ivr.raw for ivr in client.list_ivrs()]
    if name == store.PHONE_NUMBERS:
        return [number.raw for number in client.list_phone_numbers()]
    client.forget_lookups(name)  # the lookup cache may be older than the pass
    return [item.raw for item in getattr(client, f"list_{name}")()]


def _save_list(name: str, items: list[dict[str, Any]]) -> list[store.Difference]:
    if name == store.IVRS:
        return store.replace_ivrs(items)
    if name == store.PHONE_NUMBERS:
        return store.replace_phone_numbers(items)
    return store.replace_lookups(name, items)


class SyncInterrupted(Exception):
    """Zendesk asked us to wait (429) or could not answer (5xx, timeout): the pass stopped and
    recorded its progress; run it again after `wait_seconds`."""

    def __init__(self, sync_pass: SyncPass, wait_seconds: float) -> None:
        self.sync_pass = sync_pass
        self.wait_seconds = wait_seconds
        super().__init__(f"{sync_pass} stopped; resume in {wait_seconds:.0f} s")


@dataclass
class _CallCounter:
    """Counts the Talk API requests (retries included) made inside `recording_calls`."""

    calls: int = 0

    def record_sending(self, call: OutgoingCall) -> int | None:
        return None

    def record_call(self, call: ApiCallRecord) -> None:
        self.calls += max(1, call.attempts)


@contextmanager
def _counting(sync_pass: SyncPass) -> Iterator[_CallCounter]:
    counter = _CallCounter()
    try:
        with recording_calls(counter):
            yield counter
    finally:
        SyncPass.objects.filter(pk=sync_pass.pk).update(calls=F("calls") + counter.calls)
        sync_pass.refresh_from_db(fields=["calls"])


def current_pass(kind: str) -> SyncPass:
    """The unfinished pass of `kind` to resume, or a new one."""
    unfinished = (
        SyncPass.objects.filter(
            kind=kind,
            status__in=[SyncPass.Status.RUNNING, SyncPass.Status.WAITING],
            started_at__gte=timezone.now() - RESUME_WITHIN,
        )
        .order_by("-started_at")
        .first()
    )
    if unfinished is not None:
        unfinished.attempts += 1
        unfinished.status = SyncPass.Status.RUNNING
        unfinished.save(update_fields=["attempts", "status"])
        return unfinished
    return SyncPass.objects.create(kind=kind, started_at=timezone.now())


def run_pass(kind: str) -> SyncPass:
    """Run (or resume) a pass of `kind`; returns it finished.

    Raises SyncInterrupted when Zendesk stopped it with a 429 or a 5xx (its progress is kept);
    a pass that fails otherwise is recorded as failed and its TalkError raised.
    """
    sync_pass = current_pass(kind)
    client = talk.get_client()
    try:
        with _counting(sync_pass):
            _run_steps(sync_pass, client)
    except (RateLimited, Unavailable) as stop:
        wait = getattr(stop, "retry_after", None) or 30.0
        sync_pass.status = SyncPass.Status.WAITING
        sync_pass.problem = f"Zendesk did not answer in full ({stop.status or 'no answer'})."
        sync_pass.save(update_fields=["status", "problem"])
        logger.warning("Sync pass %s stopped (%s); resuming in %.0f s", sync_pass.pk, stop, wait)
        raise SyncInterrupted(sync_pass, float(wait)) from stop
    except TalkError as failure:
        sync_pass.status = SyncPass.Status.FAILED
        sync_pass.problem = str(failure)[:500]
        sync_pass.finished_at = timezone.now()
        sync_pass.save(update_fields=["status", "problem", "finished_at"])
        raise
    sync_pass.status = SyncPass.Status.FINISHED
    sync_pass.finished_at = timezone.now()
    sync_pass.problem = ""
    sync_pass.save(update_fields=["status", "finished_at", "problem"])
    return sync_pass


def _run_steps(sync_pass: SyncPass, client: TalkClient) -> None:
    progress = sync_pass.progress
    done: list[str] = progress.setdefault("done", [])
    changed_numbers: list[int] = progress.setdefault("changed_numbers", [])
    for name in COLLECTIONS:
        if name in done:
            continue
        differences = _save_list(name, _read_list(client, name))
        done.append(name)
        if name == store.PHONE_NUMBERS:
            changed_numbers += [int(d.zendesk_id) for d in differences if d.after is not None]
        _save_progress(sync_pass, differences=len(differences))
    _read_settings(sync_pass, client, _settings_to_read(sync_pass))


def _settings_to_read(sync_pass: SyncPass) -> list[int]:
    """The numbers whose settings this pass still has to read, in the order it reads them."""
    numbers = SyncedPhoneNumber.objects.all()
    not_yet = Q(settings_read_at__isnull=True) | Q(settings_read_at__lt=sync_pass.started_at)
    if sync_pass.kind == FULL:
        return list(
            numbers.filter(not_yet).order_by("zendesk_id").values_list("zendesk_id", flat=True)
        )
    changed = set(sync_pass.progress.get("changed_numbers", []))
    wanted = list(
        numbers.filter(not_yet, zendesk_id__in=changed).values_list("zendesk_id", flat=True)
    )
    refreshed = sync_pass.progress.get("settings_refreshed", 0)
    oldest = (
        numbers.filter(not_yet)
        .exclude(zendesk_id__in=changed)
        .order_by(F("settings_read_at").asc(nulls_first=True), "zendesk_id")
        .values_list("zendesk_id", flat=True)[: max(0, SETTINGS_REFRESH_PER_PASS - refreshed)]
    )
    return [*wanted, *oldest]


def _read_settings(sync_pass: SyncPass, client: TalkClient, numbers: list[int]) -> None:
    progress = sync_pass.progress
    progress.setdefault("settings_done", 0)
    progress["settings_total"] = progress["settings_done"] + len(numbers)
    _save_progress(sync_pass)
    for start in range(0, len(numbers), SETTINGS_BATCH):
        batch = numbers[start : start + SETTINGS_BATCH]
        reads: dict[str, Callable[[], Any]] = {
            str(number_id): partial(_one_number, client, number_id) for number_id in batch
        }
        answers = in_parallel(**reads)
        differences = 0
        for number_id, raw in answers.items():
            if raw is None:  # released meanwhile
                differences += len(store.forget(store.PHONE_NUMBERS, number_id, source="sync"))
            else:
                differences += len(store.record_phone_number(raw, source="sync"))
        progress["settings_done"] += len(batch)
        if sync_pass.kind == INCREMENTAL:
            progress["settings_refreshed"] = progress.get("settings_refreshed", 0) + len(batch)
        _save_progress(sync_pass, differences=differences)


def _one_number(client: TalkClient, number_id: int) -> dict[str, Any] | None:
    try:
        return client.get_phone_number(number_id).raw
    except NotFound:
        return None


def _save_progress(sync_pass: SyncPass, *, differences: int = 0) -> None:
    sync_pass.differences += differences
    sync_pass.save(update_fields=["progress", "differences"])


# --- One object: Sync now -------------------------------------------------------------------------


def sync_ivr(ivr_id: int) -> bool:
    """Re-read one IVR (one call: it comes with its menus and routes); False if it is gone."""
    try:
        raw = talk.get_client().get_ivr(ivr_id).raw
    except NotFound:
        store.forget(store.IVRS, ivr_id, source="sync")
        return False
    store.record_ivr(raw, source="sync")
    return True


def sync_phone_number(number_id: int) -> bool:
    """Re-read one number with its settings (one call); False if it is gone."""
    raw = _one_number(talk.get_client(), number_id)
    if raw is None:
        store.forget(store.PHONE_NUMBERS, number_id, source="sync")
        return False
    store.record_phone_number(raw, source="sync")
    return True
