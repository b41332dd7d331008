"""exclusive(key): one holder at once across processes, re-entrant in a thread, and gone
with its holder, on PostgreSQL (advisory locks) and on the SQLite trial (lock files)."""

import os
import secrets
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection

from core.worker.locks import AlreadyRunning, acquire, exclusive, is_held
from tests.browser.live_site import served_database_url
from tests.worker.conftest import BASE_DIR, wait_for

HOLDER = """
import sys, time, django
django.setup()
from core.worker.locks import exclusive
with exclusive(sys.argv[1]):
    print("held", flush=True)
    time.sleep(120)
"""

TRY = """
import sys, django
django.setup()
from core.worker.locks import AlreadyRunning, exclusive, is_held
print("held by someone" if is_held(sys.argv[1]) else "free", flush=True)
try:
    with exclusive(sys.argv[1]):
        print("taken", flush=True)
except AlreadyRunning as refusal:
    print("refused:", refusal.user_message, flush=True)
"""


def in_other_thread(work):
    """Run `work` in a thread of its own, so on its own database session; return its result."""
    outcome = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except Exception as error:
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def try_to_take(key: str) -> str:
    def attempt() -> str:
        try:
            with exclusive(key):
                return "taken"
        except AlreadyRunning:
            return "refused"

    return in_other_thread(attempt)


def process_env(database_url: str, var_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "ENV_FILE": os.devnull,
        "DJANGO_SETTINGS_MODULE": "talkadmin.settings",
        "DATABASE_URL": database_url,
        "VAR_DIR": str(var_dir),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DEBUG": "false",
    }


def start_holder(key: str, env: dict[str, str]) -> subprocess.Popen:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, key],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    return holder


def try_in_process(key: str, env: dict[str, str]) -> list[str]:
    attempt = subprocess.run(
        [sys.executable, "-c", TRY, key],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return attempt.stdout.splitlines()


@pytest.mark.django_db(transaction=True)
def test_a_key_has_one_holder_at_once_and_is_re_entrant_in_its_thread():
    with exclusive("ivr:42"):
        assert try_to_take("ivr:42") == "refused"
        assert try_to_take("ivr:7") == "taken"  # other keys are not held up
        with exclusive("ivr:42"):  # a service called by a task that already holds it
            pass
        assert in_other_thread(lambda: is_held("ivr:42")) is True  # still held after the inner
    assert try_to_take("ivr:42") == "taken"
    assert is_held("ivr:42") is False


@pytest.mark.django_db(transaction=True)
def test_waiting_for_a_key_gets_it_once_its_holder_lets_go():
    holder_ready, let_go = threading.Event(), threading.Event()

    def holder() -> None:
        with exclusive("number:5"):
            holder_ready.set()
            let_go.wait(timeout=30)
        connection.close()

    thread = threading.Thread(target=holder)
    thread.start()
    assert holder_ready.wait(timeout=10)
    with pytest.raises(AlreadyRunning):
        acquire("number:5")  # no waiting: refused at once
    threading.Timer(0.5, let_go.set).start()
    acquire("number:5", wait_seconds=20).release()
    thread.join()


@pytest.mark.django_db(transaction=True)
def test_a_lock_dies_with_the_process_holding_it_on_postgresql(tmp_path):
    env = process_env(served_database_url(), tmp_path)
    holder = start_holder("ivr:42", env)
    try:
        assert is_held("ivr:42") is True
        assert try_to_take("ivr:42") == "refused"
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
    wait_for(lambda: not is_held("ivr:42"), seconds=10, what="the lock to go with its process")
    assert try_to_take("ivr:42") == "taken"


def test_on_the_sqlite_trial_a_lock_file_holds_between_processes_and_dies_with_its_holder(
    tmp_path,
):
    env = process_env(f"sqlite:///{tmp_path / 'trial.sqlite3'}", tmp_path)
    holder = start_holder("ivr:42", env)
    try:
        assert try_in_process("ivr:42", env) == [
            "held by someone",
            "refused: This is already being done elsewhere. Try again once that has finished.",
        ]
        assert try_in_process("ivr:7", env) == ["free", "taken"]
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
    assert try_in_process("ivr:42", env) == ["free", "taken"]
    assert list((tmp_path / "locks").iterdir()) == []  # each holder removes its file
