"""How complete and how fresh the copy is: what pages say about it, and what the home page
shows while the first sync of a large account runs."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from mirror.models import SyncedPhoneNumber, SyncPass


@dataclass(frozen=True, slots=True)
class CopyState:
    ready: bool  # a full sync has finished: pages can read the copy
    synced_at: datetime.datetime | None  # when the last pass (full or incremental) finished
    running: SyncPass | None  # the pass under way (or waiting for Zendesk), if any
    numbers: int  # numbers in the copy

    @property
    def settings_progress(self) -> tuple[int, int] | None:
        """(read, to read) of the numbers' settings in the running pass."""
        if self.running is None:
            return None
        progress = self.running.progress
        if "settings_total" not in progress:
            return None
        return int(progress.get("settings_done", 0)), int(progress["settings_total"])

    @property
    def lists_done(self) -> int:
        return len(self.running.progress.get("done", ())) if self.running else 0


def copy_state() -> CopyState:
    """Three small indexed queries."""
    finished = SyncPass.objects.filter(status=SyncPass.Status.FINISHED)
    last = finished.order_by("-finished_at").first()
    running = (
        SyncPass.objects.filter(status__in=[SyncPass.Status.RUNNING, SyncPass.Status.WAITING])
        .order_by("-started_at")
        .first()
    )
    return CopyState(
        ready=finished.filter(kind=SyncPass.Kind.FULL).exists(),
        synced_at=last.finished_at if last else None,
        running=running,
        numbers=SyncedPhoneNumber.objects.count(),
    )


def copy_ready() -> bool:
    """Whether a full sync has finished, so the copy holds the whole account."""
    return SyncPass.objects.filter(
        kind=SyncPass.Kind.FULL, status=SyncPass.Status.FINISHED
    ).exists()
