"""The pieces of `make bench` (bench/run.py) work: the scaled account, the figures, the table,
what the rate limit allows. No timing here: the benchmark itself is never part of the tests."""

import pytest

from bench.common import cell, format_table, percentile, ratio
from bench.run import allowed_seconds, rate_limit_verdict, report
from bench.scaled_account import (
    BIG_IVR_NAMES,
    GREETINGS,
    GROUPS,
    IVRS,
    PHONE_NUMBERS,
    counts,
    scaled_account,
)
from sandbox.state import SandboxState


def test_the_scaled_account_has_the_issues_numbers_and_is_the_same_every_time():
    account = scaled_account()
    found = counts(account)
    assert {name: found[name] for name in ("ivrs", "phone_numbers", "groups", "greetings")} == {
        "ivrs": 50, "phone_numbers": 500, "groups": 100, "greetings": 200,
    }  # fmt: skip
    assert (IVRS, PHONE_NUMBERS, GROUPS, GREETINGS) == (50, 500, 100, 200)
    assert found["big_ivrs"] == len(BIG_IVR_NAMES) == 5
    assert 50 <= found["numbers_with_an_ivr"] < 500
    assert account == scaled_account()
    state = SandboxState(account)
    for name in BIG_IVR_NAMES:
        menus = state.menus_of(state.ivr_named(name)["id"])
        assert [len(state.routes_of(menu["id"])) for menu in menus] == [12] * 10
        assert state.numbers_using(state.ivr_named(name)["id"]), "the IVR page has its numbers"
    assert len({n["number"] for n in state.phone_numbers.values()}) == 500
    # Every menu route of the scaled IVRs leads to a menu of the same IVR.
    for route in state.routes.values():
        if route["action"] == "menu":
            target = state.menus[route["options"]["menu_id"]]
            assert target["ivr_id"] == state.menus[route["menu_id"]]["ivr_id"]


def test_percentiles_are_values_that_were_measured():
    samples = [5.0, 1.0, 3.0, 2.0, 4.0]
    assert percentile(samples, 0.5) == 3.0
    assert percentile(samples, 0.95) == 5.0
    assert percentile(list(range(1, 101)), 0.95) == 95
    assert ratio(130.0, 100.0) == pytest.approx(1.3)
    assert ratio(5.0, None) is None


def test_the_table_aligns_its_columns():
    table = format_table(["page", "median"], [["IVR list", cell(1234.4)], ["audit", cell(None)]])
    assert table.splitlines() == [
        "page      median",
        "--------  ------",
        "IVR list   1,234",
        "audit          -",
    ]


def test_what_the_rate_limit_allows():
    # Three calls a 10 s window, two spent at 0 s; each call takes 1 s, from 1 s on: the first
    # goes at once, the second waits for the window to pass the first two (10 s), the third
    # follows it.
    assert allowed_seconds(
        earlier=[0.0, 0.0], durations=[1.0] * 3, began_at=1.0, limit=3, window=10.0
    ) == pytest.approx(11.0)
    # Within the budget, only the calls' own time.
    assert allowed_seconds(
        earlier=[], durations=[0.1] * 30 + [0.3] * 10, began_at=0.0, limit=100, window=60.0
    ) == pytest.approx(6.0)


