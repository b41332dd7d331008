"""The demo PBX: linked IVRs with a loop, all twelve destination kinds, names for everything."""

from sandbox.yeastar.demo import demo_pbx
from sandbox.yeastar.ivrs import KINDS, REFERS_TO
from sandbox.yeastar.state import SLOTS, YeastarState, ivr_json, slot_keys
from tests.yeastar.documented import ivr_get_example


def _state():
    return YeastarState(demo_pbx())


def _destinations(state):
    for ivr in state.ivrs.values():
        for slot in SLOTS:
            dest, prefix, value, _ = slot_keys(slot)
            yield ivr, slot, ivr[dest], ivr[value], ivr[prefix]


def test_the_ivrs_link_into_one_call_flow_with_loops_back():
    state = _state()
    links = {
        ivr_id: {
            int(value)
            for ivr, _, kind, value, _ in _destinations(state)
            if ivr["id"] == ivr_id and kind == "ivr"
        }
        for ivr_id in state.ivrs
    }
    assert links == {1: {2, 3, 5}, 2: {1}, 3: {1, 4}, 4: {3}, 5: {1}, 6: set()}
    assert [state.ivrs[i]["name"] for i in sorted(state.ivrs)] == [
        "Main menu", "Sales", "Customer support", "Technical support", "Virtual Receptionist",
        "Holiday closure",
    ]  # fmt: skip


def test_all_twelve_destination_kinds_are_used_and_every_one_resolves():
    state = _state()
    used = {kind for _, _, kind, _, _ in _destinations(state)}
    assert used == KINDS  # the twelve, and "" (not set)
    assert len(KINDS - {""}) == 12
    for ivr, slot, kind, value, _ in _destinations(state):
        if kind in REFERS_TO:
            assert int(value) in state.collection(REFERS_TO[kind]), (ivr["name"], slot)
        if kind in ("play_greeting", "play_prompt"):
            assert value in state.prompt_names(), (ivr["name"], slot)


def test_extensions_have_names_and_the_example_ivr_is_the_documents():
    state = _state()
    assert {(e["number"], e["caller_id_name"]) for e in state.extensions.values()} >= {
        ("1000", "Dana Whitfield"),
        ("1001", "Phillip Huff"),
    }
    assert state.ring_groups[4]["name"] == "Support" and state.queues[1]["name"]
    assert (
        ivr_json(state.ivr_named("Virtual Receptionist")) == ivr_get_example()["response"]["data"]
    )


def test_the_traps_a_checker_should_find_are_there():
    state = _state()
    receptionist, technical = state.ivr_named("Virtual Receptionist"), state.ivrs[4]
    assert receptionist["timeout_dest"] == receptionist["invalid_dest"] == ""
    assert technical["invalid_dest"] == ""
