"""The IVR page's call-flow tree and checks, drawn from the demo account as Zendesk holds it."""

import pytest
from django.urls import reverse

from tests.ivr.page_html import checks, html, menu_card, row, row_line, rows, submenu, text


@pytest.fixture
def main_line(sandbox) -> dict:
    return sandbox.state.ivr_named("Main support line")


def ivr_page(client, ivr: dict, **params):
    response = client.get(reverse("ivr:detail", args=[ivr["id"]]), params)
    assert response.status_code == 200
    return html(response)


def test_the_numbers_that_reach_the_ivr_come_first(as_viewer, main_line):
    page = ivr_page(as_viewer, main_line)

    entry = text(page.select_one("#call-flow-numbers p"))
    assert entry == (
        "Calls to US Main Support +1 (415) 555-0134 and UK Support London +44 20 7946 0321 "
        "start here."
    )


def test_the_first_menu_lists_every_key_in_keypad_order_with_where_it_goes(as_viewer, main_line):
    page = ivr_page(as_viewer, main_line)

    first = page.select_one("#call-flow > .flow-tree > li > article.menu-card")
    assert text(first.select_one(".menu-name")) == "Main menu"
    assert "Callers hear this first" in text(first.header)
    assert "Greeting: Welcome to Northwind Outfitters" in text(first)
    assert [row_line(r) for r in rows(first)] == [
        "Press 1 → Menu : Orders & billing",
        "Press 2 → Menu : Technical support",
        "Press 3 → Voicemail : for Customer Support",
        "Press 4 → Text message : From US Text Line (+1 (415) 555-0178): "
        "“Track your order at northwind.example/track”",
        "Press 0 → Group : Customer Support",
        "No key or a wrong key → Group : Customer Support",
    ]


def test_each_sub_menu_is_drawn_beneath_the_key_that_leads_to_it_three_levels_deep(
    as_viewer, main_line
):
    page = ivr_page(as_viewer, main_line)

    main = menu_card(page, "Main menu")
    technical = submenu(row(main, "Press 2"))
    hardware = submenu(row(technical, "Press 1"))
    assert text(technical.select_one(".menu-name")) == "Technical support"
    assert text(hardware.select_one(".menu-name")) == "Hardware & repairs"
    assert "Greeting: Hardware and repairs menu" in text(hardware)
    assert row_line(row(hardware, "Press 1")) == (
        "Press 1 → Groups : Technical Support , Returns & Exchanges"
    )
    assert (
        row_line(row(hardware, "Press 2")) == "Press 2 → Outside number : Transfer to +14155550188"
    )
    assert text(submenu(row(main, "Press 1")).select_one(".menu-name")) == "Orders & billing"


def test_press_9_to_go_back_is_a_link_back_not_a_second_copy(as_viewer, main_line, sandbox):
    page = ivr_page(as_viewer, main_line)
    main_menu_id = sandbox.state.default_menu(main_line["id"])["id"]

    orders = menu_card(page, "Orders & billing")
    back = row(orders, "Press 9")
    assert submenu(back) is None
    link = back.select_one("a.route-link")
    assert text(link) == "↩ Back to 'Main menu'"
    assert link["href"] == f"#menu-m-{main_menu_id}"
    assert page.select_one(f"#menu-m-{main_menu_id}") is menu_card(page, "Main menu")
    hardware = menu_card(page, "Hardware & repairs")
    assert text(row(hardware, "Press 9").select_one("a")) == "↩ Back to 'Technical support'"
    assert text(row(hardware, "Press *").select_one("a")) == "↩ Back to 'Main menu'"
    assert len(page.select("article.menu-card")) == 4  # each menu drawn once


def test_cards_and_rows_have_stable_anchors_for_menu_key_and_keypress(
    as_viewer, main_line, sandbox
):
    page = ivr_page(as_viewer, main_line)
    tech = sandbox.state.menu_named(main_line["id"], "Technical support")
    hardware = sandbox.state.menu_named(main_line["id"], "Hardware & repairs")

    assert page.select_one(f"#menu-m-{tech['id']}") is menu_card(page, "Technical support")
    assert row_line(page.select_one(f"#menu-m-{hardware['id']}-key-star")).startswith("Press *")
    assert row_line(page.select_one(f"#menu-m-{tech['id']}-key-default")).startswith("No key")
    ids = [element["id"] for element in page.select("[id]")]
    assert len(ids) == len(set(ids))


