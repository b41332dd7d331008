"""The client against the sandbox: IVRs, menus and routes — what works, 404 and 422."""

import pytest

from talk.errors import Invalid, NotFound
from tests.talk.recorder import change_set

UNKNOWN = 99_999_999


@pytest.fixture
def main_line(sandbox):
    return next(ivr for ivr in sandbox.client.list_ivrs() if ivr.name == "Main support line")


def test_an_admin_sees_every_ivr_with_its_menus_routes_and_numbers(sandbox):
    ivrs = {ivr.name: ivr for ivr in sandbox.client.list_ivrs()}
    assert set(ivrs) == {
        "Main support line",
        "Sales & orders",
        "Ireland & EU line",
        "Holiday closure",
    }
    main = ivrs["Main support line"]
    assert [menu.name for menu in main.menus] == [
        "Main menu", "Orders & billing", "Technical support", "Hardware & repairs",
    ]  # fmt: skip
    assert main.default_menu.route_for("1").option_text == "Orders & billing"
    assert main.phone_number_names == ("US Main Support", "UK Support London")
    assert ivrs["Holiday closure"].phone_number_ids == ()


def test_ivr_pages_follow_one_another(sandbox):
    first = sandbox.client.list_ivrs_page(per_page=3)
    second = sandbox.client.list_ivrs_page(page=first.next_page, per_page=3)
    assert (first.count, first.next_page, first.previous_page) == (4, 2, None)
    assert (len(second.items), second.next_page, second.previous_page) == (1, None, 1)
    assert {i.name for i in first.items + second.items} == {
        i.name for i in sandbox.client.list_ivrs()
    }


def test_listing_follows_next_page_until_the_end(sandbox):
    for number in range(120):
        sandbox.state.add_ivr(f"Campaign line {number:03}")
    assert len(sandbox.client.list_ivrs()) == 124
    pages = sandbox.requests_to("GET", "/api/v2/channels/voice/ivr")
    assert [request.query.get("page", "1") for request in pages] == ["1", "2"]


def test_a_long_list_reads_each_page_once_and_keeps_their_order(sandbox):
    for number in range(350):
        sandbox.state.add_ivr(f"Campaign line {number:03}")
    listed = sandbox.client.list_ivrs()
    assert [ivr.id for ivr in listed] == sorted(sandbox.state.ivrs)  # the sandbox's order
    pages = sandbox.requests_to("GET", "/api/v2/channels/voice/ivr")
    assert sorted(request.query.get("page", "1") for request in pages) == ["1", "2", "3", "4"]


def test_a_list_that_grew_while_read_is_followed_to_its_end(sandbox, settings):
    for number in range(120):
        sandbox.state.add_ivr(f"Campaign line {number:03}")
    client = sandbox.client
    original_get = client._get

    def add_then_get(path, params=None):
        if (params or {}).get("page") == 2:  # Admin Center adds IVRs while the list is read
            for number in range(90):
                sandbox.state.add_ivr(f"Late line {number:03}")
        return original_get(path, params)

    client._get = add_then_get
    listed = client.list_ivrs()
    assert len(listed) == len({ivr.id for ivr in listed}) == 214
    pages = sandbox.requests_to("GET", "/api/v2/channels/voice/ivr")
    assert [request.query.get("page", "1") for request in pages] == ["1", "2", "3"]


def test_creating_an_ivr_gives_it_a_main_menu_and_can_assign_numbers(sandbox):
    number = sandbox.state.number_named("US Billing Direct")
    with change_set() as recorded:
        ivr = sandbox.client.create_ivr(name="Billing line", phone_number_ids=[number["id"]])
    assert [(m.name, m.is_default, m.routes) for m in ivr.menus] == [("Main menu", True, ())]
    assert ivr.phone_number_names == ("US Billing Direct",)
    assert sandbox.state.phone_numbers[number["id"]]["ivr_id"] == ivr.id
    assert [(c.method, c.status) for c in recorded.calls] == [("POST", 201)]


def test_renaming_an_ivr_sends_only_the_name(sandbox, main_line):
    with change_set():
        renamed = sandbox.client.update_ivr(main_line.id, name="Main line (US & UK)")
    assert renamed.name == "Main line (US & UK)"
    assert renamed.menus == main_line.menus
    (put,) = sandbox.requests_to("PUT")
    assert put.body == {"ivr": {"name": "Main line (US & UK)"}}


def test_moving_numbers_between_ivrs_keeps_both_sides_consistent(sandbox, main_line):
    sales = next(i for i in sandbox.client.list_ivrs() if i.name == "Sales & orders")
    london = main_line.phone_number_ids[1]
    with change_set():
        sandbox.client.update_ivr(sales.id, phone_number_ids=[*sales.phone_number_ids, london])
    assert sandbox.client.get_ivr(main_line.id).phone_number_names == ("US Main Support",)
    assert sandbox.client.get_ivr(sales.id).phone_number_names == (
        "US Sales (toll-free)", "UK Support London",
    )  # fmt: skip
    assert sandbox.client.get_phone_number(london).ivr_id == sales.id


