"""The Dialpad sandbox speaks Dialpad's contract: every documented ivr_type and target_type is
taken, anything else refused with a 400, and answers have the documented fields and spellings.

Documented shapes come from ../shared/talk-api/dialpad-custom-ivrs.txt and the excerpt of
Dialpad's OpenAPI description (tests/dialpad/documented.py); where the documents are silent the
sandbox's choice is the one its package docstring lists.
"""

import base64
import json

import pytest

from sandbox.dialpad import build_app
from sandbox.dialpad.customivrs import IVR_TYPES
from sandbox.dialpad.demo import LONDON, NEW_YORK, SALES, SUPPORT_QUEUE
from sandbox.dialpad.state import TARGET_TYPES
from tests.audio_files import demo_mp3, wav_bytes
from tests.dialpad.documented import assign_document, openapi, operation
from tests.sandbox.dialpad_call import call

MP3 = base64.b64encode(demo_mp3()).decode()
RECORDING_FIELDS = set(openapi()["schemas"]["schemas.custom_ivr.CustomIvrDetailsProto"])


@pytest.fixture
def app():
    return build_app(env={})


def upload(app, ivr_type="CLOSED", target_type="office", target_id=LONDON, **fields):
    body = {"file": MP3, "ivr_type": ivr_type, "target_type": target_type}
    body |= {"target_id": target_id, "name": f"{ivr_type} recording", **fields}
    return call(app, "POST", "customivrs", body)


def listed(app, target_type="office", target_id=LONDON) -> dict:
    reply = call(app, "GET", "customivrs", target_type=target_type, target_id=target_id)
    assert reply.status == 200
    return {item["ivr_type"]: item["ivrs"] for item in reply.json()["items"]}


def test_the_sandbox_knows_exactly_the_documented_enums():
    document = assign_document()
    assert list(IVR_TYPES) == sorted(document["ivr_types"])
    assert list(TARGET_TYPES) == sorted(document["target_types"])
    create = operation("POST", "/api/v2/customivrs")["request"]["fields"]
    assert sorted(create["ivr_type"]["enum"]) == list(IVR_TYPES)


def test_every_documented_ivr_type_can_be_uploaded_assigned_and_deleted(app):
    for ivr_type in assign_document()["ivr_types"]:
        made = upload(app, ivr_type)
        assert made.status == 200, (ivr_type, made.text)
        recording_id = made.json()["id"]
        path = f"customivrs/office/{LONDON}/{ivr_type}"
        assigned = call(app, "PATCH", path, {"ivr_id": recording_id})
        assert assigned.status == 200, (ivr_type, assigned.text)
        assert assigned.json()["ivr_type"] == ivr_type
        deleted = call(app, "DELETE", path, {"ivr_id": recording_id})
        assert deleted.status == 200, (ivr_type, deleted.text)
        assert deleted.json()["selected"] is False


def test_every_documented_target_type_is_taken_and_only_those(app):
    ids = {kind: next(iter(app.state.targets[kind]), 1) for kind in TARGET_TYPES}
    for kind in assign_document()["target_types"]:
        reply = call(app, "GET", "customivrs", target_type=kind, target_id=ids[kind])
        # "unknown" is a documented value with nothing behind it: not found, not refused.
        assert reply.status == (404 if kind == "unknown" else 200), (kind, reply.text)
        assigned = call(app, "PATCH", f"customivrs/{kind}/{ids[kind]}/MENU", {"ivr_id": 1})
        assert assigned.status == 404, (kind, assigned.text)  # no such recording there
    for kind in ("team", "Office", "OFFICE", "callcentre", ""):
        assert call(app, "GET", "customivrs", target_type=kind, target_id=LONDON).status == 400
        path = f"customivrs/{kind or '-'}/{LONDON}/MENU"
        assert call(app, "PATCH", path, {"ivr_id": 1}).status == 400


@pytest.mark.parametrize("ivr_type", ["closed", "HOLD_POSITION_ELEVEN", "VOICEMAIL", "MENU "])
def test_an_undocumented_ivr_type_is_refused(app, ivr_type):
    assert upload(app, ivr_type).status == 400
    recording = app.state.recording_named("London closed")
    path = f"customivrs/office/{LONDON}/{ivr_type}"
    reply = call(app, "PATCH", path, {"ivr_id": recording["id"]})
    assert reply.status == 400
    assert reply.json()["error"]["code"] == 400 and "ivr_type" in reply.json()["error"]["message"]


