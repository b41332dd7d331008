"""With credentials Zendesk refuses, every endpoint says which settings to check, and nothing
changes."""

import pytest

from talk import get_client
from talk.errors import AuthError
from talk.wsgi_transport import WsgiAdapter
from tests.talk.recorder import change_set

ID = 21_973_195_678_484
EVERY_ENDPOINT = {
    "list_ivrs": lambda c: c.list_ivrs(),
    "list_ivrs_page": lambda c: c.list_ivrs_page(),
    "get_ivr": lambda c: c.get_ivr(ID),
    "create_ivr": lambda c: c.create_ivr(name="x"),
    "update_ivr": lambda c: c.update_ivr(ID, name="x"),
    "delete_ivr": lambda c: c.delete_ivr(ID),
    "list_menus": lambda c: c.list_menus(ID),
    "get_menu": lambda c: c.get_menu(ID, ID),
    "create_menu": lambda c: c.create_menu(ID, name="x"),
    "update_menu": lambda c: c.update_menu(ID, ID, name="x"),
    "delete_menu": lambda c: c.delete_menu(ID, ID),
    "list_routes": lambda c: c.list_routes(ID, ID),
    "get_route": lambda c: c.get_route(ID, ID, ID),
    "create_route": lambda c: c.create_route(ID, ID, keypress="1", action="menu", options={}),
    "update_route": lambda c: c.update_route(ID, ID, ID, keypress="2"),
    "delete_route": lambda c: c.delete_route(ID, ID, ID),
    "list_phone_numbers": lambda c: c.list_phone_numbers(),
    "list_phone_numbers_page": lambda c: c.list_phone_numbers_page(),
    "get_phone_number": lambda c: c.get_phone_number(ID),
    "update_phone_number": lambda c: c.update_phone_number(ID, {"nickname": "x"}),
    "search_available_numbers": lambda c: c.search_available_numbers(country="US"),
    "create_phone_number": lambda c: c.create_phone_number(token="t"),
    "delete_phone_number": lambda c: c.delete_phone_number(ID),
    "list_groups": lambda c: c.list_groups(),
    "list_greetings": lambda c: c.list_greetings(),
    "list_greeting_categories": lambda c: c.list_greeting_categories(),
    "list_schedules": lambda c: c.list_schedules(),
    "list_addresses": lambda c: c.list_addresses(),
    "list_lines": lambda c: c.list_lines(),
}


@pytest.mark.parametrize("endpoint", EVERY_ENDPOINT.values(), ids=EVERY_ENDPOINT.keys())
def test_every_endpoint_reports_refused_credentials(sandbox, settings, endpoint):
    settings.TALK_API_TOKEN = "an-expired-token"
    client = get_client()
    client.transport.mount(WsgiAdapter(sandbox.app))
    before = sandbox.state.to_json()
    with change_set(), pytest.raises(AuthError) as raised:
        endpoint(client)
    assert raised.value.status == 401
    assert "TALK_API_TOKEN" in raised.value.user_message
    assert sandbox.state.to_json() == before
    assert [request.status for request in sandbox.requests] == [401]


def test_a_forbidden_answer_says_the_user_lacks_rights(sandbox):
    sandbox.fail("*", "*", status=403, times=1, body={"error": "Forbidden"})
    with pytest.raises(AuthError) as raised:
        sandbox.client.list_ivrs()
    assert raised.value.status == 403
    assert "Talk admin" in raised.value.user_message and "TALK_EMAIL" in raised.value.user_message
