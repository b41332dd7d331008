"""The sandbox's Greetings API against Zendesk's reference, its quick start and real answers.

The examples are in zendesk_greeting_examples.json, each with where it comes from.
"""

import json
from pathlib import Path

import pytest
import requests

from sandbox import build_app
from sandbox.state import SandboxState
from tests.audio_files import demo_mp3, wav_bytes, wav_of_size
from tests.sandbox.wsgi_call import GOOD_AUTH, call

VOICE = "/api/v2/channels/voice"
EXAMPLES = json.loads(Path(__file__).with_name("zendesk_greeting_examples.json").read_text())
UPLOAD_FIELD = "greeting[upload][uploaded_data]"


@pytest.fixture
def app():
    return build_app(env={})


def listed(app, query: str = "") -> dict:
    return {g["id"]: g for g in call(app, "GET", f"{VOICE}/greetings?per_page=100{query}").json()[
        "greetings"
    ]}  # fmt: skip


def create(app, name: str = "Returns menu", category_id: int = 5) -> dict:
    fields = {"name": name, "category_id": category_id}
    reply = call(app, "POST", f"{VOICE}/greetings", {"greeting": fields})
    assert reply.status == 201, reply.text
    return reply.json()["greeting"]


def upload(app, greeting_id, content: bytes, file_name: str = "returns.wav", field=UPLOAD_FIELD):
    prepared = requests.Request(
        "PUT", "https://sandbox.test/", files={field: (file_name, content, "audio/wav")}
    ).prepare()
    return call(
        app,
        "PUT",
        f"{VOICE}/greetings/{greeting_id}",
        raw=prepared.body,
        content_type=prepared.headers["Content-Type"],
    )


# --- the documented examples ------------------------------------------------------------------
def test_greeting_categories_are_exactly_the_quick_starts(app):
    reply = call(app, "GET", f"{VOICE}/greeting_categories")
    assert reply.json() == EXAMPLES["quick_start_categories_response"]
    shown = call(app, "GET", f"{VOICE}/greeting_categories/1")
    assert (shown.status, shown.json()) == (
        200,
        {"greeting_category": EXAMPLES["reference_category"]},
    )
    first_two = EXAMPLES["reference_categories_response"]["greeting_categories"]
    assert reply.json()["greeting_categories"][:2] == first_two
    assert call(app, "GET", f"{VOICE}/greeting_categories/10").status == 404


def test_a_created_greeting_answers_like_a_real_accounts(app):
    reply = call(app, "POST", f"{VOICE}/greetings", EXAMPLES["observed_create_request"])
    observed = EXAMPLES["observed_create_response"]["greeting"]
    assert reply.status == 201
    created = reply.json()["greeting"]
    assert set(created) == set(observed)
    assert {k: v for k, v in created.items() if k != "id"} == {
        k: v for k, v in observed.items() if k != "id"
    }
    assert isinstance(created["id"], int) and created["id"] > 2**40


def test_every_greeting_has_the_references_fields_with_their_types(app):
    reference = EXAMPLES["reference_greeting"]
    observed = EXAMPLES["observed_create_response"]["greeting"]
    for greeting in listed(app).values():
        assert set(reference) <= set(greeting) and set(greeting) == set(observed)
        assert isinstance(greeting["id"], int | str) and isinstance(greeting["name"], str)
        for key in ("active", "default", "default_lang", "pending", "has_sub_settings"):
            assert isinstance(greeting[key], bool), key
        assert all(isinstance(i, int) for i in greeting["phone_number_ids"] + greeting["ivr_ids"])


def test_zendesks_default_greetings_are_listed_as_a_real_account_lists_them(app):
    greetings = listed(app)
    for real in EXAMPLES["observed_defaults"]:
        ours = greetings[real["id"]]  # spelled as Zendesk spells them: callback-confirmation_en
        same = ("name", "category_id", "default", "default_lang", "pending", "audio_name")
        assert {k: ours[k] for k in same} == {k: real[k] for k in same}, real["id"]
        assert ours["has_sub_settings"] is real["has_sub_settings"], real["id"]
        assert (ours["audio_url"] is None) is (real["audio_url"] is None), real["id"]
        assert ours["upload_id"] is None and ours["ivr_ids"] == []
    assert "callback_confirmation_en" not in greetings


def test_reference_example_relative_audio_url_is_how_the_accounts_own_audio_is_given(app):
    # The reference's example gives a path on the account's host, not a full URL.
    assert EXAMPLES["reference_greeting"]["audio_url"].startswith("/system/voice/uploads/")
    welcome = next(
        g for g in listed(app).values() if g["name"] == "Welcome to Northwind Outfitters"
    )
    assert welcome["audio_url"].startswith("/system/voice/uploads/")
    assert welcome["audio_url"].endswith("/welcome-to-northwind.mp3")