def test_the_list_answers_as_the_documented_example(app):
    example = operation("GET", "/api/v2/customivrs")["example"]
    reply = call(app, "GET", "customivrs", target_type="office", target_id=NEW_YORK)
    answer = reply.json()
    assert reply.headers["Content-Type"].startswith("application/json")
    assert set(answer) == set(example) and answer["cursor"] == example["cursor"] == ""
    assert [item["ivr_type"] for item in answer["items"]] == ["CLOSED", "CLOSED_MENU", "MENU"]
    for item, documented in zip(answer["items"], example["items"], strict=False):
        assert set(item) == set(documented)
        for recording in item["ivrs"]:
            assert set(recording) <= RECORDING_FIELDS
            assert set(documented["ivrs"][0]) <= set(recording)
            assert recording["id"].isdigit() and recording["date_added"].isdigit()  # as strings
            assert isinstance(recording["selected"], bool)
    closed = {r["name"]: r["selected"] for r in answer["items"][0]["ivrs"]}
    assert closed == {"New York closed": False, "Christmas closed": True}


def test_a_target_is_required_and_must_exist(app):
    assert call(app, "GET", "customivrs", target_type="office").status == 400
    assert call(app, "GET", "customivrs", target_id=LONDON).status == 400
    assert call(app, "GET", "customivrs", target_type="office", target_id="x").status == 400
    missing = call(app, "GET", "customivrs", target_type="office", target_id=12345)
    assert missing.status == 404 and missing.json()["error"]["errors"][0]["reason"] == "notFound"


def test_an_upload_takes_the_documented_fields_and_plays_at_once(app):
    documented = operation("POST", "/api/v2/customivrs")
    reply = upload(app, "CLOSED", name="Easter closed", description="Good Friday to Monday")
    assert reply.status == 200
    made = reply.json()
    assert set(made) <= set(documented["response_fields"])
    assert set(documented["example"]) <= set(made)
    assert (made["name"], made["description"], made["selected"]) == (
        "Easter closed",
        "Good Friday to Monday",
        True,
    )
    closed = {r["name"]: r["selected"] for r in listed(app)["CLOSED"]}
    assert closed == {"London closed": False, "Easter closed": True}
    kept = app.state.recordings[int(made["id"])]["audio"]
    assert kept["bytes"] == len(demo_mp3())


@pytest.mark.parametrize("missing", ["file", "ivr_type", "target_id", "target_type"])
def test_an_upload_without_a_required_field_is_refused(app, missing):
    body = {"file": MP3, "ivr_type": "CLOSED", "target_type": "office", "target_id": LONDON}
    assert missing in operation("POST", "/api/v2/customivrs")["request"]["required"]
    del body[missing]
    reply = call(app, "POST", "customivrs", body)
    assert reply.status == 400 and missing in reply.json()["error"]["message"]


def test_uploads_are_only_for_the_five_documented_target_types(app):
    allowed = operation("POST", "/api/v2/customivrs")["request"]["fields"]["target_type"]["enum"]
    assert sorted(allowed) == ["callcenter", "coachingteam", "department", "office", "user"]
    for kind in TARGET_TYPES:
        target_id = next(iter(app.state.targets[kind]), 1)
        reply = upload(app, "MENU", target_type=kind, target_id=target_id)
        assert reply.status == (200 if kind in allowed else 400), (kind, reply.text)


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"file": "not base64!"}, 400),
        ({"file": base64.b64encode(wav_bytes(0.2)).decode()}, 400),
        ({"file": base64.b64encode(b"OggS" + b"\0" * 400).decode()}, 400),
        ({"file": base64.b64encode(b"\xff\xfb" * (5 * 1024 * 1024 + 1)).decode()}, 413),
        ({"name": "x" * 101}, 400),
        ({"name": "two\nlines"}, 400),
        ({"description": "d" * 257}, 400),
        ({"target_id": 7}, 404),
    ],
)
def test_an_upload_dialpad_cannot_take_is_refused(app, fields, status):
    before = len(app.state.recordings)
    reply = upload(app, **fields)
    assert reply.status == status, reply.text
    assert len(app.state.recordings) == before