def test_the_report_says_which_pages_are_not_built_and_which_miss_the_target():
    page = {
        "page": "IVR list", "visit": "first visit", "url": "/ivrs/", "built": True,
        "status": 200, "median_ms": 260.0, "p95_ms": 300.0, "calls": 6, "repeated_calls": 0,
        "floor_ms": 200.0, "ratio": 1.3,
    }  # fmt: skip
    slow = {**page, "visit": "visited again", "median_ms": 400.0, "ratio": 2.0}
    missing = {**page, "page": "number list", "url": "/numbers/", "built": False, "status": 404}
    publish = {
        "limit": 100, "window_seconds": 60.0, "spent_before": 0, "operations": 40, "calls": 41,
        "writes": 40, "outcome": "applied", "message": "", "answered_429": 0, "seconds": 4.3,
        "allowed_seconds": 4.1, "ratio": 1.05,
    }  # fmt: skip
    figures = {
        "set_up": {
            "latency_ms": 100, "runs": 7, "gunicorn_workers": 2, "cpus": 2,
            "load_average": {"before": [1.0, 1.0, 1.0], "after": [2.0, 1.0, 1.0]},
            "account": {"ivrs": 50, "big_ivrs": 5, "phone_numbers": 500,
                        "numbers_with_an_ivr": 84, "groups": 100, "greetings": 200},
        },
        "pages": [page, slow, missing],
        "one_route_publish": {
            "reads": 1, "writes": 1, "minimum_reads": 1, "minimum_writes": 1,
            "median_ms": 300.0, "p95_ms": 320.0, "floor_ms": 250.0, "ratio": 1.2,
        },
        "throughput": {"error": "/usr/bin/wrk is missing (apt-get install wrk)"},
        "rate_limited_publish": [publish],
    }  # fmt: skip
    lines = report(figures).splitlines()
    assert any(
        line.split()[:3] == ["IVR", "list", "first"] and line.endswith("ok") for line in lines
    )
    assert any("visited again" in line and line.endswith("OVER") for line in lines)
    assert any(line.startswith("number list") and "not built" in line for line in lines)
    assert any("not measured: /usr/bin/wrk is missing" in line for line in lines)
    assert any("ratio 1.05 (target <= 1.1) ok" in line for line in lines)


def test_a_publish_refused_up_front_for_lack_of_budget_is_the_designed_result():
    base = {"ratio": 0.9, "answered_429": 0, "writes": 40, "outcome": "applied"}
    assert rate_limit_verdict(base) == "ok"
    assert rate_limit_verdict(base | {"ratio": 1.2}) == "OVER"
    refused = base | {"outcome": "over_budget", "writes": 0, "ratio": 0.01}
    assert rate_limit_verdict(refused).startswith("ok")
    assert rate_limit_verdict(base | {"outcome": "partly_applied", "writes": 19}) == "OVER"
    assert rate_limit_verdict(refused | {"answered_429": 3}) == "OVER"


def test_the_fault_bench_fails_exactly_the_call_at_a_position_in_each_way():
    from bench.publish_faults import KINDS, forced_rule
    from sandbox.faults import ForcedAnswer

    rules = {kind: ForcedAnswer(**forced_rule(kind, 7)) for kind in KINDS}

    assert all(rule.skip == 7 and rule.times == 1 for rule in rules.values())
    assert all(rule.method == "*" and rule.path == "*" for rule in rules.values())
    assert [k for k, rule in rules.items() if rule.after_applying] == [
        "applied-500", "applied-timeout", "applied-drop", "killed",
    ]  # fmt: skip
    assert rules["drop"].drop and rules["applied-drop"].drop
    assert rules["applied-timeout"].timeout and rules["applied-timeout"].hang_seconds > 1.0
    assert (rules["429"].status, rules["422"].status, rules["applied-500"].status) == (
        429,
        422,
        500,
    )


def test_the_fault_bench_compares_what_callers_get_with_menus_by_name():
    from bench.publish_faults import what_callers_get

    def ivr(promotions_id: int) -> dict:
        return {
            "name": "Line",
            "menus": [
                {"id": 1, "name": "Main", "routes": [
                    {"keypress": "5", "action": "menu", "options": {"menu_id": promotions_id}}]},
                {"id": promotions_id, "name": "Promotions", "routes": []},
            ],
        }  # fmt: skip

    assert what_callers_get(ivr(40)) == what_callers_get(ivr(41))  # ids are Zendesk's choice
    twice = ivr(40)
    twice["menus"].append({"id": 42, "name": "Promotions", "routes": []})
    assert what_callers_get(twice) != what_callers_get(ivr(40))