def test_the_unassigned_ivr_says_no_caller_hears_it(as_viewer, sandbox):
    holiday = sandbox.state.ivr_named("Holiday closure")

    page = ivr_page(as_viewer, holiday)

    assert "No phone number answers with this IVR, so no caller hears it yet." in text(
        page.select_one("#call-flow-numbers")
    )
    first_check = checks(page)[0]
    assert "No phone number answers with this IVR" in text(first_check)
    assert first_check.select_one("a")["href"] == "#call-flow-numbers"


def test_a_menu_nothing_reaches_is_drawn_apart_and_flagged(as_viewer, main_line, sandbox):
    old = sandbox.state.add_menu(main_line["id"], "Spring sale")
    sandbox.state.add_route(
        old["id"], "1", "group", {"group_ids": [sandbox.state.group_named("Sales")["id"]]}
    )

    page = ivr_page(as_viewer, main_line)

    section = page.select_one(".unreachable")
    assert "Menus no caller reaches" in text(section.h3)
    assert "No key leads to this menu from the menu callers hear first" in text(section)
    assert section.select_one("article.menu-card") is menu_card(page, "Spring sale")
    assert menu_card(page, "Spring sale") not in page.select(".flow-tree")[0].select("article")
    warning = next(c for c in checks(page) if "Spring sale" in text(c))
    assert "No key leads to 'Spring sale'" in text(warning)
    assert warning.select_one(".check-where a")["href"] == f"#menu-m-{old['id']}"
    flag = menu_card(page, "Spring sale").header.select_one("a.check-flag")
    assert flag["href"] == f"#{warning['id']}"


def test_a_group_that_no_longer_exists_is_named_so_never_by_its_id(as_viewer, main_line, sandbox):
    tech = sandbox.state.menu_named(main_line["id"], "Technical support")
    sandbox.state.add_route(tech["id"], "3", "voicemail", {"group_ids": [424_242]})

    response = as_viewer.get(reverse("ivr:detail", args=[main_line["id"]]))
    page = html(response)

    dangling = row(menu_card(page, "Technical support"), "Press 3")
    assert "Voicemail : for a group that no longer exists" in row_line(dangling)
    assert "has-error" in dangling["class"]
    assert "424242" not in response.content.decode()
    error = checks(page)[0]
    assert "Error" in text(error)
    assert "Press 3 in 'Technical support'" in text(error)
    assert error.select_one(".check-where a")["href"] == f"#{dangling['id']}"
    assert dangling.select_one("a.check-flag")["href"] == f"#{error['id']}"


def test_a_deleted_group_and_a_menu_that_no_longer_exists_are_said_so(
    as_viewer, main_line, sandbox
):
    orders = sandbox.state.menu_named(main_line["id"], "Orders & billing")
    legacy = sandbox.state.group_named("Legacy Escalations")
    sandbox.state.add_route(orders["id"], "4", "group", {"group_ids": [legacy["id"]]})
    sandbox.state.add_route(orders["id"], "5", "menu", {"menu_id": 31_337})

    page = ivr_page(as_viewer, main_line)

    card = menu_card(page, "Orders & billing")
    assert (
        row_line(row(card, "Press 4"))
        == "Press 4 → Group : Legacy Escalations (deleted in Zendesk)"
    )
    assert row_line(row(card, "Press 5")).startswith(
        "Press 5 → Menu : A menu that no longer exists"
    )


def test_a_menu_without_a_default_route_shows_that_zendesk_hangs_up(as_viewer, sandbox):
    sales = sandbox.state.ivr_named("Sales & orders")
    menu = sandbox.state.default_menu(sales["id"])
    sandbox.state.routes = {
        route_id: route
        for route_id, route in sandbox.state.routes.items()
        if not (route["menu_id"] == menu["id"] and route["keypress"] == "default")
    }

    page = ivr_page(as_viewer, sales)

    hang_up = row(menu_card(page, "Main menu"), "No key or a wrong key")
    assert row_line(hang_up).startswith(
        "No key or a wrong key → Hangs up : Zendesk hangs up: this menu has no default route"
    )
    warning = next(c for c in checks(page) if "no default route" in text(c))
    assert warning.select_one(".check-where a")["href"] == f"#{hang_up['id']}"


def test_errors_come_before_warnings_with_a_count_and_how_to_fix_them(
    as_viewer, main_line, sandbox
):
    tech = sandbox.state.menu_named(main_line["id"], "Technical support")
    sandbox.state.add_route(tech["id"], "3", "group", {"group_ids": [555]})

    page = ivr_page(as_viewer, main_line)

    summary = text(page.select_one(".checks-summary"))
    assert "✖ 1 error" in summary and "⚠ 2 warnings" in summary
    kinds = [text(c.select_one(".status")) for c in checks(page)]
    assert kinds == ["✖ Error", "⚠ Warning", "⚠ Warning"]
    assert all("How to fix it:" in text(c) for c in checks(page))


