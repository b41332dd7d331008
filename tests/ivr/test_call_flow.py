"""The call-flow tree built from IVR documents (no Django, no network): each menu drawn once."""

from ivr.engine.document import IvrDocument
from ivr.engine.lint import lint
from ivr.engine.simulate import simulate_call
from ivr.web.presenters.call_flow import (
    IVR_ANCHOR,
    NUMBERS_ANCHOR,
    LinkKind,
    MenuNode,
    build_call_flow,
    menu_anchor,
    route_anchor,
)
from tests.ivr.acme import (
    BILLING,
    MAIN,
    TIER_1,
    acme_ivr,
    acme_lookups,
    ivr_json,
    menu_json,
    route_json,
)

LOOKUPS = acme_lookups()


def flow_of(menus: list[dict], **kwargs):
    document = IvrDocument.from_zendesk(ivr_json(menus))
    return build_call_flow(document=document, lookups=LOOKUPS, **kwargs)


def group_route(route_id: int, keypress: str) -> dict:
    return route_json(route_id, keypress, "group", group_ids=[TIER_1])


def menu_route(route_id: int, keypress: str, menu_id: int) -> dict:
    return route_json(route_id, keypress, "menu", menu_id=menu_id)


def drawn_names(node: MenuNode | None) -> list[str]:
    """The names of the menus drawn in full under `node`, depth first."""
    if node is None:
        return []
    names = [node.menu.name]
    for row in node.rows:
        names += drawn_names(row.submenu)
    return names


def test_a_menu_reached_from_two_branches_is_drawn_once_and_linked_from_the_other():
    flow = flow_of(
        [
            menu_json(
                1, "Main menu", [menu_route(11, "1", 2), menu_route(12, "2", 3)], default=True
            ),
            menu_json(2, "Orders", [menu_route(21, "1", 4), group_route(22, "default")]),
            menu_json(3, "Support", [menu_route(31, "1", 4), group_route(32, "default")]),
            menu_json(4, "Returns", [group_route(41, "default")]),
        ]
    )

    assert drawn_names(flow.first_menu) == ["Main menu", "Orders", "Returns", "Support"]
    support = flow.first_menu.rows[1].submenu
    link = support.rows[0].link
    assert (link.kind, link.anchor, link.text) == (
        LinkKind.ELSEWHERE,
        menu_anchor("m:4"),
        "Goes on in 'Returns', shown above",
    )


def test_a_route_to_its_own_menu_says_the_caller_hears_it_again():
    flow = flow_of([menu_json(1, "Main menu", [menu_route(11, "*", 1)], default=True)])

    row = flow.first_menu.rows[0]
    assert row.link.kind is LinkKind.SAME
    assert row.link.text == "Hears 'Main menu' again"
    assert row.submenu is None


def test_menus_nobody_reaches_start_from_the_one_that_leads_to_the_others():
    flow = flow_of(
        [
            menu_json(1, "Main menu", [group_route(11, "default")], default=True),
            menu_json(2, "Spring sale details", [group_route(21, "default")]),
            menu_json(3, "Spring sale", [menu_route(31, "1", 2), group_route(32, "default")]),
        ]
    )

    assert [node.menu.name for node in flow.unreachable] == ["Spring sale"]
    assert drawn_names(flow.unreachable[0]) == ["Spring sale", "Spring sale details"]


def test_menus_that_only_lead_to_each_other_are_all_still_drawn():
    flow = flow_of(
        [
            menu_json(1, "Main menu", [group_route(11, "default")], default=True),
            menu_json(2, "Left", [menu_route(21, "1", 3)]),
            menu_json(3, "Right", [menu_route(31, "1", 2)]),
        ]
    )

    assert drawn_names(flow.unreachable[0]) == ["Left", "Right"]
    assert flow.unreachable[0].rows[0].submenu.rows[0].link.kind is LinkKind.BACK


def test_an_ivr_without_a_first_menu_draws_every_menu_apart():
    flow = flow_of([menu_json(1, "Orphan", [group_route(11, "default")])])

    assert flow.first_menu is None
    assert [node.menu.name for node in flow.unreachable] == ["Orphan"]


def test_two_routes_for_one_key_get_distinct_anchors_and_the_check_hangs_on_the_first():
    document = IvrDocument.from_zendesk(
        ivr_json(
            [
                menu_json(
                    1,
                    "Main menu",
                    [group_route(11, "1"), group_route(12, "1"), group_route(13, "default")],
                    default=True,
                )
            ]
        )
    )

    flow = build_call_flow(document=document, lookups=LOOKUPS, findings=lint(document, LOOKUPS))

    first, second = flow.first_menu.rows[:2]
    assert (first.anchor, second.anchor) == ("menu-m-1-key-1", "menu-m-1-key-1-2")
    assert [c.finding.rule for c in first.checks] == ["duplicate-keypress"]
    assert second.checks == ()


def test_anchors_name_the_menu_key_and_the_key():
    assert menu_anchor("m:123") == "menu-m-123"
    assert menu_anchor("new:9f86d081") == "menu-new-9f86d081"
    assert route_anchor("m:1", "*") == "menu-m-1-key-star"
    assert route_anchor("m:1", "#") == "menu-m-1-key-hash"
    assert route_anchor("m:1", "default") == "menu-m-1-key-default"
    assert route_anchor("m:1", "1 0") == "menu-m-1-key-other-312030"


def test_checks_point_at_the_menu_the_row_the_numbers_or_the_whole_ivr():
    document = acme_ivr()
    lookups = acme_lookups({31: {"line_type": "digital"}})
    findings = lint(document, lookups)

    flow = build_call_flow(document=document, lookups=lookups, findings=findings)

    anchors = {check.finding.rule: (check.anchor, check.place) for check in flow.checks}
    assert anchors["digital-line"] == (NUMBERS_ANCHOR, "the phone numbers")
    assert flow.ivr_checks[0].finding.rule == "digital-line"
    nameless_document = IvrDocument.from_zendesk({**ivr_json([]), "name": " "})
    nameless = build_call_flow(
        document=nameless_document,
        lookups=lookups,
        findings=lint(nameless_document, lookups),
    )
    assert (nameless.checks[0].anchor, nameless.checks[0].place) == (IVR_ANCHOR, "the whole IVR")


def test_a_simulated_call_marks_the_steps_that_took_each_route():
    document = acme_ivr()
    call = simulate_call(document, lookups=LOOKUPS, actions=["1", "9", "1", "1"])

    flow = build_call_flow(document=document, lookups=LOOKUPS, call=call)

    main = flow.first_menu
    billing = main.rows[0].submenu
    assert main.rows[0].steps == (1, 3)  # pressed 1 twice, around the "back" loop
    assert billing.rows[2].steps == (2,)
    assert billing.rows[0].steps == (4,) and billing.rows[0].call_ends_here
    assert main.visited and billing.visited and not billing.caller_is_here
    assert (main.menu.key, billing.menu.key) == (MAIN, BILLING)