# --- what the fields mean ---------------------------------------------------------------------
def test_active_means_used_by_a_phone_number(app):
    greetings = listed(app)
    assert greetings["ivr_none"]["active"] is False  # nothing uses it: false, as on Zendesk
    assert greetings["voicemail_none"]["active"] is False
    assert greetings["available_en_digital_lines"]["active"] is False
    number = app.state.number_named("US After-hours")
    after_hours = next(g for g in greetings.values() if g["name"] == "After-hours voicemail")
    assert (after_hours["active"], after_hours["phone_number_ids"]) == (True, [number["id"]])
    # Chosen instead of the default, so this number no longer plays the default voicemail.
    assert number["id"] not in greetings["voicemail_en"]["phone_number_ids"]
    holiday = next(g for g in greetings.values() if g["name"] == "Holiday closure announcement")
    assert (holiday["active"], holiday["phone_number_ids"]) == (False, [])  # its IVR: no number


def test_every_greeting_a_number_refers_to_is_in_the_list(app):
    ids = set(listed(app))
    for number in app.state.phone_numbers.values():
        referred = set(number["greeting_ids"]) | set(number["default_greeting_ids"])
        referred |= set(number["categorised_greetings"].values())
        for value in number["categorised_greetings_with_sub_settings"].values():
            referred |= set(value.values()) if isinstance(value, dict) else {value}
        assert referred <= ids, referred - ids


def test_ivr_ids_and_phone_number_ids_follow_the_account(app):
    sales = app.state.ivr_named("Sales & orders")
    welcome = next(g for g in listed(app).values() if g["name"] == "Sales welcome")
    toll_free = app.state.number_named("US Sales (toll-free)")
    assert (welcome["ivr_ids"], welcome["phone_number_ids"]) == ([sales["id"]], [toll_free["id"]])
    billing = app.state.number_named("US Billing Direct")
    callback = next(g for g in listed(app).values() if g["name"] == "Callback offer")
    assert billing["id"] not in callback["phone_number_ids"]
    reply = call(
        app,
        "PUT",
        f"{VOICE}/phone_numbers/{billing['id']}",
        {"phone_number": {"categorised_greetings": {"6": callback["id"]}}},
    )
    assert reply.status == 200
    assert billing["id"] in listed(app)[callback["id"]]["phone_number_ids"]
    assert billing["id"] not in listed(app)["callback_en"]["phone_number_ids"]


def test_voicemail_off_plays_the_voicemail_off_defaults(app):
    vip = app.state.number_named("US VIP Accounts")  # voicemail off in the demo
    greetings = listed(app)
    assert vip["id"] in greetings["voicemail_en_voicemail_config"]["phone_number_ids"]
    assert vip["id"] not in greetings["voicemail_en"]["phone_number_ids"]


def test_the_list_can_be_of_one_category(app):
    ivr = listed(app, "&category_id=5")
    assert {g["category_id"] for g in ivr.values()} == {5}
    assert "ivr_none" in ivr and len(ivr) == 8  # Zendesk's "None" and the demo's seven
    paged = call(app, "GET", f"{VOICE}/greetings?category_id=5&per_page=3").json()
    assert (paged["count"], len(paged["greetings"])) == (8, 3)
    assert "category_id=5" in paged["next_page"]


# --- show, create, rename, delete -------------------------------------------------------------
def test_a_greeting_is_shown_by_either_kind_of_id(app):
    default = call(app, "GET", f"{VOICE}/greetings/callback-confirmation_en.json")
    assert (default.status, default.json()["greeting"]["category_id"]) == (200, 7)
    own = create(app)
    shown = call(app, "GET", f"{VOICE}/greetings/{own['id']}").json()["greeting"]
    assert shown == own
    missing = call(app, "GET", f"{VOICE}/greetings/999")
    assert (missing.status, missing.json()["error"]) == (404, "RecordNotFound")
    assert call(app, "GET", f"{VOICE}/greetings/voicemail_xx").status == 404


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"category_id": 5}, "name"),
        ({"name": "  ", "category_id": 5}, "name"),
        ({"name": "Returns"}, "category_id"),
        ({"name": "Returns", "category_id": 12}, "category_id"),
        ({"name": "Returns", "category_id": "5"}, "category_id"),
    ],
)
def test_a_greeting_needs_a_name_and_a_category(app, fields, field):
    reply = call(app, "POST", f"{VOICE}/greetings", {"greeting": fields})
    assert reply.status == 422
    assert reply.json()["error"] == "RecordInvalid" and list(reply.json()["details"]) == [field]
    assert not any(g["name"] == "Returns" for g in listed(app).values())


