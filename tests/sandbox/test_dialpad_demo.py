"""The demo company has what the Dialpad pages need to show: offices, departments, a call centre
and users by name, recordings playing in several situations, some situations on Dialpad's
default, and the traps its docstring promises."""

import hashlib

from sandbox.dialpad import build_app
from sandbox.dialpad.demo import (
    BILLING,
    HOLD_MUSIC,
    LONDON,
    NEW_YORK,
    RECORDINGS,
    SALES,
    SUPPORT_QUEUE,
)
from tests.sandbox.dialpad_call import call


def _items(app, path) -> list[dict]:
    return call(app, "GET", path).json()["items"]


def _plays(app, kind, target_id) -> dict[str, list[str]]:
    items = call(app, "GET", "customivrs", target_type=kind, target_id=target_id).json()["items"]
    return {i["ivr_type"]: [r["name"] for r in i["ivrs"] if r["selected"]] for i in items}


def test_the_company_has_offices_departments_a_call_centre_and_users_by_name():
    app = build_app(env={})
    names = {
        path: [item.get("name") or item["display_name"] for item in _items(app, path)]
        for path in ("offices", "departments", "callcenters", "users")
    }
    assert names == {
        "offices": ["London", "New York"],
        "departments": ["Sales", "Customer support", "Billing"],
        "callcenters": ["Support queue"],
        "users": ["Dana Whitfield", "Maria Santos", "Kenji Watanabe"],
    }
    kinds = {kind for kind, targets in app.state.targets.items() if targets}
    assert kinds == set(app.state.targets) - {"unknown"}


def test_recordings_play_in_several_situations_and_some_situations_use_the_default():
    app = build_app(env={})
    london = _plays(app, "office", LONDON)
    assert london["MENU"] == ["London main menu"] and london["CLOSED"] == ["London closed"]
    assert "CLOSED_MENU" not in london  # Dialpad's default plays when closed
    assert _plays(app, "office", NEW_YORK)["CLOSED"] == ["Christmas closed"]
    sales = _plays(app, "department", SALES)
    assert sales == {"DEPARTMENT_INTRO": ["Sales welcome"]}
    queue = _plays(app, "callcenter", SUPPORT_QUEUE)
    assert {"HOLD_POSITION_ONE", "HOLD_POSITION_TWO", "HOLD_POSITION_THREE"} <= set(queue)
    assert "HOLD_POSITION_FOUR" not in queue
    assert queue["AUTO_RECORDING"] == ["Recording notice (inbound)", "Recording notice (outbound)"]
    assert _plays(app, "department", BILLING) == {}  # Dialpad's defaults everywhere
    unused = [r["name"] for r in app.state.recordings.values() if not r["plays_for"]]
    assert sorted(unused) == ["London main menu (2023)", "New York closed"]


def test_the_demo_recordings_are_the_committed_mp3s_and_one_is_text_to_speech():
    app = build_app(env={})
    for record in app.state.recordings.values():
        if record["audio"] is None:
            assert record["name"] == "How did we do?" and record["text"]
            continue
        name = record["audio"]["file"]
        path = HOLD_MUSIC if name == HOLD_MUSIC.name else RECORDINGS / name
        content = path.read_bytes()
        assert content[:2] == b"\xff\xe3"  # an MPEG audio frame, as sox wrote it
        assert record["audio"]["sha256"] == hashlib.sha256(content).hexdigest()
        assert len(content) < 20_000
    question = call(app, "GET", "customivrs", target_type="callcenter", target_id=SUPPORT_QUEUE)
    survey = next(i for i in question.json()["items"] if i["ivr_type"] == "CSAT_QUESTION")
    assert survey["ivrs"][0]["text"].startswith("On a scale of 1 to 5")
