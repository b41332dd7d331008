"""The sandbox speaks Zendesk's HTTP contract: paths, envelopes, statuses, errors, headers."""

import json

import pytest

from sandbox import build_app
from sandbox.faults import Faults, ForcedAnswer, parse_forced
from sandbox.state import SandboxState
from tests.sandbox.wsgi_call import call

VOICE = "/api/v2/channels/voice"


@pytest.fixture
def app():
    return build_app(env={})


def test_the_json_suffix_is_optional_and_lists_carry_zendesk_offset_keys(app):
    plain = call(app, "GET", f"{VOICE}/ivr")
    suffixed = call(app, "GET", f"{VOICE}/ivr.json")
    assert plain.status == suffixed.status == 200
    assert plain.json() == suffixed.json()
    assert set(plain.json()) == {"ivrs", "next_page", "previous_page", "count"}
    assert plain.headers["Content-Type"].startswith("application/json")


def test_pages_link_to_each_other_with_full_urls(app):
    first = call(app, "GET", f"{VOICE}/phone_numbers?per_page=5").json()
    assert first["count"] == 12 and first["previous_page"] is None
    assert first["next_page"] == (
        "https://sandbox.test/api/v2/channels/voice/phone_numbers.json?per_page=5&page=2"
    )
    last = call(app, "GET", f"{VOICE}/phone_numbers?per_page=5&page=3").json()
    assert last["next_page"] is None and len(last["phone_numbers"]) == 2
    assert call(app, "GET", f"{VOICE}/phone_numbers?per_page=500").json()["count"] == 12
    assert (
        len(call(app, "GET", f"{VOICE}/phone_numbers?per_page=500").json()["phone_numbers"]) == 12
    )


def test_groups_use_cursor_pagination_when_asked(app):
    first = call(app, "GET", "/api/v2/groups?page[size]=4").json()
    assert [set(first), first["meta"]["has_more"]] == [{"groups", "meta", "links"}, True]
    second = call(app, "GET", first["links"]["next"].replace("https://sandbox.test", "")).json()
    assert {g["id"] for g in first["groups"]}.isdisjoint(g["id"] for g in second["groups"])


def test_creates_answer_201_with_the_whole_object_and_a_new_ivr_has_its_main_menu(app):
    reply = call(
        app,
        "POST",
        f"{VOICE}/ivr.json",
        {"ivr": {"name": "Spring", "id": 1, "phone_number_names": ["x"]}},
    )
    assert reply.status == 201
    ivr = reply.json()["ivr"]
    assert ivr["id"] != 1 and ivr["id"] > 2**40  # read-only fields ignored; 64-bit-looking ids
    assert ivr["phone_number_names"] == []
    assert [(m["name"], m["default"], m["greeting_id"], m["routes"]) for m in ivr["menus"]] == [
        ("Main menu", True, None, [])
    ]
    menu = call(
        app,
        "POST",
        f"{VOICE}/ivr/{ivr['id']}/menus",
        {"ivr_menu": {"name": "More", "default": True}},
    )
    assert (
        menu.status == 201 and menu.json()["ivr_menu"]["default"] is False
    )  # `default` is read-only


def test_deletes_answer_200_with_what_was_deleted_or_null_for_a_number(app):
    state = app.state
    main = state.ivr_named("Main support line")
    orders = state.menu_named(main["id"], "Orders & billing")
    route = state.routes_of(orders["id"])[0]
    base = f"{VOICE}/ivr/{main['id']}/menus/{orders['id']}"
    deleted_route = call(app, "DELETE", f"{base}/routes/{route['id']}")
    assert deleted_route.status == 200
    assert deleted_route.json()["ivr_route"] == {
        "id": route["id"], "keypress": "1", "greeting": None, "action": "group",
        "options": route["options"], "option_text": "Billing", "overflow_options": [],
    }  # fmt: skip
    deleted_menu = call(app, "DELETE", base)
    assert (deleted_menu.status, deleted_menu.json()["ivr_menu"]["name"]) == (
        200,
        "Orders & billing",
    )
    deleted_ivr = call(app, "DELETE", f"{VOICE}/ivr/{main['id']}")
    assert (deleted_ivr.status, deleted_ivr.json()["ivr"]["name"]) == (200, "Main support line")
    number = state.number_named("UK Freephone")
    released = call(app, "DELETE", f"{VOICE}/phone_numbers/{number['id']}")
    assert (released.status, released.text) == (200, "null")


