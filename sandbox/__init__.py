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
  in one list. Digital lines appear only in /lines.
- Greetings follow Zendesk's Greetings reference
  (https://developer.zendesk.com/api-reference/voice/talk-api/greetings/), its quick start
  "upload an audio file for a Talk greeting"
  (https://developer.zendesk.com/documentation/voice/talk-api/talk-greeting-upload: create with
  name and category_id, then upload the audio, 10 MB at most; the reference names .mp3 and
  .wav) and real answers recorded in
  public repositories (a create's 201 with pending true, audio_url null, has_sub_settings true;
  an English account's default greetings with their ids, names and static.zdassets.com audio).
  Where those are silent, the sandbox chose, and may differ from Zendesk:
  - the audio upload: the stored quick start is cut before its upload request, so the sandbox
    takes a multipart PUT to /greetings/{id} with the file in greeting[upload][uploaded_data],
    Zendesk's documented pattern for a file on a record (user photos), and answers 200 with
    the greeting; unconfirmed on a live account. MP3 and WAV are told apart by their bytes;
    anything else, an empty file or one over 10 MiB answers 422 keyed "upload", a body over
    10 MiB + 64 KiB 413 in plain text, unread;
  - the list's category filter is ?category_id=N; delete answers 200 with the greeting (as
    the IVR delete does); a greeting in use can be deleted, and what used it falls back to
    Zendesk's default (menus play none); a rename ignores category_id (writable on create
    only); Zendesk's defaults cannot be renamed, re-recorded or deleted (422 keyed "base");
  - the account's own audio_url is a path on the account's host
    (/system/voice/uploads/{upload_id}/{audio_name}, as the reference's example), served only
    with the API's credentials (whether Zendesk asks for them there is unconfirmed);
    defaults' audio_url is absolute, on SANDBOX_ASSETS_URL (default: the sandbox), served
    without credentials like Zendesk's CDN; audio requests are not counted in the rate limit;
  - active is "used by one or more phone numbers": a number uses the greeting it chose for a
    category (categorised_greetings, greeting_ids), else that category's default (the
    voicemail-off one for voicemail and available when its voicemail is off), and an IVR
    greeting is used by the numbers its IVR answers (a guess); phone_number_ids likewise;
  - the demo's and seeded greetings' recordings are espeak-ng speech and sox music made by
    sandbox/recordings/make_recordings.sh, not Zendesk's own; Japanese and call-monitoring
    defaults are left out. Uploaded audio is kept in memory in-process, and in the folder
    `<state file stem>-audio` beside a state file (never inside it).
- Credentials: exactly one email and API token (and optionally one OAuth token); there are no
  roles, so 403 only comes from a forced fault.
- A forced timeout in-process fails at once (the client sees a read timeout without waiting);
  served, it holds the request for hang_seconds. A forced drop closes the connection with no
  answer (served: the socket is shut; in-process: the client sees the connection broken). With
  after_applying ("applied, answer lost", sandbox.faults) either happens, or a 500 comes, after
  the request was carried out: Zendesk's behaviour when its answer is lost on the way back.
"""

from __future__ import annotations

import os
from pathlib import Path

from sandbox.app import SandboxApp
from sandbox.audio import AudioStore
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
    SANDBOX_API_TOKEN, SANDBOX_OAUTH_TOKEN, SANDBOX_ASSETS_URL (where Zendesk's default
    greetings' audio is said to be, default the sandbox itself) and the SANDBOX_* knobs of
    sandbox.faults. Uploaded audio is kept in the folder `<state file stem>-audio` beside it.
    """
    env = dict(os.environ if env is None else env)
    if state_file is not None:
        # Uploaded audio is kept beside the state file, never inside it.
        audio = AudioStore(state_file.with_name(f"{state_file.stem}-audio"))
        state = SandboxState.from_file(state_file, default=demo_account(), audio=audio)
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
        assets_url=env.get("SANDBOX_ASSETS_URL") or None,
    )


__all__ = [
    "DEFAULT_API_TOKEN",
    "DEFAULT_EMAIL",
    "Faults",
    "SandboxApp",
    "SandboxState",
    "build_app",
]
