"""ivr/create, ivr/update and ivr/delete on the Yeastar sandbox: every destination kind, the
documented ranges and requirements, and the PARAMETER ERROR answers (HTTP 200)."""

import pytest

from sandbox.yeastar import build_app
from tests.sandbox.yeastar_call import call, token

ALL_KINDS = {
    "1": ("end_call", "", ""),
    "2": ("extension", "85", ""),
    "3": ("ext_vm", "85", ""),
    "4": ("ivr", "1", ""),
    "5": ("ring_group", "1", ""),
    "6": ("queue", "1", ""),
    "7": ("group_vm", "1", ""),
    "8": ("conference", "2", ""),
    "9": ("dial_by_name", "", ""),
    "0": ("external_num", "5550199", "9"),
    "star": ("play_greeting", "Known-Outages.wav", "2"),
    "hash": ("play_prompt", "IVR.wav", "1"),
}
KEY_FIELDS = {"star": "press_star", "hash": "press_hash"}


def destination(slot, kind, value="", prefix=""):
    stem = KEY_FIELDS.get(slot, f"press{slot}" if slot not in ("timeout", "invalid") else slot)
    return {f"{stem}_dest": kind, f"{stem}_dest_value": value, f"{stem}_dest_prefix": prefix}


def new_ivr(**fields):
    return {
        "number": "6210", "name": "Spring sale", "prompt": "default", "prompt_repeat": 2,
        "resp_timeout": 4, "digit_timeout": 3, "dial_ext_option": "disable", **fields,
    }  # fmt: skip


@pytest.fixture
def app():
    return build_app(env={})


@pytest.fixture
def access(app):
    return token(app)


def test_an_ivr_with_all_twelve_destination_kinds_is_stored_as_sent(app, access):
    fields = new_ivr()
    for slot, (kind, value, prefix) in ALL_KINDS.items():
        fields.update(destination(slot, kind, value, prefix))
    fields.update(destination("timeout", "ivr", "2"))
    fields.update(destination("invalid", "end_call"))
    created = call(app, "POST", "ivr/create", fields, token=access).json()
    assert created["errcode"] == 0 and isinstance(created["id"], int)
    shown = call(app, "GET", "ivr/get", token=access, id=created["id"]).json()["data"]
    for key, value in fields.items():
        assert shown[key] == value, key
    assert shown["allow_out_record1"] == 0 and shown["prompt_manger_password"] == ""
    assert "dial_ext_list" not in shown


@pytest.mark.parametrize(
    ("changes", "field", "validation_type"),
    [
        (destination("1", "voicemail", "85"), "press1_dest", "invalid"),
        (destination("1", "extension", "999"), "press1_dest_value", "invalid"),
        (destination("1", "ivr"), "press1_dest_value", "required"),
        (destination("star", "queue", "99"), "press_star_dest_value", "invalid"),
        (destination("hash", "group_vm", "x"), "press_hash_dest_value", "invalid"),
        (destination("timeout", "conference", "9"), "timeout_dest_value", "invalid"),
        (destination("invalid", "ring_group", "9"), "invalid_dest_value", "invalid"),
        (destination("2", "external_num", "call me"), "press2_dest_value", "invalid"),
        (destination("2", "external_num", "5550199", "x9"), "press2_dest_prefix", "invalid"),
        (destination("3", "play_prompt", "Nope.wav", "1"), "press3_dest_value", "invalid"),
        (destination("3", "play_greeting", "IVR.wav", "0"), "press3_dest_prefix", "invalid"),
        ({"prompt_repeat": 0}, "prompt_repeat", "invalid"),
        ({"prompt_repeat": 6}, "prompt_repeat", "invalid"),
        ({"resp_timeout": 11}, "resp_timeout", "invalid"),
        ({"digit_timeout": 0}, "digit_timeout", "invalid"),
        ({"prompt": "Nope.wav"}, "prompt", "invalid"),
        ({"prompt": ",".join(["default"] * 6)}, "prompt", "invalid"),
        ({"dial_ext_option": "some"}, "dial_ext_option", "invalid"),
        ({"dial_ext_option": "allow"}, "dial_ext_list", "required"),
        ({"dial_ext_option": "restrict"}, "restrict_dial_ext_list", "required"),
        ({"enb_dial_check_vm": 2}, "enb_dial_check_vm", "invalid"),
        ({"number": "62a0"}, "number", "invalid"),
    ],
)
def test_a_bad_field_is_a_parameter_error_naming_it_and_nothing_changes(
    app, access, changes, field, validation_type
):
    reply = call(app, "POST", "ivr/create", new_ivr(**changes), token=access)
    assert reply.status == 200
    answer = reply.json()
    assert (answer["errcode"], answer["errmsg"]) == (40002, "PARAMETER ERROR")
    assert {"field": field, "validation_type": validation_type} in [
        {k: v for k, v in p.items() if k != "value"} for p in answer["invalid_param_list"]
    ]
    assert len(app.state.ivrs) == 6