def test_a_route_to_a_deleted_menu_is_kept_and_shows_as_dangling(app):
    main = app.state.ivr_named("Main support line")
    tech = app.state.menu_named(main["id"], "Technical support")
    call(app, "DELETE", f"{VOICE}/ivr/{main['id']}/menus/{tech['id']}")
    ivr = call(app, "GET", f"{VOICE}/ivr/{main['id']}").json()["ivr"]
    home = ivr["menus"][0]
    press_2 = next(r for r in home["routes"] if r["keypress"] == "2")
    assert (press_2["options"], press_2["option_text"]) == ({"menu_id": tech["id"]}, None)


def test_errors_have_zendesk_bodies(app):
    missing = call(app, "GET", f"{VOICE}/ivr/123")
    assert (missing.status, missing.json()) == (
        404,
        {"error": "RecordNotFound", "description": "Not found"},
    )
    invalid = call(app, "POST", f"{VOICE}/ivr", {"ivr": {"name": ""}})
    assert invalid.status == 422
    assert invalid.json() == {
        "error": "RecordInvalid",
        "description": "Record validation errors",
        "details": {"name": [{"description": "can't be blank", "error": "InvalidValue"}]},
    }
    unknown = call(app, "GET", "/api/v2/tickets")
    assert (unknown.status, unknown.json()["error"]) == (404, "InvalidEndpoint")


def test_malformed_bodies_get_a_plain_text_400(app):
    broken = call(app, "POST", f"{VOICE}/ivr", raw=b"{not json")
    assert broken.status == 400 and broken.headers["Content-Type"].startswith("text/plain")
    no_envelope = call(app, "POST", f"{VOICE}/ivr", {"name": "x"})
    assert (no_envelope.status, no_envelope.text) == (400, "Bad Request: param is missing: ivr")


def test_credentials_are_checked_exactly(app):
    assert call(app, "GET", f"{VOICE}/ivr", auth=None).status == 401
    wrong = call(app, "GET", f"{VOICE}/ivr", auth="Basic " + "eA==")
    assert (wrong.status, wrong.json()) == (401, {"error": "Couldn't authenticate you"})
    assert call(app, "GET", f"{VOICE}/ivr", auth="Bearer sandbox-api-token").status == 401


def test_answers_carry_rate_limit_headers_and_a_request_id(app):
    reply = call(app, "GET", f"{VOICE}/greeting_categories")
    assert reply.headers["X-Rate-Limit"] == "700"
    assert int(reply.headers["X-Rate-Limit-Remaining"]) == 699
    assert reply.headers["X-Zendesk-Request-Id"].startswith("sandbox-")
    app.faults.rate_limit_per_minute = 1
    assert call(app, "GET", f"{VOICE}/greeting_categories").status == 429
    limited = call(app, "GET", f"{VOICE}/greeting_categories")
    assert limited.status == 429 and 1 <= int(limited.headers["Retry-After"]) <= 60


def test_a_429_is_plain_text_as_zendesk_answers_it(app):
    """As captured from a real account (TALK-API-NOTES.md): text/plain, not JSON."""
    app.faults.rate_limit_per_minute = 1
    call(app, "GET", f"{VOICE}/greeting_categories")
    limited = call(app, "GET", f"{VOICE}/greeting_categories")
    assert limited.status == 429
    assert limited.headers["Content-Type"].startswith("text/plain")
    assert limited.text == "Number of allowed API requests per minute exceeded"
    assert int(limited.headers["Retry-After"]) >= 1
    app.faults.rate_limit_per_minute = None
    app.faults.forced.append(ForcedAnswer(path="*/ivr", status=429, retry_after=30, times=1))
    forced = call(app, "GET", f"{VOICE}/ivr")
    assert (forced.status, forced.text) == (429, limited.text)
    assert forced.headers["Content-Type"].startswith("text/plain")
    assert forced.headers["Retry-After"] == "30"