def test_a_rename_changes_the_name_and_never_the_category(app):
    own = create(app)
    fields = {"name": "Returns", "category_id": 1}
    reply = call(app, "PUT", f"{VOICE}/greetings/{own['id']}", {"greeting": fields})
    assert reply.status == 200
    assert (reply.json()["greeting"]["name"], reply.json()["greeting"]["category_id"]) == (
        "Returns",
        5,
    )  # category_id is writable on create only
    blank = call(app, "PUT", f"{VOICE}/greetings/{own['id']}", {"greeting": {"name": ""}})
    assert (blank.status, list(blank.json()["details"])) == (422, ["name"])


def test_zendesks_defaults_cannot_be_renamed_replaced_or_deleted(app):
    for reply in (
        call(app, "PUT", f"{VOICE}/greetings/voicemail_en", {"greeting": {"name": "Mine"}}),
        upload(app, "voicemail_en", wav_bytes()),
        call(app, "DELETE", f"{VOICE}/greetings/voicemail_en"),
    ):
        assert (reply.status, list(reply.json()["details"])) == (422, ["base"])
    assert listed(app)["voicemail_en"]["name"] == "Default (voicemail on)"


def test_a_delete_answers_with_the_greeting_and_its_uses_fall_back_to_defaults(app):
    main = app.state.ivr_named("Main support line")
    home = app.state.default_menu(main["id"])
    welcome = home["greeting_id"]
    after_hours = app.state.number_named("US After-hours")
    voicemail = after_hours["categorised_greetings"]["1"]
    gone = call(app, "DELETE", f"{VOICE}/greetings/{welcome}")
    assert (gone.status, gone.json()["greeting"]["name"]) == (
        200,
        "Welcome to Northwind Outfitters",
    )
    assert call(app, "GET", f"{VOICE}/greetings/{welcome}").status == 404
    assert (
        call(app, "GET", f"{VOICE}/ivr/{main['id']}").json()["ivr"]["menus"][0]["greeting_id"]
        is None
    )
    call(app, "DELETE", f"{VOICE}/greetings/{voicemail}")
    number = call(app, "GET", f"{VOICE}/phone_numbers/{after_hours['id']}").json()["phone_number"]
    assert "1" not in number["categorised_greetings"] and voicemail not in number["greeting_ids"]
    assert after_hours["id"] in listed(app)["voicemail_en"]["phone_number_ids"]


# --- audio --------------------------------------------------------------------------------------
def test_an_upload_ends_pending_and_the_audio_is_served_at_audio_url(app):
    own = create(app)
    assert (own["pending"], own["audio_url"], own["upload_id"]) == (True, None, None)
    content = wav_bytes(2)
    reply = upload(app, own["id"], content, file_name="returns menu.wav")
    assert reply.status == 200, reply.text
    greeting = reply.json()["greeting"]
    assert (greeting["pending"], greeting["audio_name"]) == (False, "returns menu.wav")
    assert (
        greeting["audio_url"] == f"/system/voice/uploads/{greeting['upload_id']}/returns%20menu.wav"
    )
    served = call(app, "GET", greeting["audio_url"])
    assert (served.status, served.headers["Content-Type"], served.content) == (
        200,
        "audio/wav",
        content,
    )
    assert call(app, "GET", greeting["audio_url"], auth=None).status == 401  # the account's own
    assert listed(app)[own["id"]]["pending"] is False


def test_zendesks_default_audio_is_served_without_credentials(app):
    voicemail = listed(app)["voicemail_en"]
    served = call(app, "GET", voicemail["audio_url"].replace("https://sandbox.test", ""), auth=None)
    assert (served.status, served.headers["Content-Type"]) == (200, "audio/mpeg")
    assert served.content == demo_mp3("default-voicemail.mp3")
    assert call(app, "GET", "/voice/assets/nothing.mp3", auth=None).status == 404


def test_default_audio_can_be_said_to_live_on_another_host():
    app = build_app(env={"SANDBOX_ASSETS_URL": "https://static.zdassets.test"})
    url = listed(app)["hold_en"]["audio_url"]
    assert url == "https://static.zdassets.test/voice/assets/default-hold-music.mp3"


def test_the_demos_ivr_greetings_have_real_recordings(app):
    for greeting in listed(app, "&category_id=5").values():
        if greeting["default"]:
            continue
        served = call(app, "GET", greeting["audio_url"])
        assert served.status == 200 and served.content[:2] == b"\xff\xe3"  # MPEG audio frames
        assert 2_000 < len(served.content) < 30_000


def test_a_second_upload_replaces_the_audio(app):
    own = create(app)
    first = upload(app, own["id"], wav_bytes(1)).json()["greeting"]
    mp3 = demo_mp3()
    second = upload(app, own["id"], mp3, file_name="welcome.mp3").json()["greeting"]
    assert second["upload_id"] != first["upload_id"]
    assert call(app, "GET", second["audio_url"]).content == mp3
    assert call(app, "GET", first["audio_url"]).status == 404


