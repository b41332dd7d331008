"""A local Talk API: the same HTTP contract as Zendesk's, with a demo account (plain WSGI).

    python -m sandbox --port 8765 [--state var/sandbox-state.json]

In-process (tests): `build_app()` gives a SandboxApp; mount it on the Talk client's session
with talk.wsgi_transport.WsgiAdapter. As a process (browser tests, benchmarks, `make run`):
sandbox.process.start_sandbox().
"""

from __future__ import annotations

import os
from pathlib import Path

from sandbox.app import SandboxApp
from sandbox.demo import demo_account
from sandbox.faults import Faults
from sandbox.state import SandboxState

DEFAULT_EMAIL = "admin@sandbox.talkadmin.test"
DEFAULT_API_TOKEN = "sandbox-api-token"  # noqa: S105 - documented; only opens the local sandbox


def build_app(
    *,
    state_file: Path | None = None,
    env: dict[str, str] | None = None,
    faults: Faults | None = None,
) -> SandboxApp:
    """A sandbox serving the demo account (or the state saved in `state_file`).

    Credentials and fault knobs come from `env` (default: os.environ): SANDBOX_EMAIL,
    SANDBOX_API_TOKEN, SANDBOX_OAUTH_TOKEN and the SANDBOX_* knobs of sandbox.faults.
    """
    env = dict(os.environ if env is None else env)
    if state_file is not None:
        state = SandboxState.from_file(state_file, default=demo_account())
    else:
        state = SandboxState(demo_account())
    return SandboxApp(
        state=state,
        email=env.get("SANDBOX_EMAIL") or DEFAULT_EMAIL,
        api_token=env.get("SANDBOX_API_TOKEN") or DEFAULT_API_TOKEN,
        oauth_token=env.get("SANDBOX_OAUTH_TOKEN") or None,
        faults=faults or Faults.from_env(env),
        state_file=state_file,
        reset_to=demo_account,
    )


__all__ = [
    "DEFAULT_API_TOKEN",
    "DEFAULT_EMAIL",
    "Faults",
    "SandboxApp",
    "SandboxState",
    "build_app",
]
