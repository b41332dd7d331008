"""The client against the sandbox: phone numbers — list, settings, search, provision, release."""

import pytest

from talk.errors import Invalid, NotFound
from tests.talk.recorder import change_set

UNKNOWN = 99_999_999


@pytest.fixture
def billing_line(sandbox):
    return sandbox.state.number_named("US Billing Direct")


def test_an_admin_sees_every_number_of_the_account(sandbox):
    numbers = sandbox.client.list_phone_numbers()
    assert len(numbers) == 12
    assert {n.country_code for n in numbers} == {"US", "GB", "IE"}
    assert {n.label for n in numbers} >= {"US Main Support", "+353 76 680 1412"}
    assert all(n.settings is None for n in numbers)  # settings only come with include=settings


def test_minimal_mode_lists_the_short_form(sandbox):
    numbers = sandbox.client.list_phone_numbers(minimal=True)
    assert set(numbers[0].raw) == {
        "id", "country_code", "external", "nickname", "display_number", "capabilities",
        "sms_enabled", "priority", "outbound_enabled", "line_type",
    }  # fmt: skip
    assert sandbox.requests[-1].query["minimal_mode"] == "true"


def test_numbers_page_by_page(sandbox):
    page = sandbox.client.list_phone_numbers_page(page=3, per_page=5)
    assert (page.page, page.count, page.next_page, page.previous_page) == (3, 12, None, 2)
    assert len(page.items) == 2


def test_one_number_comes_with_its_settings(sandbox, billing_line):
    number = sandbox.client.get_phone_number(billing_line["id"])
    assert number.label == "US Billing Direct"
    assert number.settings.maximum_queue_wait_time == 5
    assert number.settings.call_recording_delete_after == "never"
    assert sandbox.requests[-1].query == {"include": "settings"}


def test_changing_a_setting_sends_only_what_changed(sandbox, billing_line):
    with change_set() as recorded:
        number = sandbox.client.update_phone_number(
            billing_line["id"],
            {"recorded": True, "call_recording_consent": "opt_in"},
            settings={"call_recording_delete_after": "3.months"},
        )
    assert (number.recorded, number.call_recording_consent) == (True, "opt_in")
    assert number.settings.call_recording_delete_after == "3.months"
    assert number.settings.maximum_queue_wait_time == 5  # untouched
    (put,) = sandbox.requests_to("PUT")
    assert put.query == {"include": "settings"}
    assert put.body == {
        "phone_number": {
            "recorded": True,
            "call_recording_consent": "opt_in",
            "settings": {"call_recording_delete_after": "3.months"},
        }
    }
    assert recorded.calls[0].response_body["phone_number"]["recorded"] is True


def test_read_only_fields_are_never_sent(sandbox, billing_line):
    with change_set(), pytest.raises(ValueError, match="display_number"):
        sandbox.client.update_phone_number(billing_line["id"], {"display_number": "+1 555"})
    assert sandbox.requests_to("PUT") == []


@pytest.mark.parametrize(
    ("fields", "new_settings", "field"),
    [
        ({}, {"call_recording_delete_after": "5.days"}, "settings.call_recording_delete_after"),
        ({}, {"overflow_number": {"enabled": True, "number": "0800"}}, "settings.overflow_number"),
        ({"failover_number": "call me"}, None, "failover_number"),
        ({"recorded": "yes"}, None, "recorded"),
        ({"ivr_id": UNKNOWN}, None, "ivr_id"),
        ({"call_recording_consent": "sometimes"}, None, "call_recording_consent"),
    ],
)
def test_bad_values_are_refused_next_to_their_field(
    sandbox, billing_line, fields, new_settings, field
):
    before = sandbox.client.get_phone_number(billing_line["id"])
    with change_set(), pytest.raises(Invalid) as raised:
        sandbox.client.update_phone_number(billing_line["id"], fields, settings=new_settings)
    assert list(raised.value.details) == [field]
    assert sandbox.client.get_phone_number(billing_line["id"]) == before


def test_sms_cannot_be_turned_on_for_a_number_without_sms(sandbox):
    freephone = sandbox.state.number_named("UK Freephone")
    with change_set(), pytest.raises(Invalid) as raised:
        sandbox.client.update_phone_number(freephone["id"], {"sms_enabled": True})
    assert raised.value.field_messages() == [
        ("Sms enabled", "this number cannot send text messages")
    ]