def test_minimal_mode_numbers_carry_only_sms_mms_and_voice(app):
    full = call(app, "GET", f"{VOICE}/phone_numbers").json()["phone_numbers"]
    assert any("emergency_address" in n["capabilities"] for n in full)
    minimal = call(app, "GET", f"{VOICE}/phone_numbers?minimal_mode=true").json()
    assert {tuple(sorted(n["capabilities"])) for n in minimal["phone_numbers"]} == {
        ("mms", "sms", "voice")
    }


def test_a_number_search_without_a_country_is_refused_by_the_sandboxs_own_choice(app):
    """Documented as required; a real account answered 200 with an empty list. The sandbox
    refuses it (sandbox/__init__.py) and TalkAdmin never sends one."""
    refused = call(app, "GET", f"{VOICE}/phone_numbers/search")
    assert refused.status == 400
    assert "country" in refused.text


def test_faults_are_set_from_the_environment():
    faults = Faults.from_env(
        {
            "SANDBOX_LATENCY_MS": "25",
            "SANDBOX_FAILURE_RATE": "0.5",
            "SANDBOX_RATE_LIMIT_PER_MINUTE": "60",
            "SANDBOX_FORCE": "PUT /api/v2/channels/voice/ivr/*=503x2; GET * =timeout",
        }
    )
    assert (faults.latency_ms, faults.failure_rate, faults.rate_limit_per_minute) == (25, 0.5, 60)
    assert [(f.method, f.path, f.status, f.times, f.timeout) for f in faults.forced] == [
        ("PUT", "/api/v2/channels/voice/ivr/*", 503, 2, False),
        ("GET", "*", None, None, True),
    ]


def test_applied_answer_lost_faults_are_spelled_in_the_environment():
    faults = Faults.from_env(
        {
            "SANDBOX_FORCE": (
                "POST */menus=applied-500x1; POST */routes=applied-timeout; "
                "PUT */ivr/*=applied-drop x2; DELETE *=drop"
            )
        }
    )
    assert [
        (f.method, f.path, f.status, f.times, f.timeout, f.drop, f.after_applying)
        for f in faults.forced
    ] == [
        ("POST", "*/menus", 500, 1, False, False, True),
        ("POST", "*/routes", None, None, True, False, True),
        ("PUT", "*/ivr/*", None, 2, False, True, True),
        ("DELETE", "*", None, None, False, True, False),
    ]
    with pytest.raises(ValueError, match="applied-500, applied-timeout, applied-drop"):
        parse_forced("POST *=applied-later")


@pytest.mark.parametrize(
    ("rule", "status_seen"),
    [
        ({"status": 500}, 500),
        ({"status": None, "timeout": True, "hang_seconds": 0}, 504),  # then "Gateway Timeout"
        ({"status": None, "drop": True}, 0),  # no answer at all
    ],
)
def test_applied_answer_lost_makes_the_change_and_loses_its_answer(app, rule, status_seen):
    ivr = app.state.ivr_named("Main support line")
    forced = {"method": "POST", "path": "*/menus", "after_applying": True, "times": 1, **rule}
    assert call(app, "POST", "/sandbox/faults", {"forced": [forced]}, auth=None).status == 200

    reply = call(app, "POST", f"{VOICE}/ivr/{ivr['id']}/menus", {"ivr_menu": {"name": "Lost"}})

    assert reply.status != 201
    assert [m["name"] for m in app.state.menus_of(ivr["id"])].count("Lost") == 1  # made
    assert app.requests[-1].status == status_seen


