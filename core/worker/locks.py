"""At most one holder at once for a key, across every process of the installation.

    from core.worker.locks import AlreadyRunning, exclusive

    with exclusive(f"ivr:{ivr_id}"):          # or exclusive(key, wait_seconds=30)
        ...publish: no other worker, web server or command holds "ivr:<id>" meanwhile...

`exclusive` raises AlreadyRunning (with a plain message) when another process holds the key,
at once or after `wait_seconds`. A lock is held by the process (on PostgreSQL: by this thread's
database connection) until the block ends or the process dies, so a killed worker never leaves
a lock behind. It is re-entrant within one thread: a service that takes "ivr:42" can be called
by a task that already holds it.

On PostgreSQL it is a session-level advisory lock (pg_try_advisory_lock) on a 64-bit number
made from the key; do not close the database connection inside the block. On SQLite, which
only the single-machine trial (`make run`) uses, it is an flock()ed file under VAR_DIR/locks,
released by the kernel when the process dies.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection

POLL_SECONDS = 0.1
logger = logging.getLogger(__name__)


class AlreadyRunning(Exception):
    """Another process holds the lock of `key`."""

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(f"Another process is already working on {key}.")

    @property
    def user_message(self) -> str:
        return "This is already being done elsewhere. Try again once that has finished."


def lock_number(key: str) -> int:
    """The signed 64-bit number PostgreSQL's advisory lock functions take for `key`."""
    digest = hashlib.sha256(f"talkadmin:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


# What this thread holds: key -> [times taken, file descriptor (SQLite trial) or None].
_held = threading.local()


def _held_here() -> dict[str, list]:
    if not hasattr(_held, "keys"):
        _held.keys = {}
    return _held.keys


@dataclass
class HeldLock:
    """A lock taken by `acquire`; give it back with `release()` (once)."""

    key: str

    def release(self) -> None:
        held = _held_here()
        entry = held.get(self.key)
        if entry is None:
            return
        entry[0] -= 1
        if connection.vendor == "postgresql":
            _postgres_release(lock_number(self.key))
        if entry[0] == 0:
            del held[self.key]
            if entry[1] is not None:
                _file_release(_lock_file(self.key), entry[1])


def acquire(key: str, *, wait_seconds: float = 0.0) -> HeldLock:
    """Take the lock of `key` or raise AlreadyRunning (at once, or after `wait_seconds`)."""
    deadline = time.monotonic() + wait_seconds
    while True:
        if _try(key):
            return HeldLock(key)
        if time.monotonic() >= deadline:
            raise AlreadyRunning(key)
        time.sleep(POLL_SECONDS)


@contextmanager
def exclusive(key: str, *, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold the lock of `key` for the block; AlreadyRunning if another process holds it."""
    held = acquire(key, wait_seconds=wait_seconds)
    try:
        yield
    finally:
        held.release()


def held_by_this_thread(key: str) -> bool:
    return key in _held_here()


def is_held(key: str) -> bool:
    """Whether any process (this thread included) holds the lock of `key` right now."""
    if held_by_this_thread(key):
        return True
    if connection.vendor == "postgresql":
        return _postgres_is_held(lock_number(key))
    path = _lock_file(key)
    if not path.exists():
        return False
    descriptor = _file_try(path)
    if descriptor is None:
        return True
    _file_release(path, descriptor)
    return False


def _try(key: str) -> bool:
    held = _held_here()
    if connection.vendor == "postgresql":
        if not _postgres_try(lock_number(key)):
            return False
        descriptor = None
    elif key in held:
        descriptor = held[key][1]
    else:
        descriptor = _file_try(_lock_file(key))
        if descriptor is None:
            return False
    entry = held.setdefault(key, [0, descriptor])
    entry[0] += 1
    return True


# --- PostgreSQL: session-level advisory locks -------------------------------------------------
def _postgres_try(number: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [number])
        return bool(cursor.fetchone()[0])


def _postgres_release(number: int) -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [number])
    except DatabaseError:
        # A lock that cannot be given back must not outlive its holder: close the session.
        logger.warning("Could not release advisory lock %s; closing the connection", number)
        connection.close()


def _postgres_is_held(number: int) -> bool:
    # pg_locks shows a bigint advisory key as its high and low 32 bits, with objsubid 1.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT EXISTS (
                SELECT 1 FROM pg_locks
                WHERE locktype = 'advisory' AND granted AND objsubid = 1
                  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                  AND classid::bigint = %s AND objid::bigint = %s
            )
            """,
            [(number >> 32) & 0xFFFF_FFFF, number & 0xFFFF_FFFF],
        )
        return bool(cursor.fetchone()[0])


# --- SQLite trial: lock files on the one machine ------------------------------------------------
def _lock_file(key: str) -> Path:
    return Path(settings.VAR_DIR) / "locks" / f"{lock_number(key) & 0xFFFF_FFFF_FFFF_FFFF:016x}"


def _file_try(path: Path) -> int | None:
    """An open, flock()ed descriptor of `path`, or None when another process holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            return None
        # The last holder removes the file as it lets go: locking the removed file is no lock.
        try:
            current = os.stat(path).st_ino == os.fstat(descriptor).st_ino
        except FileNotFoundError:
            current = False
        if current:
            return descriptor
        os.close(descriptor)


def _file_release(path: Path, descriptor: int) -> None:
    try:
        path.unlink(missing_ok=True)
    finally:
        os.close(descriptor)