def test_deleting_an_ivr_returns_it_and_frees_its_numbers(sandbox, main_line):
    with change_set():
        deleted = sandbox.client.delete_ivr(main_line.id)
    assert deleted.name == "Main support line"
    for number_id in main_line.phone_number_ids:
        assert sandbox.client.get_phone_number(number_id).ivr_id is None
    with pytest.raises(NotFound):
        sandbox.client.get_ivr(main_line.id)


def test_menus_can_be_listed_created_renamed_and_deleted(sandbox, main_line):
    greeting = next(
        g for g in sandbox.client.list_greetings() if g.name == "Orders and billing menu"
    )
    with change_set():
        menu = sandbox.client.create_menu(main_line.id, name="Gift cards", greeting_id=greeting.id)
        assert (menu.is_default, menu.greeting_id, menu.routes) == (False, greeting.id, ())
        renamed = sandbox.client.update_menu(main_line.id, menu.id, name="Gift cards & vouchers")
        assert renamed.greeting_id == greeting.id
        cleared = sandbox.client.update_menu(main_line.id, menu.id, greeting_id=None)
        assert cleared.greeting_id is None
        assert sandbox.client.get_menu(main_line.id, menu.id).name == "Gift cards & vouchers"
        assert len(sandbox.client.list_menus(main_line.id)) == 5
        assert sandbox.client.delete_menu(main_line.id, menu.id).name == "Gift cards & vouchers"
    assert len(sandbox.client.list_menus(main_line.id)) == 4
    assert sandbox.requests_to("PUT")[1].body == {"ivr_menu": {"greeting_id": None}}


def test_routes_can_be_listed_created_changed_and_deleted(sandbox, main_line):
    menu = main_line.menu(main_line.menus[1].id)
    billing = sandbox.state.group_named("Billing")["id"]
    with change_set():
        route = sandbox.client.create_route(
            main_line.id, menu.id, keypress="5", action="group", options={"group_ids": [billing]}
        )
        assert (route.keypress, route.option_text) == ("5", "Billing")
        moved = sandbox.client.update_route(main_line.id, menu.id, route.id, keypress="6")
        assert (moved.keypress, moved.group_ids) == ("6", (billing,))
        retargeted = sandbox.client.update_route(
            main_line.id, menu.id, route.id, action="phone_number",
            options={"phone_number": "+14155550111"},
        )  # fmt: skip
        assert retargeted.option_text == "+14155550111"
        assert sandbox.client.get_route(main_line.id, menu.id, route.id) == retargeted
        deleted = sandbox.client.delete_route(main_line.id, menu.id, route.id)
    assert deleted.keypress == "6"
    keys = [r.keypress for r in sandbox.client.list_routes(main_line.id, menu.id)]
    assert "6" not in keys and keys == [r.keypress for r in menu.routes]
    assert sandbox.requests_to("PUT")[0].body == {"ivr_route": {"keypress": "6"}}


def test_like_zendesk_a_route_to_a_missing_group_or_to_its_own_menu_is_accepted(sandbox, main_line):
    menu = main_line.default_menu
    with change_set():
        dangling = sandbox.client.create_route(
            main_line.id, menu.id, keypress="7", action="group", options={"group_ids": [UNKNOWN]}
        )
        loop = sandbox.client.create_route(
            main_line.id, menu.id, keypress="8", action="menu", options={"menu_id": menu.id}
        )
    assert dangling.option_text is None
    assert loop.option_text == "Main menu"


def _invalid_route(sandbox, ivr, menu_id, **fields):
    with change_set(), pytest.raises(Invalid) as raised:
        sandbox.client.create_route(ivr.id, menu_id, **fields)
    return raised.value


TEXTBACK_FROM_NOWHERE = {"sms_text": "Hi", "textback_phone_number_id": UNKNOWN}


@pytest.mark.parametrize(
    ("keypress", "action", "options", "field", "words"),
    [
        ("10", "group", {"group_ids": [1]}, "keypress", "0-9"),
        ("1", "group", {"group_ids": [1]}, "keypress", "already used"),
        ("5", "callback", {}, "action", "must be one of"),
        ("5", "group", {"menu_id": 1}, "options", "does not fit"),
        ("5", "group", {"group_ids": []}, "options", "at least one"),
        ("5", "phone_number", {"phone_number": "555-0100"}, "options", "international"),
        ("5", "textback", TEXTBACK_FROM_NOWHERE, "options", "textback_phone_number_id"),
    ],
)
def test_invalid_routes_are_refused_with_the_field_that_is_wrong(
    sandbox, main_line, keypress, action, options, field, words
):
    error = _invalid_route(
        sandbox, main_line, main_line.default_menu.id,
        keypress=keypress, action=action, options=options,
    )  # fmt: skip
    assert error.status == 422 and error.code == "RecordInvalid"
    assert list(error.details) == [field]
    assert words in error.details[field][0]
    assert words in error.user_message and "Nothing was changed" in error.user_message


