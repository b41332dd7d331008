"""The client's IVR endpoints against the sandbox: typed reads, and writes that send the
fewest fields."""

from dataclasses import replace

import pytest

from tests.talk.recorder import change_set
from tests.yeastar.documented import ivr_get_example
from yeastar.resources import Destination, DestinationKind, Ivr, Route


def test_the_list_follows_every_page(yeastar_sandbox):
    yeastar_sandbox.client.page_size = 4
    ivrs = yeastar_sandbox.client.list_ivrs()
    assert [(ivr.id, ivr.number) for ivr in ivrs][:2] == [(1, "6200"), (2, "6201")]
    assert len(ivrs) == 6
    pages = yeastar_sandbox.requests_to("GET", "ivr/list")
    assert [(r.query["page"], r.query["page_size"]) for r in pages] == [("1", "4"), ("2", "4")]


def test_search_and_get_and_query(yeastar_sandbox):
    client = yeastar_sandbox.client
    assert [ivr.name for ivr in client.search_ivrs("support")] == [
        "Customer support",
        "Technical support",
    ]
    assert client.get_ivr(5).to_json() == ivr_get_example()["response"]["data"]
    assert [ivr.name for ivr in client.get_ivrs([4, 99, 1])] == ["Technical support", "Main menu"]
    assert client.get_ivrs([]) == [] and len(yeastar_sandbox.requests_to("GET", "ivr/query")) == 1


def test_a_created_ivr_gets_its_id_and_holds_what_was_sent(yeastar_sandbox):
    ivr = Ivr.from_json(
        {"number": "6210", "name": "Spring sale", "prompt": "Sales-Menu.wav", "prompt_repeat": 2,
         "resp_timeout": 4, "digit_timeout": 3, "dial_ext_option": "disable"}
    ).with_route("1", Route(Destination(DestinationKind.QUEUE, "2")))  # fmt: skip
    with change_set() as recorded:
        new_id = yeastar_sandbox.client.create_ivr(ivr)
    held = yeastar_sandbox.client.get_ivr(new_id)
    assert (held.name, held.route("1").destination) == ("Spring sale", Destination("queue", "2"))
    assert recorded.calls[0].request_body["press1_dest"] == "queue"


def test_a_create_whose_answer_lacks_the_id_finds_the_ivr_by_its_number(yeastar_sandbox):
    yeastar_sandbox.fail(
        "POST", "ivr/create", body={"errcode": 0, "errmsg": "SUCCESS"}, after_applying=True
    )
    ivr = Ivr.from_json(
        {"number": "6210", "name": "Spring sale", "prompt": "default", "prompt_repeat": 2,
         "resp_timeout": 4, "digit_timeout": 3, "dial_ext_option": "disable"}
    )  # fmt: skip
    with change_set():
        new_id = yeastar_sandbox.client.create_ivr(ivr)
    assert yeastar_sandbox.state.ivrs[new_id]["name"] == "Spring sale"
    assert yeastar_sandbox.requests_to("GET", "ivr/search")[0].query["search_value"] == "6210"


def test_an_update_sends_only_what_changed_and_keeps_the_rest(yeastar_sandbox):
    client = yeastar_sandbox.client
    before = client.get_ivr(5)
    after = replace(before, name="Reception", resp_timeout=6).with_route(
        "timeout", Route(Destination(DestinationKind.EXTENSION, "73"), stop_recording=True)
    )
    with change_set():
        client.update_ivr(5, changes=after.changes_from(before))
    (sent,) = yeastar_sandbox.requests_to("POST", "ivr/update")
    assert set(sent.body) == {
        "id", "name", "resp_timeout", "timeout_dest", "timeout_dest_prefix",
        "timeout_dest_value", "allow_out_record_timeout",
    }  # fmt: skip
    assert client.get_ivr(5) == after
    assert yeastar_sandbox.state.ivrs[5]["prompt_manger_password"] == "6204"  # never overwritten


def test_nothing_to_change_sends_nothing_and_unknown_fields_are_a_programming_error(
    yeastar_sandbox,
):
    with change_set():
        yeastar_sandbox.client.update_ivr(5, changes={})
        with pytest.raises(ValueError, match="not writable"):
            yeastar_sandbox.client.update_ivr(5, changes={"colour": "red"})
    assert yeastar_sandbox.endpoints() == []


def test_delete_removes_the_ivr(yeastar_sandbox):
    with change_set() as recorded:
        yeastar_sandbox.client.delete_ivr(6)
    assert 6 not in yeastar_sandbox.state.ivrs
    assert (recorded.calls[0].method, recorded.calls[0].write) == ("GET", True)
    assert recorded.calls[0].path == "/openapi/v1.0/ivr/delete?id=6"
    # A delete by GET is a write: on record before it was sent, its answer under the same call.
    [sending] = recorded.sending
    assert (sending.method, sending.path) == ("GET", "/openapi/v1.0/ivr/delete?id=6")
    assert recorded.calls[0].sequence == 1


def test_reads_are_recorded_with_their_answer_only(yeastar_sandbox):
    with change_set() as recorded:
        yeastar_sandbox.client.get_ivr(5)
    assert recorded.sending == [] and recorded.calls[0].sequence is None


def test_the_directory_names_what_destinations_point_at(yeastar_sandbox):
    directory = yeastar_sandbox.client.read_directory()
    assert "1001 Phillip Huff" in [extension.label for extension in directory.extensions]
    assert directory.ring_groups[0].label == "6300 Front desk"
    assert {queue.name for queue in directory.queues} == {"Support queue", "Sales queue"}
    assert [c.label for c in directory.conferences] == [
        "6500 Escalation bridge",
        "6501 Partner call",
    ]
    assert directory.group_voicemails[0].raw["type"] == "custom"
    assert "IVR.wav" in [prompt.file_name for prompt in directory.custom_prompts]
    assert len(directory.ivrs) == 6
    conference_pages = yeastar_sandbox.requests_to("GET", "conference/list")
    assert conference_pages[0].query["page"] == "1"  # the PBX requires paging there


def test_check_reachable_is_one_quick_read(yeastar_sandbox):
    yeastar_sandbox.client.check_reachable()
    assert yeastar_sandbox.endpoints() == ["POST get_token", "GET ivr/list"]
    yeastar_sandbox.fail("GET", "ivr/list", status=503)
    from yeastar.errors import Unavailable

    with pytest.raises(Unavailable):
        yeastar_sandbox.client.check_reachable()
    assert len(yeastar_sandbox.requests_to("GET", "ivr/list")) == 2  # no retry