def test_the_longest_name_and_description_are_taken(app):
    reply = upload(app, name="n" * 100, description="d" * 256)
    assert reply.status == 200
    assert len(reply.json()["name"]) == 100 and len(reply.json()["description"]) == 256


def test_renaming_a_recording_leaves_what_plays(app):
    recording = app.state.recording_named("New York closed")
    reply = call(app, "PATCH", f"customivrs/{recording['id']}", {"name": "NY closed (usual)"})
    assert reply.status == 200
    assert set(reply.json()) <= RECORDING_FIELDS
    assert (reply.json()["name"], reply.json()["selected"]) == ("NY closed (usual)", False)
    assert call(app, "PATCH", "customivrs/99", {"name": "x"}).status == 404
    assert call(app, "PATCH", f"customivrs/{recording['id']}", {"name": "x" * 101}).status == 400
    assert {r["name"]: r["selected"] for r in listed(app, target_id=NEW_YORK)["CLOSED"]} == {
        "NY closed (usual)": False,
        "Christmas closed": True,
    }


def test_assigning_switches_what_plays_and_answers_the_situation(app):
    documented = assign_document()
    assert documented["body"] == {"ivr_id": True, "select_option": True}
    usual = app.state.recording_named("New York closed")
    reply = call(app, "PATCH", f"customivrs/office/{NEW_YORK}/CLOSED", {"ivr_id": usual["id"]})
    answer = reply.json()
    example = operation("PATCH", documented["path"])["example"]
    assert set(answer) == set(example) and answer["ivr_type"] == "CLOSED"
    assert {r["name"]: r["selected"] for r in answer["ivrs"]} == {
        "New York closed": True,
        "Christmas closed": False,
    }
    assert call(app, "PATCH", f"customivrs/office/{NEW_YORK}/CLOSED", {}).status == 400


def test_only_a_recording_of_that_target_and_situation_can_be_assigned(app):
    london_menu = app.state.recording_named("London main menu")
    for path in (f"customivrs/office/{NEW_YORK}/MENU", f"customivrs/office/{LONDON}/CLOSED"):
        assert call(app, "PATCH", path, {"ivr_id": london_menu["id"]}).status == 404


def test_select_option_is_for_a_call_centres_recording_notice_only(app):
    assert assign_document()["select_options"] == ["inbound", "outbound"]
    inbound = app.state.recording_named("Recording notice (inbound)")
    outbound = app.state.recording_named("Recording notice (outbound)")
    path = f"customivrs/callcenter/{SUPPORT_QUEUE}/AUTO_RECORDING"
    reply = call(app, "PATCH", path, {"ivr_id": outbound["id"], "select_option": "inbound"})
    assert reply.status == 200
    assert [r["selected"] for r in reply.json()["ivrs"]] == [False, True]
    assert app.state.recordings[outbound["id"]]["plays_for"] == ["inbound", "outbound"]
    assert app.state.recordings[inbound["id"]]["plays_for"] == []
    both = call(app, "PATCH", path, {"ivr_id": inbound["id"], "select_option": "both"})
    assert both.status == 400
    office = app.state.recording_named("London closed")
    elsewhere = {"ivr_id": office["id"], "select_option": "inbound"}
    assert call(app, "PATCH", f"customivrs/office/{LONDON}/CLOSED", elsewhere).status == 400


def test_deleting_the_playing_recording_leaves_dialpads_default(app):
    playing = app.state.recording_named("Christmas closed")
    path = f"customivrs/office/{NEW_YORK}/CLOSED"
    reply = call(app, "DELETE", path, {"ivr_id": playing["id"]})
    assert reply.status == 200
    documented = operation("DELETE", assign_document()["path"])["response_fields"]
    assert set(reply.json()) <= set(documented)
    assert (reply.json()["name"], reply.json()["selected"]) == ("Christmas closed", False)
    assert listed(app, target_id=NEW_YORK)["CLOSED"] == [
        {
            "date_added": str(app.state.recording_named("New York closed")["date_added"]),
            "id": str(app.state.recording_named("New York closed")["id"]),
            "name": "New York closed",
            "selected": False,
        }
    ]
    assert call(app, "DELETE", path, {"ivr_id": playing["id"]}).status == 404