def test_a_menu_route_to_a_menu_of_another_ivr_is_refused(sandbox, main_line):
    sales = next(i for i in sandbox.client.list_ivrs() if i.name == "Sales & orders")
    error = _invalid_route(
        sandbox, main_line, main_line.default_menu.id,
        keypress="5", action="menu", options={"menu_id": sales.default_menu.id},
    )  # fmt: skip
    assert error.details == {"options": ["menu_id must be a menu of the same IVR"]}


def test_text_back_needs_a_number_with_sms(sandbox, main_line):
    no_sms = sandbox.state.number_named("US Billing Direct")["id"]
    error = _invalid_route(
        sandbox, main_line, main_line.default_menu.id, keypress="5", action="textback",
        options={"sms_text": "See you", "textback_phone_number_id": no_sms},
    )  # fmt: skip
    assert "SMS" in error.details["options"][0]


def test_options_are_not_sent_without_their_action(sandbox, main_line):
    route = main_line.default_menu.routes[0]
    with change_set(), pytest.raises(ValueError, match="action together"):
        sandbox.client.update_route(
            main_line.id, main_line.default_menu.id, route.id, options={"group_ids": [1]}
        )
    assert sandbox.requests_to("PUT") == []


def test_invalid_ivrs_and_menus_are_refused(sandbox, main_line):
    categories = {g.id: g for g in sandbox.client.list_greetings()}
    voicemail = next(g for g in categories.values() if g.is_custom and g.category_id == 1)
    with change_set():
        with pytest.raises(Invalid) as blank:
            sandbox.client.create_ivr(name="  ")
        with pytest.raises(Invalid) as wrong_greeting:
            sandbox.client.create_menu(main_line.id, name="Extra", greeting_id=voicemail.id)
        with pytest.raises(Invalid) as default_menu:
            sandbox.client.delete_menu(main_line.id, main_line.default_menu.id)
        with pytest.raises(Invalid) as unknown_number:
            sandbox.client.update_ivr(main_line.id, phone_number_ids=[UNKNOWN])
    assert blank.value.details == {"name": ["can't be blank"]}
    assert "IVR category" in wrong_greeting.value.details["greeting_id"][0]
    assert "default menu" in default_menu.value.user_message
    assert list(unknown_number.value.details) == ["phone_number_ids"]
    assert len(sandbox.client.list_ivrs()) == 4


@pytest.mark.parametrize(
    "call",
    [
        lambda c, ivr, menu, route: c.get_ivr(UNKNOWN),
        lambda c, ivr, menu, route: c.update_ivr(UNKNOWN, name="x"),
        lambda c, ivr, menu, route: c.delete_ivr(UNKNOWN),
        lambda c, ivr, menu, route: c.list_menus(UNKNOWN),
        lambda c, ivr, menu, route: c.get_menu(ivr, UNKNOWN),
        lambda c, ivr, menu, route: c.create_menu(UNKNOWN, name="x"),
        lambda c, ivr, menu, route: c.update_menu(ivr, UNKNOWN, name="x"),
        lambda c, ivr, menu, route: c.delete_menu(ivr, UNKNOWN),
        lambda c, ivr, menu, route: c.list_routes(ivr, UNKNOWN),
        lambda c, ivr, menu, route: c.get_route(ivr, menu, UNKNOWN),
        lambda c, ivr, m, r: c.create_route(ivr, UNKNOWN, keypress="1", action="", options={}),
        lambda c, ivr, menu, route: c.update_route(ivr, menu, UNKNOWN, keypress="5"),
        lambda c, ivr, menu, route: c.delete_route(ivr, menu, UNKNOWN),
        lambda c, ivr, menu, route: c.get_route(ivr, UNKNOWN, route),  # route of another menu
    ],
)  # fmt: skip
def test_unknown_ids_are_not_found(sandbox, main_line, call):
    menu = main_line.default_menu
    with change_set(), pytest.raises(NotFound) as raised:
        call(sandbox.client, main_line.id, menu.id, menu.routes[0].id)
    assert raised.value.status == 404 and raised.value.code == "RecordNotFound"
    assert "no longer has this" in raised.value.user_message


def test_listing_stops_at_the_page_cap_and_says_so(sandbox, settings, caplog):
    for number in range(120):
        sandbox.state.add_ivr(f"Campaign line {number:03}")
    settings.TALK_MAX_PAGES = 1
    from talk import get_client
    from talk.wsgi_transport import WsgiAdapter

    client = get_client()
    client.transport.mount(WsgiAdapter(sandbox.app))
    assert len(client.list_ivrs()) == 100
    assert "Stopped listing /api/v2/channels/voice/ivr after 1 pages" in caplog.text