def test_assigning_an_ivr_from_the_number_shows_on_the_ivr(sandbox, billing_line):
    holiday = sandbox.state.ivr_named("Holiday closure")
    with change_set():
        sandbox.client.update_phone_number(billing_line["id"], {"ivr_id": holiday["id"]})
    assert sandbox.client.get_ivr(holiday["id"]).phone_number_names == ("US Billing Direct",)


def test_searching_available_numbers(sandbox):
    search = sandbox.client.search_available_numbers
    assert {n.number for n in search(country="US", area_code="510")} == {
        "+15105550117", "+15105550129",
    }  # fmt: skip
    toll_free = search(country="us", toll_free=True)
    assert toll_free and all(n.toll_free for n in toll_free)
    assert all(not n.toll_free for n in search(country="US", toll_free=False))
    assert [n.number for n in search(country="US", contains="0185")] == ["+12125550185"]
    assert [n.number for n in search(country="US", contains="55501*3")] == [
        "+18775550163",
    ]  # fmt: skip
    ireland = search(country="IE")
    assert ireland and all(n.country_code == "IE" and n.needs_address for n in ireland)
    assert search(country="FR") == []


def test_provisioning_a_number_from_a_search(sandbox):
    (found,) = sandbox.client.search_available_numbers(
        country="US", contains="0142", toll_free=False
    )
    with change_set() as recorded:
        number = sandbox.client.create_phone_number(token=found.token)
    assert (number.number, number.label, number.ivr_id) == (
        found.number,
        found.display_number,
        None,
    )
    assert len(sandbox.client.list_phone_numbers()) == 13
    assert (
        sandbox.client.search_available_numbers(country="US", contains="0142", toll_free=False)
        == []
    )
    # The reservation token is not a credential: the audit log keeps it, to show what was bought.
    assert recorded.calls[0].request_body == {"phone_number": {"token": found.token}}


def test_a_number_that_needs_an_address_is_provisioned_with_one(sandbox):
    dublin = next(a for a in sandbox.client.list_addresses() if a.country_code == "IE")
    london = next(a for a in sandbox.client.list_addresses() if a.country_code == "GB")
    found = sandbox.client.search_available_numbers(country="IE", toll_free=False)[0]
    with change_set():
        with pytest.raises(Invalid) as without:
            sandbox.client.create_phone_number(token=found.token)
        with pytest.raises(Invalid) as foreign:
            sandbox.client.create_phone_number(
                token=found.token, address_sid=london.provider_reference
            )
        number = sandbox.client.create_phone_number(
            token=found.token, address_sid=dublin.provider_reference
        )
    assert list(without.value.details) == ["address_sid"]
    assert "address in IE" in foreign.value.user_message
    assert number.country_code == "IE"
    assert sandbox.requests_to("POST")[-1].body["address_sid"] == dublin.provider_reference


def test_an_unknown_token_is_refused(sandbox):
    with change_set(), pytest.raises(Invalid) as raised:
        sandbox.client.create_phone_number(token="0" * 32)
    assert list(raised.value.details) == ["token"]


def test_releasing_a_number_removes_it_from_its_ivr(sandbox):
    london = sandbox.state.number_named("UK Support London")
    with change_set():
        assert sandbox.client.delete_phone_number(london["id"]) is None
    with pytest.raises(NotFound):
        sandbox.client.get_phone_number(london["id"])
    main = sandbox.state.ivr_named("Main support line")
    assert sandbox.client.get_ivr(main["id"]).phone_number_names == ("US Main Support",)


@pytest.mark.parametrize(
    "call",
    [
        lambda client: client.get_phone_number(UNKNOWN),
        lambda client: client.update_phone_number(UNKNOWN, {"nickname": "x"}),
        lambda client: client.delete_phone_number(UNKNOWN),
    ],
)
def test_unknown_numbers_are_not_found(sandbox, call):
    with change_set(), pytest.raises(NotFound):
        call(sandbox.client)


@pytest.mark.parametrize("country", ["", "  "])
def test_a_number_search_is_never_sent_without_its_country(sandbox, country):
    with pytest.raises(ValueError, match="needs the country"):
        sandbox.client.search_available_numbers(country=country)
    assert sandbox.requests == []