def test_every_check_points_at_something_on_the_page(as_viewer, main_line, sandbox):
    sandbox.state.add_menu(main_line["id"], "Spring sale")
    tech = sandbox.state.menu_named(main_line["id"], "Technical support")
    sandbox.state.add_route(tech["id"], "3", "group", {"group_ids": [555]})

    page = ivr_page(as_viewer, main_line)

    for check in checks(page):
        target = check.select_one(".check-where a")["href"]
        assert page.select_one(target) is not None, target


def test_an_ivr_with_no_problem_says_so(as_viewer, sandbox):
    ireland = sandbox.state.ivr_named("Ireland & EU line")
    dublin = sandbox.state.number_named("Ireland Support Dublin")
    sandbox.state.phone_numbers[dublin["id"]]["settings"]["callback_from_queue"] = False

    page = ivr_page(as_viewer, ireland)

    assert "✓ No problems found." in text(page.select_one("#checks"))
    assert checks(page) == []


def test_hostile_names_are_shown_as_text(as_viewer, main_line, sandbox):
    orders = sandbox.state.menu_named(main_line["id"], "Orders & billing")
    orders["name"] = '<script>alert("menu")</script>'
    group = sandbox.state.add_group('<img src=x onerror="alert(1)">')
    sandbox.state.add_route(orders["id"], "4", "group", {"group_ids": [group["id"]]})

    response = as_viewer.get(reverse("ivr:detail", args=[main_line["id"]]))

    body = response.content.decode()
    assert "<script>alert" not in body and "<img src=x" not in body
    assert "&lt;script&gt;alert(&quot;menu&quot;)&lt;/script&gt;" in body
    assert text(menu_card(html(response), '<script>alert("menu")</script>').h3)


def test_the_page_reads_the_ivr_fresh_from_zendesk(as_viewer, main_line, sandbox):
    ivr_page(as_viewer, main_line)
    sandbox.state.menu_named(main_line["id"], "Orders & billing")["name"] = "Orders"

    page = ivr_page(as_viewer, main_line)

    assert row_line(row(menu_card(page, "Main menu"), "Press 1")) == "Press 1 → Menu : Orders"


def test_an_ivr_deleted_in_zendesk_gets_a_plain_not_found_page(as_viewer, main_line, sandbox):
    sandbox.state.ivrs.pop(main_line["id"])

    response = as_viewer.get(reverse("ivr:detail", args=[main_line["id"]]))

    page = text(html(response))
    assert response.status_code == 404
    assert "This IVR is not in Zendesk" in page
    assert "Someone may have deleted it" in page
    assert html(response).select_one(f'a[href="{reverse("ivr:list")}"]')


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ({"status": 503}, "Zendesk is not answering right now"),
        ({"status": 429, "retry_after": 90}, "try again in 90 seconds"),
        ({"status": 401}, "Zendesk did not accept TalkAdmin's credentials"),
    ],
)
def test_zendesk_failing_shows_a_plain_message_with_what_to_do(
    as_viewer, main_line, sandbox, fault, expected
):
    sandbox.fail("GET", "*/channels/voice/ivr/*", **fault)

    response = as_viewer.get(reverse("ivr:detail", args=[main_line["id"]]))

    page = text(html(response))
    assert response.status_code == 503
    assert expected in page
    assert "Try again" in page
    assert "Traceback" not in page and "/api/v2" not in page


def test_a_timeout_shows_a_plain_message(as_viewer, main_line, sandbox):
    sandbox.time_out("GET", "*/channels/voice/ivr/*")

    response = as_viewer.get(reverse("ivr:detail", args=[main_line["id"]]))

    assert response.status_code == 503
    assert "Zendesk is not answering right now" in text(html(response))


def test_an_answer_that_is_not_an_ivr_is_explained(as_viewer, main_line, sandbox):
    sandbox.fail(
        "GET", "*/channels/voice/ivr/*", status=200, body={"ivr": {"name": "X", "menus": [{}]}}
    )

    response = as_viewer.get(reverse("ivr:detail", args=[main_line["id"]]))

    assert response.status_code == 502
    assert "TalkAdmin cannot read what Zendesk sent" in text(html(response))
    assert "A menu in this IVR has no id" in text(html(response))
