"""The trial's SQLite database (make run without DATABASE_URL) keeps the budget too: several
processes racing for it on one machine never take more than the limit together.

SQLite serialises writers (each writing statement holds the database's write lock to its end),
so each count is atomic; the window is read by a second statement after it, as on PostgreSQL.
"""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
LIMIT, PROCESSES, ATTEMPTS = 25, 2, 20
SPENDER = """
import sys

import django

django.setup()
from talk.budget_database import DatabaseBudgetStore
from talk.pacing import BudgetExhausted, RateBudget

limit, attempts = int(sys.argv[1]), int(sys.argv[2])
budget = RateBudget(store=DatabaseBudgetStore(account="https://trial.zendesk.com"), limit=limit)
print("ready", flush=True)
sys.stdin.readline()  # "go": every process is set up, so they race
granted = 0
for _ in range(attempts):
    try:
        budget.acquire(max_wait=0)
        granted += 1
    except BudgetExhausted:
        pass
print(granted)
"""


def test_processes_sharing_the_trials_sqlite_file_never_exceed_the_limit(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'trial.sqlite3'}",
        "ENV_FILE": os.devnull,
        "DJANGO_SETTINGS_MODULE": "talkadmin.settings",
    }
    manage = [sys.executable, "manage.py", "migrate", "talk", "--no-input", "-v", "0"]
    migrate = subprocess.Popen(manage, cwd=BASE_DIR, env=env)
    spenders = [
        subprocess.Popen(
            [sys.executable, "-c", SPENDER, str(LIMIT), str(ATTEMPTS)],
            cwd=BASE_DIR,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    assert migrate.wait(timeout=60) == 0
    for spender in spenders:
        assert spender.stdout.readline().strip() == "ready"
    for spender in spenders:
        spender.stdin.write("go\n")
        spender.stdin.flush()
    results = [spender.communicate(timeout=60) for spender in spenders]
    assert all(spender.returncode == 0 for spender in spenders), results
    granted = sum(int(out) for out, _ in results)

    import sqlite3

    with sqlite3.connect(tmp_path / "trial.sqlite3") as database:
        (counted,) = database.execute("SELECT SUM(spent) FROM talk_budget_slot").fetchone()
    assert PROCESSES * ATTEMPTS > LIMIT  # more wanted than allowed
    assert 1 <= granted <= LIMIT
    assert counted == granted  # every refusal gave its count back