def test_a_forced_answer_can_skip_the_first_matching_requests(app):
    forced = {"method": "*", "path": "*", "status": 503, "times": 1, "skip": 2}
    call(app, "POST", "/sandbox/faults", {"forced": [forced]}, auth=None)

    statuses = [call(app, "GET", f"{VOICE}/greeting_categories").status for _ in range(4)]

    assert statuses == [200, 200, 503, 200]  # the third request, and only it


def test_a_dropped_connection_before_applying_changes_nothing(app):
    ivr = app.state.ivr_named("Main support line")
    app.faults.forced.append(parse_forced("POST */menus=dropx1"))

    reply = call(app, "POST", f"{VOICE}/ivr/{ivr['id']}/menus", {"ivr_menu": {"name": "Never"}})

    assert reply.headers["X-Simulate-Dropped-Connection"] == "true"
    assert "Never" not in [m["name"] for m in app.state.menus_of(ivr["id"])]


def test_a_forced_status_hits_only_the_next_n_matching_requests(app):
    app.faults.forced.append(parse_forced("GET /api/v2/channels/voice/ivr=503x2"))
    statuses = [call(app, "GET", f"{VOICE}/ivr").status for _ in range(3)]
    assert statuses == [503, 503, 200]
    assert call(app, "GET", f"{VOICE}/phone_numbers").status == 200


def test_a_failure_rate_fails_that_share_of_requests_repeatably():
    def statuses():
        app = build_app(env={"SANDBOX_FAILURE_RATE": "0.3"})
        return [call(app, "GET", f"{VOICE}/greeting_categories").status for _ in range(100)]

    first = statuses()
    assert first == statuses()  # seeded: the same run every time
    assert 15 <= first.count(503) <= 45


def test_control_endpoints_set_faults_list_requests_and_reset(app):
    call(app, "POST", f"{VOICE}/ivr", {"ivr": {"name": "Temporary"}})
    seen = call(app, "GET", "/sandbox/requests", auth=None).json()["requests"]
    assert [(r["method"], r["path"], r["body"], r["status"]) for r in seen] == [
        ("POST", f"{VOICE}/ivr", {"ivr": {"name": "Temporary"}}, 201)
    ]
    forced = {"forced": [{"method": "GET", "path": "*", "status": 500, "times": 1}]}
    assert call(app, "POST", "/sandbox/faults", forced, auth=None).status == 200
    assert call(app, "GET", f"{VOICE}/ivr").status == 500
    assert call(app, "POST", "/sandbox/faults", raw=b"[1, 2]", auth=None).status == 400
    assert call(app, "POST", "/sandbox/reset", auth=None).status == 200
    names = [i["name"] for i in call(app, "GET", f"{VOICE}/ivr").json()["ivrs"]]
    assert "Temporary" not in names and len(names) == 4
    assert call(app, "GET", "/sandbox/faults", auth=None).json()["forced"] == []
    assert call(app, "GET", "/sandbox/health", auth=None).json() == {"status": "ok"}


def test_state_is_saved_after_each_change_and_read_back(tmp_path):
    state_file = tmp_path / "state.json"
    app = build_app(state_file=state_file, env={})
    assert not state_file.exists()  # nothing changed yet
    call(app, "POST", f"{VOICE}/ivr", {"ivr": {"name": "Kept"}})
    saved = json.loads(state_file.read_text())
    assert "Kept" in [ivr["name"] for ivr in saved["ivrs"]]
    again = build_app(state_file=state_file, env={})
    assert "Kept" in [i["name"] for i in call(again, "GET", f"{VOICE}/ivr").json()["ivrs"]]


def test_the_demo_account_is_the_same_every_time():
    assert build_app(env={}).state.to_json() == build_app(env={}).state.to_json()
    state = SandboxState(build_app(env={}).state.to_json())
    assert len(state.phone_numbers) == 12 and len(state.ivrs) == 4
    assert {n["country_code"] for n in state.phone_numbers.values()} == {"US", "GB", "IE"}