def test_the_api_key_goes_in_the_authorization_header_or_the_apikey_parameter(app):
    assert call(app, "GET", "offices").status == 200
    assert call(app, "GET", "offices", key_in_query=True).status == 200
    for key in (None, "wrong-key", ""):
        reply = call(app, "GET", "offices", key=key)
        assert reply.status == 401
        assert reply.json()["error"]["code"] == 401
    logged = app.requests[1]
    assert logged.query == {"apikey": "********"}


def test_lists_come_in_cursor_pages(app):
    app.page_size = 1
    names, cursor, pages = [], None, 0
    while True:
        reply = call(app, "GET", "offices", **({"cursor": cursor} if cursor else {}))
        answer = reply.json()
        names += [office["name"] for office in answer["items"]]
        pages += 1
        cursor = answer.get("cursor")
        if not cursor:
            break
    assert (names, pages) == (["London", "New York"], 2)
    assert call(app, "GET", "offices", cursor="%%%").status == 400
    first = call(app, "GET", "customivrs", target_type="office", target_id=LONDON).json()
    assert len(first["items"]) == 1 and first["cursor"]


@pytest.mark.parametrize(
    ("path", "schema"),
    [
        ("offices", "schemas.office.OfficeProto"),
        ("departments", "schemas.group.DepartmentProto"),
        ("callcenters", "schemas.group.CallCenterProto"),
        ("users", "schemas.user.UserProto"),
    ],
)
def test_lookups_have_documented_fields_and_answer_by_id(app, path, schema):
    fields = set(openapi()["schemas"][schema])
    items = call(app, "GET", path).json()["items"]
    assert items
    for item in items:
        assert set(item) <= fields, set(item) - fields
        assert item["id"].isdigit() and item["name" if path != "users" else "display_name"]
        one = call(app, "GET", f"{path}/{item['id']}")
        assert (one.status, one.json()) == (200, item)
    assert call(app, "GET", f"{path}/1").status == 404
    assert call(app, "GET", f"{path}/abc").status == 400


def test_lookups_filter_as_documented(app):
    by_office = call(app, "GET", "departments", office_id=LONDON).json()["items"]
    assert [d["name"] for d in by_office] == ["Sales", "Customer support"]
    searched = call(app, "GET", "departments", name_search="sup").json()["items"]
    assert [d["id"] for d in searched] != [] and all("sup" in d["name"].lower() for d in searched)
    assert call(app, "GET", "departments", name_search="SALES").json()["items"][0]["id"] == str(
        SALES
    )
    new_york = call(app, "GET", "callcenters", office_id=NEW_YORK).json()["items"]
    assert new_york == []
    with app.state.lock:
        app.state.targets["office"][NEW_YORK]["state"] = "deleted"
    active = call(app, "GET", "offices", active_only="true").json()["items"]
    assert [o["name"] for o in active] == ["London"]
    assert call(app, "GET", "users", state="sleeping").status == 400
    dana = call(app, "GET", "users", email="DANA.WHITFIELD@northwind.example").json()["items"]
    assert [u["display_name"] for u in dana] == ["Dana Whitfield"]


def test_the_rate_limit_knob_answers_429_per_second_without_retry_after(app):
    app.faults.rate_limit_per_minute = 2
    statuses = [call(app, "GET", "offices") for _ in range(3)]
    assert [reply.status for reply in statuses] == [200, 200, 429]
    assert "Retry-After" not in statuses[2].headers
    assert statuses[2].json()["error"]["errors"][0]["reason"] == "rateLimitExceeded"
    assert app.faults.rate_limit_window_seconds == 1.0


def test_the_request_log_keeps_no_audio_and_no_key(app):
    upload(app)
    logged = app.requests[-1]
    assert logged.body["file"] == f"<{len(MP3)} characters of base64>"
    assert "sandbox-dialpad-api-key" not in json.dumps([r.to_json() for r in app.requests])


def test_an_unknown_path_is_a_plain_404(app):
    reply = call(app, "GET", "ivrs")
    assert (reply.status, reply.text) == (404, "Not Found")
    assert reply.headers["Content-Type"].startswith("text/plain")
