"""A local Talk API: the same HTTP contract as Zendesk's, with a demo account (plain WSGI).

    python -m sandbox --port 8765 [--state var/sandbox-state.json]

In-process (tests): `build_app()` gives a SandboxApp; mount it on the Talk client's session
with talk.wsgi_transport.WsgiAdapter. As a process (browser tests, benchmarks, `make run`):
sandbox.process.start_sandbox().

Where it is not (or may not be) identical to Zendesk, and why:
- Zendesk does not document its 422 texts for Talk: the messages are ours, in Zendesk's
  envelope, with details keyed by the field (keypress, action, options, name, greeting_id, ...).
- Two refusals are the sandbox's own choices, which no source establishes: a second route for
  a keypress already used in the menu answers 422 (Zendesk's reaction is undocumented), and a
  number search without `country` answers 400 (documented as required, yet a real account
  answered 200 with an empty list). TalkAdmin never relies on either: its planner frees a
  keypress before reusing it and its lint refuses duplicates; its search form always sends the
  country.
- Like Zendesk, it accepts a route to a group that does not exist (option_text null) and a menu
  route to its own menu. option_text of phone_number and textback routes (the number, the text)
  and of routes to several groups (names joined by ", ") are our guesses.
- Unconfirmed behaviours, chosen to be the strict-but-plausible one: deleting the default menu
  is refused (422); deleting a menu keeps other menus' routes to it, dangling; menu and route
  deletes answer 200 with the deleted object; PUT /ivr ignores `menus`; a menu's `default` is
  read-only; options sent without their action are refused (422).
- Phone-number create answers 200, as the document shows (other creates answer 201).
- Some numbers need a verified business, which Zendesk documents the API cannot supply; how
  Zendesk refuses one is undocumented. The demo's Berlin number (+49 30 5550 1077) stands for
  them: its search entry looks like any other, and provisioning it (with the demo's Berlin
  address) answers 422 with a "base" detail saying it needs a verified business.
- include=ivrs, all_greetings, all_groups and all_schedules are accepted but add nothing (their
  shapes are undocumented); settings are read and written only with include=settings.
- Phone-number validation is modelled, not copied: consent values always, never, opt_in,
  opt_out (only "always" is confirmed); ranges of queue sizes and times are ours; ivr_id,
  schedule_id and greeting ids must exist; SMS needs the number's SMS capability.
- Errors from Zendesk's edge (5xx) and 400s come as text/plain; an unknown path or method
  answers 404 InvalidEndpoint; a 401 answers {"error": "Couldn't authenticate you"}. A 429 is
  text/plain "Number of allowed API requests per minute exceeded" with Retry-After, as
  captured from a real account; minimal_mode numbers carry only the sms, mms and voice
  capabilities, as Zendesk's.
- One fixed-window counter stands for the account's per-minute limit; Talk's own 15,000 per
  5 minutes and the 10,000-record offset limit are not modelled. Search tokens never expire.
- Groups page by cursor (page[size], page[after]) when asked, else by offset; schedules come
  in one list. Digital lines appear only in /lines. Greetings cannot be created or uploaded.
- Credentials: exactly one email and API token (and optionally one OAuth token); there are no
  roles, so 403 only comes from a forced fault.
- A forced timeout in-process fails at once (the client sees a read timeout without waiting);
  served, it holds the request for hang_seconds.
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