@pytest.mark.parametrize(
    ("content", "field", "status"),
    [
        (b"", UPLOAD_FIELD, 422),
        (b"%PDF-1.7 not audio at all", UPLOAD_FIELD, 422),
        (wav_of_size(10 * 1024 * 1024 + 2), UPLOAD_FIELD, 422),
        (wav_bytes(), "file", 422),
    ],
    ids=["empty", "not audio", "over 10 MB", "wrong field"],
)
def test_an_upload_that_is_not_usable_audio_is_refused_and_stays_pending(
    app, content, field, status
):
    own = create(app)
    reply = upload(app, own["id"], content, field=field)
    assert (reply.status, list(reply.json()["details"])) == (status, ["upload"])
    assert listed(app)[own["id"]]["pending"] is True


def test_an_upload_at_exactly_the_limit_is_taken(app):
    own = create(app)
    reply = upload(app, own["id"], wav_of_size(10 * 1024 * 1024))
    assert (reply.status, reply.json()["greeting"]["pending"]) == (200, False)


def test_a_body_too_large_to_read_is_refused_unread(app):
    own = create(app)
    reply = upload(app, own["id"], wav_of_size(11 * 1024 * 1024))
    assert (reply.status, reply.headers["Content-Type"]) == (413, "text/plain; charset=utf-8")


def test_the_request_log_describes_an_upload_without_its_audio(app):
    own = create(app)
    upload(app, own["id"], wav_bytes(3))
    logged = app.requests[-1]
    (part,) = logged.body["multipart"]
    assert part == {
        "name": UPLOAD_FIELD, "filename": "returns.wav", "content_type": "audio/wav", "size": 48044
    }  # fmt: skip


def test_a_failure_after_the_create_leaves_it_pending_and_listed(app):
    app.faults = type(app.faults).from_json(
        {"forced": [{"method": "PUT", "path": f"{VOICE}/greetings/*", "status": 503, "times": 1}]}
    )
    own = create(app)
    refused = upload(app, own["id"], wav_bytes())
    assert (refused.status, refused.text) == (503, "Service Unavailable")
    assert listed(app)[own["id"]]["pending"] is True
    assert upload(app, own["id"], wav_bytes()).json()["greeting"]["pending"] is False


def test_audio_is_served_in_chunks(app):
    own = create(app)
    greeting = upload(app, own["id"], wav_of_size(1_000_000)).json()["greeting"]
    environ_reply = {}

    def start_response(status, headers):
        environ_reply["headers"] = dict(headers)

    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": greeting["audio_url"], "QUERY_STRING": "",
        "SERVER_NAME": "sandbox.test", "SERVER_PORT": "443", "wsgi.url_scheme": "https",
        "wsgi.input": None, "HTTP_AUTHORIZATION": GOOD_AUTH,
    }  # fmt: skip
    chunks = list(app(environ, start_response))
    assert len(chunks) == 16 and max(len(c) for c in chunks) == 64 * 1024
    assert environ_reply["headers"]["Content-Length"] == "1000000"


def test_uploaded_audio_is_kept_beside_the_state_file_not_in_it(tmp_path):
    state_file = tmp_path / "sandbox-state.json"
    app = build_app(state_file=state_file, env={})
    own = create(app)
    content = wav_bytes(2)
    upload(app, own["id"], content)
    assert content not in state_file.read_bytes()
    assert state_file.stat().st_size < 200_000
    (kept,) = (tmp_path / "sandbox-state-audio" / "upload").iterdir()
    assert kept.read_bytes() == content
    again = build_app(state_file=state_file, env={})  # a restart serves it still
    audio_url = listed(again)[own["id"]]["audio_url"]
    assert call(again, "GET", audio_url).content == content
    again.reset()
    assert list((tmp_path / "sandbox-state-audio" / "upload").iterdir()) == []


def test_the_saved_state_loads_back_with_its_audio_references(app):
    own = create(app)
    upload(app, own["id"], wav_bytes())
    copy = SandboxState(app.state.to_json(), audio=app.state.audio)
    assert copy.greetings[own["id"]]["audio"] == app.state.greetings[own["id"]]["audio"]


def test_a_state_saved_before_greetings_had_audio_is_set_aside_for_the_demo(tmp_path):
    state_file = tmp_path / "sandbox-state.json"
    old = build_app(env={}).state.to_json()
    for greeting in old["greetings"]:
        greeting.pop("audio")
    state_file.write_text(json.dumps(old))
    app = build_app(state_file=state_file, env={})
    assert not any(g["pending"] for g in listed(app).values())
    assert (tmp_path / "sandbox-state.json.before-greeting-audio").exists()
