"""Tasks the worker tests enqueue, run by real worker processes (`manage.py db_worker`).

Each notes what it did in a file the test reads (`notes`: one line per run, written with
O_APPEND so lines from several processes never mix).
"""

import json
import os
import time

from django.tasks import task

import audit
import talk
from audit import Action, TargetType
from core.worker.locks import exclusive


def write_note(notes: str, **fields) -> None:
    line = json.dumps({"pid": os.getpid(), **fields}) + "\n"
    descriptor = os.open(notes, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, line.encode())
    finally:
        os.close(descriptor)


def read_notes(notes) -> list[dict]:
    try:
        with open(notes) as file:
            return [json.loads(line) for line in file if line.strip()]
    except FileNotFoundError:
        return []


@task(takes_context=True)
def note_run(context, *, notes: str, label: str, seconds: float = 0.0) -> float:
    started = time.time()
    time.sleep(seconds)
    write_note(notes, label=label, started=started, ended=time.time(), attempt=context.attempt)
    return started


@task()
def note_run_holding(*, notes: str, key: str, label: str, seconds: float) -> None:
    with exclusive(key, wait_seconds=60):
        started = time.time()
        time.sleep(seconds)
        write_note(notes, label=label, started=started, ended=time.time())


@task(takes_context=True)
def note_periodic_run(context) -> None:
    write_note(os.environ["WORKER_TEST_NOTES"], task_result_id=str(context.task_result.id))


@task(takes_context=True)
def rename_phone_number(
    context, *, phone_number_id: int, nickname: str, notes: str, pause_seconds: float
) -> str:
    """Converges: reads the number and renames it only when it is not so named yet. Its
    first run pauses after renaming, inside its change set, for the test to kill its worker."""
    write_note(notes, label="started", attempt=context.attempt)
    client = talk.get_client()
    with audit.change_set(
        actor=audit.Actor.system("worker test"),
        action=Action.UPDATE_PHONE_NUMBER,
        target_type=TargetType.PHONE_NUMBER,
        target_id=phone_number_id,
        target_name=nickname,
        summary=f"Rename the number to {nickname}",
        reason="The worker tests rename a number",
    ) as change:
        number = client.get_phone_number(phone_number_id)
        if number.nickname != nickname:
            number = client.update_phone_number(phone_number_id, {"nickname": nickname})
        if context.attempt == 1:
            write_note(notes, label="paused", attempt=context.attempt)
            time.sleep(pause_seconds)
        change.set_after(number.raw)
    return nickname


@task(takes_context=True, run_again_if_interrupted=False)
def send_once(context, *, notes: str, pause_seconds: float) -> None:
    """A task that must never repeat what it sent: lost once, it is failed, not run again."""
    write_note(notes, label="started", attempt=context.attempt)
    time.sleep(pause_seconds)
