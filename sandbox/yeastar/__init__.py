"""A local Yeastar P-Series PBX API: the endpoints TalkAdmin uses, with a demo PBX (plain WSGI).

    python -m sandbox.yeastar --port 8766 [--state var/yeastar-sandbox-state.json] [--no-save]

In-process (tests): `build_app()` gives a YeastarSandboxApp; mount it on the Yeastar client's
session with talk.wsgi_transport.WsgiAdapter. As a process: sandbox.yeastar.process.
It accepts exactly YEASTAR_SANDBOX_CLIENT_ID / YEASTAR_SANDBOX_CLIENT_SECRET (defaults below);
tokens last YEASTAR_SANDBOX_TOKEN_SECONDS (1800, as on a PBX) and refresh tokens
YEASTAR_SANDBOX_REFRESH_SECONDS (86400); YEASTAR_SANDBOX_LATENCY_MS, _FAILURE_RATE and _FORCE
are the fault knobs of sandbox.faults.

What it follows, from Yeastar's P-Series developer guide (help.yeastar.com, "p-series",
"p-series-software-edition", "p-series-cloud-edition" developer-guide pages) and
../shared/talk-api/yeastar-ivr-get.txt:
- Request Structure: {base_url}/openapi/v1.0/{endpoint}?access_token=...; a User-Agent header is
  required on every request; GET queries and deletes, POST adds and edits.
- Get Access Token / Refresh Access Token / Authorization Rule: POST get_token with the Client
  ID and Secret as `username` and `password`; access token 30 minutes, refresh token 24 hours,
  lifetimes in the answer (`access_token_expire_time`, `refresh_token_expire_time`); POST
  refresh_token; GET del_token. At most 8 valid access tokens per application (Software and
  Cloud Edition "Get Access Token", Restriction).
- Response Result: HTTP 200 for errors too; errcode -1 FAILURE with invalid_param_list
  [{"field": "username or password", "value": "error"}] for wrong credentials; errcode 40002
  PARAMETER ERROR with invalid_param_list [{"field", "validation_type"}]; duplicate_field_list.
- IVR: ivr/list and ivr/search (page, page_size, sort_by id|number|name, order_by, search_value;
  total_number and data), ivr/get (the document's example is one of the demo's IVRs and must come
  back byte for byte), ivr/query (ids), ivr/create, ivr/update (id and only the fields to
  change), ivr/delete (a GET); prompt_repeat 1-5, resp_timeout and digit_timeout 1-10, up to 5
  prompts, dial_ext_option disable|all|allow|restrict with dial_ext_list required for allow and
  restrict_dial_ext_list for restrict; the twelve destination kinds.
- Lookups: extension/list (data), ringgroup/list (data), queue/list (queue_list),
  conference/list (data; page and page_size required; sorted by number), vm_group/list
  (vm_group_list), custom_prompt/list (prompt_list, real_filename).

Where it is not (or may not be) identical to a real PBX, and why:
- The errcode of an expired or unknown access token is not in any document TalkAdmin could read:
  the sandbox answers {"errcode": 10004, "errmsg": "TOKEN EXPIRED"} for both, the code that
  independent public Yeastar integrations test for (and the client also accepts any errmsg
  naming the token). A refresh token that is unknown or expired gets the same answer.
- Refused get_token past the 8-token limit: the answer is undocumented; the sandbox sends
  {"errcode": -1, "errmsg": "FAILURE"}. Refreshing rotates the pair: the old access and refresh
  tokens stop working at once (undocumented; the strict choice). Tokens are not kept across
  restarts of the sandbox.
- An id that names nothing (ivr/get, ivr/update, ivr/delete) answers PARAMETER ERROR with
  invalid_param_list [{"field": "id", "validation_type": "invalid", "value": ...}]; the real
  answer is undocumented. validation_type "invalid" for a bad value is ours; only "required"
  appears in the documents. The errcode of a duplicate number (duplicate_field_list) is
  undocumented: 40002 here.
- ivr/create answers {"errcode": 0, "errmsg": "SUCCESS", "id": N}; whether a PBX returns the
  id is not documented (the client finds the new IVR by its number when it does not).
- Strict where the documents are silent: a destination's value must name an existing extension,
  IVR, ring group, queue, group voicemail or conference (by id) or custom prompt (by file
  name); a play count must be 1 or more; numbers are 1-7 digits and unique among extensions,
  IVRs, ring groups, queues, conferences and group voicemails; unknown fields are ignored.
  Deleting an IVR another IVR points at is allowed and leaves that destination dangling.
- prompt_manger_password is shown as "****" when one is set, "" when none; it may be written.
  dial_ext_list, restrict_dial_ext_list and dial_outb_route_list are shown only when
  dial_ext_option is allow / restrict and outbound routes are enabled (as the example shows);
  their `text` and `text2` are filled from the PBX's records whatever the request said.
- Newer firmware also has a `call_flow` destination and press_key_option_list (time
  conditions, PIN lists); the document TalkAdmin follows has neither, and neither has the
  sandbox. Extension groups, organizations and outbound routes have no list endpoint here.
- The lists return every item when no page is asked for (a PBX's default page size is
  undocumented); the extension list leaves out online_status (its shape is undocumented).
- No rate limit is documented, so none is modelled. A missing User-Agent answers HTTP 403 in
  plain text, and an unknown endpoint 404 (both undocumented). Forced faults answer like a web
  server in front of the PBX: bare statuses in plain text, or the body given (an errcode
  error with status 200). A forced timeout in-process fails at once; served, it holds the
  request for hang_seconds.
"""

from __future__ import annotations

import os
from pathlib import Path

from sandbox.faults import Faults
from sandbox.yeastar.app import YeastarSandboxApp
from sandbox.yeastar.demo import demo_pbx
from sandbox.yeastar.state import YeastarState
from sandbox.yeastar.tokens import TokenIssuer

DEFAULT_CLIENT_ID = "sandbox-client-id"
DEFAULT_CLIENT_SECRET = "sandbox-client-secret"  # noqa: S105 - documented; opens the sandbox only
ENV_PREFIX = "YEASTAR_SANDBOX_"


def build_app(
    *,
    state_file: Path | None = None,
    env: dict[str, str] | None = None,
    faults: Faults | None = None,
) -> YeastarSandboxApp:
    """A sandbox serving the demo PBX (or the state saved in `state_file`).

    Credentials, token lifetimes and fault knobs come from `env` (default: os.environ), in the
    YEASTAR_SANDBOX_* variables of this module's docstring.
    """
    env = dict(os.environ if env is None else env)
    if state_file is not None:
        state = YeastarState.from_file(state_file, default=demo_pbx())
    else:
        state = YeastarState(demo_pbx())
    tokens = TokenIssuer(
        client_id=env.get(f"{ENV_PREFIX}CLIENT_ID") or DEFAULT_CLIENT_ID,
        client_secret=env.get(f"{ENV_PREFIX}CLIENT_SECRET") or DEFAULT_CLIENT_SECRET,
        access_seconds=int(env.get(f"{ENV_PREFIX}TOKEN_SECONDS") or 1800),
        refresh_seconds=int(env.get(f"{ENV_PREFIX}REFRESH_SECONDS") or 86400),
    )
    return YeastarSandboxApp(
        state=state,
        tokens=tokens,
        faults=faults or Faults.from_env(env, prefix=ENV_PREFIX),
        state_file=state_file,
        reset_to=demo_pbx,
    )


__all__ = [
    "DEFAULT_CLIENT_ID",
    "DEFAULT_CLIENT_SECRET",
    "YeastarSandboxApp",
    "YeastarState",
    "build_app",
]
