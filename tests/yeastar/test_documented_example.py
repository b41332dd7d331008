"""The saved copy of Yeastar's ivr/get example is the document's, and the typed IVR keeps it."""

import pytest

from tests.yeastar.documented import SAVED, document_path, examples_from_document
from yeastar.resources import DestinationKind, Ivr


def test_the_saved_example_is_the_documents():
    path = document_path()
    if path is None:
        pytest.skip("shared/talk-api/ is not beside this checkout")
    import json

    assert json.loads(SAVED.read_text()) == examples_from_document(path.read_text())


def test_the_typed_ivr_reads_the_example_and_gives_it_back_unchanged():
    from tests.yeastar.documented import ivr_get_example

    data = ivr_get_example()["response"]["data"]
    ivr = Ivr.from_json(data)
    assert ivr.to_json() == data
    assert (ivr.id, ivr.number, ivr.name, ivr.prompts) == (
        5,
        "6204",
        "Virtual Receptionist",
        ("default",),
    )
    assert (ivr.prompt_repeat, ivr.resp_timeout, ivr.digit_timeout) == (3, 3, 3)
    assert ivr.dial_ext_option == "allow" and ivr.dial_outbound_routes and not ivr.check_voicemail
    external = ivr.route("8").destination
    assert (external.kind, external.value, external.prefix) == ("external_num", "123456", "123")
    assert ivr.route("6").destination.play_count == 3
    assert ivr.route("7").destination.kind == DestinationKind.PLAY_PROMPT_AND_RETURN
    assert ivr.route("1").destination.refers_to == "extension"
    assert not ivr.route("timeout").destination.is_set
    assert ivr.linked_ivr_ids() == [1]
    assert [item["text"] for item in ivr.dial_ext_list] == ["Support", "Phillip Huff"]


def test_an_edit_changes_only_its_own_fields_and_the_update_sends_only_those():
    from dataclasses import replace

    from tests.yeastar.documented import ivr_get_example
    from yeastar.resources import Destination, Route

    data = ivr_get_example()["response"]["data"]
    before = Ivr.from_json(data)
    after = replace(before, name="Reception").with_route(
        "timeout", Route(Destination(DestinationKind.IVR, "1"))
    )
    edited = after.to_json()
    assert {k for k in edited if edited[k] != data.get(k)} == {
        "name", "timeout_dest", "timeout_dest_value",
    }  # fmt: skip
    assert edited["press2_dest_prefix"] == "123"  # odd values the PBX sent survive untouched
    assert after.changes_from(before) == {
        "name": "Reception",
        "timeout_dest": "ivr",
        "timeout_dest_prefix": "",
        "timeout_dest_value": "1",
        "allow_out_record_timeout": 0,
    }
    assert "prompt_manger_password" not in after.to_request()