def test_a_create_without_its_required_fields_lists_each_one(app, access):
    answer = call(app, "POST", "ivr/create", {"name": "Half"}, token=access).json()
    assert answer["errcode"] == 40002
    assert {p["field"] for p in answer["invalid_param_list"]} == {
        "number", "prompt", "prompt_repeat", "resp_timeout", "digit_timeout", "dial_ext_option",
    }  # fmt: skip
    assert all(p["validation_type"] == "required" for p in answer["invalid_param_list"])


def test_a_number_already_used_on_the_pbx_is_a_duplicate(app, access):
    for number in ("6200", "1001", "6400"):  # an IVR, an extension, a queue
        answer = call(app, "POST", "ivr/create", new_ivr(number=number), token=access).json()
        assert answer["errcode"] == 40002
        assert answer["duplicate_field_list"] == [{"field": "number", "value": number}]


def test_allowed_extensions_are_named_by_the_pbx(app, access):
    listed = [{"value": "85", "type": "extension"}, {"value": "91", "type": "ext_group"}]
    fields = new_ivr(dial_ext_option="allow", dial_ext_list=listed)
    created = call(app, "POST", "ivr/create", fields, token=access).json()
    shown = call(app, "GET", "ivr/get", token=access, id=created["id"]).json()["data"]
    assert shown["dial_ext_list"] == [
        {"text": "Phillip Huff", "text2": "1001", "value": "85", "type": "extension"},
        {"text": "Sales", "text2": "Sales", "value": "91", "type": "ext_group"},
    ]


def test_an_update_changes_only_the_fields_sent(app, access):
    before = call(app, "GET", "ivr/get", token=access, id=3).json()["data"]
    changes = {"id": 3, "name": "Support", **destination("4", "extension", "89")}
    assert call(app, "POST", "ivr/update", changes, token=access).json() == {
        "errcode": 0,
        "errmsg": "SUCCESS",
    }
    after = call(app, "GET", "ivr/get", token=access, id=3).json()["data"]
    assert {k for k in after if after[k] != before.get(k)} == {
        "name", "press4_dest", "press4_dest_value",
    }  # fmt: skip


def test_an_update_that_breaks_a_rule_is_refused_whole(app, access):
    changes = {"id": 3, "name": "Support", "resp_timeout": 30}
    answer = call(app, "POST", "ivr/update", changes, token=access).json()
    assert answer["invalid_param_list"] == [
        {"field": "resp_timeout", "validation_type": "invalid", "value": "30"}
    ]
    assert app.state.ivrs[3]["name"] == "Customer support"


@pytest.mark.parametrize(
    ("method", "endpoint", "body", "query"),
    [
        ("GET", "ivr/get", None, {"id": 99}),
        ("POST", "ivr/update", {"id": 99, "name": "Ghost"}, {}),
        ("GET", "ivr/delete", None, {"id": 99}),
    ],
)
def test_an_id_that_names_nothing_is_a_parameter_error_on_the_id(
    app, access, method, endpoint, body, query
):
    answer = call(app, method, endpoint, body, token=access, **query).json()
    assert answer == {
        "errcode": 40002,
        "errmsg": "PARAMETER ERROR",
        "invalid_param_list": [{"field": "id", "validation_type": "invalid", "value": "99"}],
    }


def test_delete_is_a_get_and_leaves_destinations_to_the_ivr_dangling(app, access):
    assert call(app, "GET", "ivr/delete", token=access, id=4).json()["errcode"] == 0
    assert 4 not in app.state.ivrs
    support = call(app, "GET", "ivr/get", token=access, id=3).json()["data"]
    assert (support["press2_dest"], support["press2_dest_value"]) == ("ivr", "4")
    assert call(app, "POST", "ivr/update", {"id": 3, "name": "Support"}, token=access).json()[
        "invalid_param_list"
    ] == [{"field": "press2_dest_value", "validation_type": "invalid", "value": "4"}]


def test_writes_survive_a_restart_through_the_state_file(tmp_path):
    state_file = tmp_path / "pbx.json"
    first = build_app(state_file=state_file, env={})
    call(first, "POST", "ivr/create", new_ivr(), token=token(first))
    second = build_app(state_file=state_file, env={})
    names = {ivr["name"] for ivr in second.state.ivrs.values()}
    assert "Spring sale" in names and len(names) == 7
