"""TalkAdmin served as in production, for the browser tests: gunicorn, DEBUG off, collected
static files, the pytest-django test database, and the Talk sandbox as its own process."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from sandbox.process import RunningSandbox, start_sandbox, stop_process
from talkadmin.serving import serve_site, site_environment
from tests.database_role import subprocess_database_url

BASE_DIR = Path(__file__).resolve().parents[2]
SANDBOX_EMAIL = "owner@northwind.example"
# The settings a served site would hold, so the browser tests can look for them in pages and logs.
SECRET_NAMES = ("SECRET_KEY", "TALK_API_TOKEN", "AUDIT_HMAC_KEYS")


@dataclass
class LiveSite:
    """The served site: `url`, the `sandbox` behind it, its server `log`, and its `secrets`."""

    url: str
    sandbox: RunningSandbox
    process: subprocess.Popen
    log: Path
    cache_dir: Path
    static_root: Path
    secrets: dict[str, str] = field(default_factory=dict)

    def log_text(self) -> str:
        """Everything the site's server has logged so far (gunicorn, Django, TalkAdmin)."""
        return self.log.read_text(errors="replace")

    def reset(self) -> None:
        """Back to the sandbox's demo account, an empty cache (lookups) and an untouched rate
        budget (kept in the test database, the default store)."""
        from talk.budget_database import DatabaseBudgetStore

        self.sandbox.reset()
        for entry in self.cache_dir.iterdir():
            entry.unlink()
        budget = DatabaseBudgetStore(account=self.sandbox.base_url)
        budget.clear(range(0))
        budget.close()

    def stop(self) -> None:
        stop_process(self.process, timeout=15)
        self.sandbox.stop()
        shutil.rmtree(self.static_root, ignore_errors=True)
        shutil.rmtree(self.cache_dir, ignore_errors=True)


def served_database_url() -> str:
    """The URL of the database pytest-django set up (test_<name>), for the served site: logged
    in as the site's least-privilege role (tests/database_role.py), as in production."""
    return subprocess_database_url()


def start_live_site(*, secret_key: str, artifacts: Path, workers: int = 2) -> LiveSite:
    """Start the sandbox and the site on free ports; wait until both answer.

    The site shares `secret_key` with the test process, so sessions the tests create (see
    tests/browser/windows.py) are valid there. Its cache is a folder, shared by the workers and
    emptied by `LiveSite.reset()`.
    """
    api_token = f"talk-token-{secrets.token_hex(16)}"
    sandbox_env = {**os.environ, "SANDBOX_EMAIL": SANDBOX_EMAIL, "SANDBOX_API_TOKEN": api_token}
    sandbox = start_sandbox(env=sandbox_env)
    static_root = Path(tempfile.mkdtemp(prefix="talkadmin-static-"))
    cache_dir = Path(tempfile.mkdtemp(prefix="talkadmin-cache-"))
    env = site_environment(
        {
            "SECRET_KEY": secret_key,
            "DATABASE_URL": served_database_url(),
            "STATIC_ROOT": str(static_root),
            "CACHE_URL": f"filecache://{cache_dir}",
            "TALK_BASE_URL": sandbox.base_url,
            "TALK_EMAIL": sandbox.email,
            "TALK_API_TOKEN": api_token,
            "TALK_SANDBOX": "true",
            # The tests click quickly; pacing to a real plan's budget would only slow them down.
            "TALK_RATE_LIMIT_PER_MINUTE": "100000",
            "LOG_LEVEL": "INFO",
        }
    )
    try:
        served = serve_site(env, log=artifacts / "site.log", workers=workers)
    except Exception:
        sandbox.stop()
        shutil.rmtree(static_root, ignore_errors=True)
        shutil.rmtree(cache_dir, ignore_errors=True)
        raise
    return LiveSite(
        url=served.url,
        sandbox=sandbox,
        process=served.process,
        log=served.log,
        cache_dir=cache_dir,
        static_root=static_root,
        secrets={
            "SECRET_KEY": secret_key,
            "TALK_API_TOKEN": api_token,
            # The served site inherits this process's AUDIT_HMAC_KEYS, so both sign alike.
            **{
                f"audit signing key {index}": secret
                for index, secret in enumerate(settings.AUDIT_HMAC_KEYS.secrets())
            },
        },
    )
