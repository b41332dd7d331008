"""The Yeastar sandbox speaks the P-Series contract: tokens, the errcode envelope, IVR endpoints.

Documented shapes are checked against Yeastar's examples; where the documents are silent the
sandbox's choice is the one its package docstring lists.
"""

import pytest

from sandbox.yeastar import build_app
from tests.sandbox.yeastar_call import call, get_token, token
from tests.yeastar.documented import ivr_get_example


@pytest.fixture
def app():
    return build_app(env={})


def test_the_documented_ivr_get_example_round_trips_exactly(app):
    example = ivr_get_example()
    query = {**example["query"], "access_token": token(app)}
    reply = call(app, example["method"], example["path"].removeprefix("/openapi/v1.0/"), **query)
    assert reply.status == example["status"]
    assert reply.headers["Content-Type"].startswith("application/json")
    assert reply.json() == example["response"]


def test_a_token_comes_from_the_client_id_and_secret_with_its_lifetimes(app):
    answer = get_token(app).json()
    assert set(answer) == {
        "errcode", "errmsg", "access_token_expire_time", "access_token",
        "refresh_token_expire_time", "refresh_token",
    }  # fmt: skip
    assert (answer["errcode"], answer["errmsg"]) == (0, "SUCCESS")
    assert (answer["access_token_expire_time"], answer["refresh_token_expire_time"]) == (
        1800,
        86400,
    )
    assert len(answer["access_token"]) == 32 and answer["access_token"].isalnum()


def test_wrong_credentials_are_an_errcode_failure_with_http_200_as_documented(app):
    reply = get_token(app, password="guess")
    assert reply.status == 200
    assert reply.json() == {
        "errcode": -1,
        "errmsg": "FAILURE",
        "invalid_param_list": [{"field": "username or password", "value": "error"}],
    }


def test_every_call_needs_a_user_agent_and_a_valid_token(app):
    assert call(app, "GET", "ivr/list", token=token(app), user_agent=None).status == 403
    for token_value in (None, "not-a-token"):
        reply = call(app, "GET", "ivr/list", token=token_value)
        assert reply.status == 200
        assert reply.json() == {"errcode": 10004, "errmsg": "TOKEN EXPIRED"}


def test_a_token_expires_and_the_refresh_token_gives_a_new_pair_once(app):
    clock = [1000.0]
    app.tokens.clock = lambda: clock[0]
    first = get_token(app).json()
    clock[0] += 1800
    assert call(app, "GET", "ivr/list", token=first["access_token"]).json()["errcode"] == 10004
    renewed = call(app, "POST", "refresh_token", {"refresh_token": first["refresh_token"]}).json()
    assert renewed["errcode"] == 0 and renewed["access_token"] != first["access_token"]
    assert call(app, "GET", "ivr/list", token=renewed["access_token"]).json()["errcode"] == 0
    again = call(app, "POST", "refresh_token", {"refresh_token": first["refresh_token"]})
    assert again.json()["errcode"] == 10004  # a refresh token works once
    clock[0] += 86400
    late = call(app, "POST", "refresh_token", {"refresh_token": renewed["refresh_token"]})
    assert late.json()["errcode"] == 10004


def test_at_most_eight_tokens_are_valid_at_once_and_del_token_frees_one(app):
    tokens = [get_token(app).json()["access_token"] for _ in range(8)]
    assert get_token(app).json() == {"errcode": -1, "errmsg": "FAILURE"}
    assert call(app, "GET", "del_token", token=tokens[0]).json()["errcode"] == 0
    assert call(app, "GET", "ivr/list", token=tokens[0]).json()["errcode"] == 10004
    assert get_token(app).json()["errcode"] == 0


def test_lists_page_sort_and_count(app):
    access = token(app)
    first = call(app, "GET", "ivr/list", token=access, page=1, page_size=4).json()
    second = call(app, "GET", "ivr/list", token=access, page=2, page_size=4).json()
    assert first["total_number"] == second["total_number"] == 6
    assert [ivr["id"] for ivr in first["data"] + second["data"]] == [1, 2, 3, 4, 5, 6]
    assert set(first["data"][0]) == {
        "id",
        "number",
        "name",
        "dial_ext_option",
        "enb_dial_outb_routes",
    }
    by_name = call(app, "GET", "ivr/list", token=access, sort_by="name", order_by="desc").json()
    assert by_name["data"][0]["name"] == "Virtual Receptionist"
    bad = call(app, "GET", "ivr/list", token=access, sort_by="colour").json()
    assert bad["errcode"] == 40002 and bad["invalid_param_list"][0]["field"] == "sort_by"


def test_search_matches_number_or_name(app):
    access = token(app)
    by_number = call(app, "GET", "ivr/search", token=access, search_value="6200").json()
    assert [ivr["name"] for ivr in by_number["data"]] == ["Main menu"]
    by_name = call(app, "GET", "ivr/search", token=access, search_value="support").json()
    assert {ivr["number"] for ivr in by_name["data"]} == {"6202", "6203"}
    assert by_name["total_number"] == 2


def test_query_answers_several_ivrs_and_leaves_out_unknown_ids(app):
    reply = call(app, "GET", "ivr/query", token=token(app), ids="5,1,99").json()
    assert [ivr["id"] for ivr in reply["data"]] == [5, 1]
    assert reply["data"][0] == ivr_get_example()["response"]["data"]


@pytest.mark.parametrize(
    ("endpoint", "key", "query"),
    [
        ("extension/list", "data", {}),
        ("ringgroup/list", "data", {}),
        ("queue/list", "queue_list", {}),
        ("conference/list", "data", {"page": 1, "page_size": 10}),
        ("vm_group/list", "vm_group_list", {}),
        ("custom_prompt/list", "prompt_list", {}),
    ],
)
def test_each_lookup_answers_under_its_documented_key(app, endpoint, key, query):
    answer = call(app, "GET", endpoint, token=token(app), **query).json()
    assert answer["errcode"] == 0 and answer["total_number"] == len(answer[key]) > 0
    assert all({"id"} <= set(item) for item in answer[key])


def test_the_conference_list_requires_its_paging_parameters(app):
    answer = call(app, "GET", "conference/list", token=token(app)).json()
    assert answer["errcode"] == 40002
    assert {p["field"] for p in answer["invalid_param_list"]} == {"page", "page_size"}


def test_an_unknown_endpoint_or_method_is_a_plain_404(app):
    assert call(app, "GET", "ivr/colour", token=token(app)).status == 404
    assert call(app, "POST", "ivr/get", {}, token=token(app)).status == 404


def test_the_request_log_never_keeps_a_token_or_the_secret(app):
    access = token(app)
    call(app, "GET", "ivr/list", token=access)
    logged = repr(app.requests)
    assert access not in logged and "sandbox-client-secret" not in logged
    assert app.requests[-1].query["access_token"] == "********"
