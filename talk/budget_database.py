"""The shared rate budget in the site's own database: the default store (talk.budget_stores).

Every process of an installation (web workers, the background worker, commands) uses the one
database, so they share the budget with no extra server. Each change is ONE SQL statement,
atomic by itself and committed at once:

- counting a request is `INSERT ... ON CONFLICT (account, slot) DO UPDATE SET spent = spent + 1
  RETURNING spent, <the pause>`: concurrent upserts of a slot wait for each other's row lock
  and each adds to the latest count (never a read, then a write).
- talk.pacing reserves before it checks: the window is read by a second statement, after the
  count is committed, so whichever of two concurrent requests reads last sees both, and they
  can only err on the side of waiting. A reservation is written, then checked, the same way.
- SQLite (make run's trial, one machine): a writing statement holds the database's write lock
  from start to end, so writers are serialised and each upsert is atomic; the same two-step
  argument holds, with SQLite's lock in place of PostgreSQL's row lock.

The store uses a connection of its own (autocommit), never the caller's: inside a caller's
transaction the slot's row lock would be held across its Talk API calls and other processes
would not see the count until it commits. The process's threads (a page's parallel reads) share
that one connection under a lock; each statement takes well under a millisecond
(bench/rate_budget.py). A broken connection is opened again once; if the database still fails,
BudgetUnavailable: the request is not sent.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from typing import Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from talk.budget_stores import BudgetWindow, Held
from talk.errors import BudgetUnavailable
from talk.models import BudgetPause, BudgetReservation, BudgetSlot

logger = logging.getLogger("talk")

SLOT = BudgetSlot._meta.db_table
PAUSE = BudgetPause._meta.db_table
RESERVATION = BudgetReservation._meta.db_table

COUNT = f"""
    INSERT INTO {SLOT} (account, slot, spent) VALUES (%s, %s, 1)
    ON CONFLICT (account, slot) DO UPDATE SET spent = {SLOT}.spent + 1
    RETURNING spent, (SELECT blocked_until FROM {PAUSE} WHERE account = %s)
"""  # noqa: S608 - table names are our own constants; values are parameters
UNCOUNT = f"UPDATE {SLOT} SET spent = spent - 1 WHERE account = %s AND slot = %s"  # noqa: S608
FORGET_SLOTS = f"DELETE FROM {SLOT} WHERE account = %s AND slot < %s"  # noqa: S608
FORGET_RESERVATIONS = f"DELETE FROM {RESERVATION} WHERE account = %s AND expires_slot < %s"  # noqa: S608
WINDOW = f"""
    SELECT 0, slot, spent FROM {SLOT} WHERE account = %s AND slot BETWEEN %s AND %s
    UNION ALL
    SELECT 1, 0, COALESCE(SUM(calls_left), 0) FROM {RESERVATION}
        WHERE account = %s AND expires_slot >= %s
    UNION ALL
    SELECT 2, 0, blocked_until FROM {PAUSE} WHERE account = %s
"""  # noqa: S608
BLOCK = f"""
    INSERT INTO {PAUSE} (account, blocked_until) VALUES (%s, %s)
    ON CONFLICT (account) DO UPDATE SET blocked_until = excluded.blocked_until
    WHERE {PAUSE}.blocked_until < excluded.blocked_until
"""  # noqa: S608
HOLD = f"""
    INSERT INTO {RESERVATION} (account, calls_left, expires_slot) VALUES (%s, %s, %s)
    RETURNING id
"""  # noqa: S608
TAKE_HELD = f"""
    UPDATE {RESERVATION} SET calls_left = calls_left - 1 WHERE id = %s AND calls_left > 0
    RETURNING calls_left
"""  # noqa: S608
RETURN_HELD = f"UPDATE {RESERVATION} SET calls_left = calls_left + 1 WHERE id = %s"  # noqa: S608
RELEASE = f"DELETE FROM {RESERVATION} WHERE id = %s"  # noqa: S608


class DatabaseBudgetStore:
    """One account's budget in the talk_budget_* tables of the database `using`."""

    def __init__(self, *, account: str, using: str = DEFAULT_DB_ALIAS):
        self.account = account
        self.using = using
        self._connection: BaseDatabaseWrapper | None = None
        self._lock = threading.Lock()

    def count(self, slot: int, *, forget_before: int) -> float | None:
        blocked_until: float | None  # the pause's column: a double precision, or NULL
        ((spent, blocked_until),) = self._run(COUNT, [self.account, slot, self.account])
        if spent == 1:  # the first request of a new slot: forget what no window counts now
            self._run(FORGET_SLOTS, [self.account, forget_before])
            self._run(FORGET_RESERVATIONS, [self.account, forget_before])
        return blocked_until

    def uncount(self, slot: int) -> None:
        self._run(UNCOUNT, [self.account, slot])

    def window(self, counted: range, live: range) -> BudgetWindow:
        rows = self._run(
            WINDOW,
            [
                *(self.account, counted.start, counted.stop - 1),
                *(self.account, live.start),
                self.account,
            ],
        )
        counts = dict.fromkeys(counted, 0)
        held, blocked_until = 0, None
        for kind, slot, value in rows:
            if kind == 0:
                counts[int(slot)] = int(value)
            elif kind == 1:
                held = int(value)
            else:
                blocked_until = float(value)
        return BudgetWindow(counts=counts, held=held, blocked_until=blocked_until)

    def block_until(self, until: float) -> None:
        self._run(BLOCK, [self.account, until])

    def hold(self, calls: int, *, expires_slot: int) -> Held:
        ((reservation_id,),) = self._run(HOLD, [self.account, calls, expires_slot])
        return Held(id=str(reservation_id), calls=calls, expires_slot=expires_slot)

    def take_held(self, held: Held) -> bool:
        return bool(self._run(TAKE_HELD, [int(held.id)]))

    def return_held(self, held: Held) -> None:
        self._run(RETURN_HELD, [int(held.id)])

    def release(self, held: Held) -> None:
        self._run(RELEASE, [int(held.id)])

    def clear(self, slots: range) -> None:
        for table in (SLOT, PAUSE, RESERVATION):
            self._run(f"DELETE FROM {table} WHERE account = %s", [self.account])  # noqa: S608

    def close(self) -> None:
        with self._lock:
            self._drop()

    def _run(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        with self._lock:
            for attempt in (1, 2):
                connection = self._connect()
                try:
                    with connection.cursor() as cursor:
                        cursor.execute(sql, params)
                        return cursor.fetchall() if cursor.description is not None else []
                except (OperationalError, InterfaceError) as error:
                    self._drop()  # a server restart or a dropped connection: open a new one
                    if attempt == 2:
                        raise self._unavailable(error) from error
                except DatabaseError as error:
                    raise self._unavailable(error) from error
        raise AssertionError("unreachable")

    def _connect(self) -> BaseDatabaseWrapper:
        if self._connection is None:
            connection = connections.create_connection(self.using)
            connection.inc_thread_sharing()  # used by every thread, one at a time (the lock)
            self._connection = connection
        return self._connection

    def _drop(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(DatabaseError):
                self._connection.close()
            self._connection.dec_thread_sharing()
            self._connection = None

    def _unavailable(self, error: DatabaseError | InterfaceError) -> BudgetUnavailable:
        logger.error("The Talk API rate budget could not be counted in the database: %s", error)
        return BudgetUnavailable(f"the database holding the rate budget failed: {error}")
