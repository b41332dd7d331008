"""A local Dialpad API: the custom IVR and lookup endpoints TalkAdmin uses, with a demo company.

    python -m sandbox.dialpad --port 8767 [--state var/dialpad-sandbox-state.json] [--no-save]

In-process (tests): `build_app()` gives a DialpadSandboxApp; mount it on the Dialpad client's
session with talk.wsgi_transport.WsgiAdapter. As a process: sandbox.dialpad.process.
It accepts exactly DIALPAD_SANDBOX_API_KEY (default below). Fault knobs: DIALPAD_SANDBOX_LATENCY_MS,
_FAILURE_RATE and _FORCE as in sandbox.faults, and DIALPAD_SANDBOX_RATE_LIMIT_PER_SECOND (429
beyond it; in the faults' JSON it is `rate_limit_per_minute`, counted per one-second window).

What it follows:
- ../shared/talk-api/dialpad-custom-ivrs.txt (assign: path enums, ivr_id, select_option) and
  Dialpad's OpenAPI description (github.com/dialpad/dialpad-python-sdk, dialpad_api_spec.json):
  GET /api/v2/customivrs (target_type and target_id required, cursor; items of {"ivr_type",
  "ivrs"}), POST /api/v2/customivrs (file Base64 MP3, ivr_type, target_id, target_type required;
  target_type callcenter, coachingteam, department, office or user; name at most 100
  characters and description 256, single line), PATCH /api/v2/customivrs/{ivr_id} (name,
  description), PATCH and DELETE /api/v2/customivrs/{target_type}/{target_id}/{ivr_type}
  (ivr_id required; select_option inbound|outbound "for call center auto call recording only");
  offices (active_only), departments and call centres (office_id, name_search), users (state,
  email), each also by id; cursor pages (`cursor`, `items`). Answers as its examples: 64-bit
  ids and date_added (milliseconds) as strings, `selected` per recording.
- "Authentication Basics": the API key as `Authorization: Bearer` or the `apikey` parameter.
- "HTTP Status Codes": 400 for bad or missing parameters, 401, 404, 413, 429.
- "Rate Limits": 20 requests a second per company (the knob models it, off by default).

Where it is not (or may not be) identical to Dialpad, and why:
- Error bodies are undocumented: the sandbox answers Google Cloud Endpoints' shape
  {"error": {"code", "errors": [{"domain", "message", "reason"}], "message"}} (Dialpad's example
  ids are App Engine keys); the messages are the sandbox's own. 429 carries no Retry-After
  (none is documented); forced faults can add one. An unknown path answers 404 in plain text.
- An upload plays at once: its example answer is `selected: true`, so the sandbox makes a new
  recording the one its situation plays (the previous one stays, unselected).
- Assigning takes only a recording uploaded for the same target and situation (404 for any
  other id): whether Dialpad accepts another target's or situation's recording is not
  documented, and TalkAdmin never relies on it.
- DELETE ("Delete and un-assign an Ivr from a target") removes the recording: the situation
  plays Dialpad's default if it was the one playing; the answer is the recording, unselected.
- select_option on another target or situation is refused (400); with it, the call centre's
  AUTO_RECORDING plays that recording for that direction only, and the list then shows two
  selected recordings (the API does not say which plays for which direction).
- Every ivr_type is accepted for every target type (Dialpad documents no restriction beyond
  words such as "currently only for user"); every target_type of the document is accepted,
  and the demo has a target of each ("unknown" has none: 404).
- Size: Dialpad documents no limit for the MP3; the sandbox takes up to 10 MB (413 beyond), as
  TalkAdmin sends. "MP3" is recognised by the bytes (an ID3 tag or an MPEG audio frame).
- Situations with no recording are left out of the list (as the example shows only some); a
  user's `state` defaults to every state when not given; name_search matches a substring,
  case-insensitively. No rate-limit or request-id headers (none documented).
- The audio is never served (Dialpad's API has no endpoint for it): the sandbox keeps each
  recording's size and SHA-256, shown under GET /sandbox/state, not its bytes.
"""

from __future__ import annotations

import os
from pathlib import Path

from sandbox.dialpad.app import DialpadSandboxApp, per_second
from sandbox.dialpad.demo import demo_company
from sandbox.dialpad.state import DialpadState
from sandbox.faults import Faults

DEFAULT_API_KEY = "sandbox-dialpad-api-key"  # documented; it opens the local sandbox only
ENV_PREFIX = "DIALPAD_SANDBOX_"


def build_app(
    *,
    state_file: Path | None = None,
    env: dict[str, str] | None = None,
    faults: Faults | None = None,
) -> DialpadSandboxApp:
    """A sandbox serving the demo company (or the state saved in `state_file`).

    The API key and fault knobs come from `env` (default: os.environ), in the DIALPAD_SANDBOX_*
    variables of this module's docstring.
    """
    env = dict(os.environ if env is None else env)
    if state_file is not None:
        state = DialpadState.from_file(state_file, default=demo_company())
    else:
        state = DialpadState(demo_company())
    if faults is None:
        faults = Faults.from_env(env, prefix=ENV_PREFIX)
        limit = env.get(f"{ENV_PREFIX}RATE_LIMIT_PER_SECOND")
        faults.rate_limit_per_minute = int(limit) if limit else None
    return DialpadSandboxApp(
        state=state,
        api_key=env.get(f"{ENV_PREFIX}API_KEY") or DEFAULT_API_KEY,
        faults=per_second(faults),
        state_file=state_file,
        reset_to=demo_company,
    )


__all__ = ["DEFAULT_API_KEY", "DialpadSandboxApp", "DialpadState", "build_app"]
