"""Offices, departments, call centres and users come with the names admins know them by, each
as the target its recordings belong to."""

import pytest

from dialpad.errors import NotFound
from dialpad.resources import CallCenter, Department, Office, Target, TargetType, User
from sandbox.dialpad.demo import DANA, LONDON, NEW_YORK, SALES, SUPPORT_QUEUE


def test_offices_with_names_and_each_as_a_target(dialpad_sandbox):
    offices = dialpad_sandbox.client.list_offices()
    assert [(o.name, o.timezone) for o in offices] == [
        ("London", "Europe/London"),
        ("New York", "America/New_York"),
    ]
    assert offices[0].target == Target(TargetType.OFFICE, LONDON)
    assert offices[0].phone_numbers == ("+442079460000",)
    assert dialpad_sandbox.client.get_office(NEW_YORK).name == "New York"


def test_only_active_offices_when_asked(dialpad_sandbox):
    with dialpad_sandbox.state.lock:
        dialpad_sandbox.state.targets["office"][NEW_YORK]["state"] = "deleted"
    assert [o.name for o in dialpad_sandbox.client.list_offices(active_only=True)] == ["London"]
    assert dialpad_sandbox.requests_to("GET", "offices")[0].query == {"active_only": "true"}


def test_departments_and_call_centres_of_an_office_or_by_name(dialpad_sandbox):
    client = dialpad_sandbox.client
    london = client.list_departments(office_id=LONDON)
    assert [(d.name, d.office_id) for d in london] == [
        ("Sales", LONDON),
        ("Customer support", LONDON),
    ]
    assert [d.name for d in client.list_departments(name_search="bill")] == ["Billing"]
    assert client.get_department(SALES).target == Target(TargetType.DEPARTMENT, SALES)
    queues = client.list_call_centers()
    assert [(c.name, c.target.type) for c in queues] == [("Support queue", TargetType.CALL_CENTER)]
    assert client.list_call_centers(office_id=NEW_YORK) == []


def test_active_users_by_display_name(dialpad_sandbox):
    users = dialpad_sandbox.client.list_users()
    assert [u.name for u in users] == ["Dana Whitfield", "Maria Santos", "Kenji Watanabe"]
    assert users[0].emails == ("dana.whitfield@northwind.example",)
    assert dialpad_sandbox.requests_to("GET", "users")[0].query == {"state": "active"}


def test_every_page_of_a_list_is_read(dialpad_sandbox):
    dialpad_sandbox.app.page_size = 1
    assert len(dialpad_sandbox.client.list_users()) == 3
    cursors = [r.query.get("cursor") for r in dialpad_sandbox.requests_to("GET", "users")]
    assert cursors[0] is None and len(cursors) == 3 and all(cursors[1:])


@pytest.mark.parametrize(
    ("target", "kind", "name"),
    [
        (Target(TargetType.OFFICE, LONDON), Office, "London"),
        (Target(TargetType.DEPARTMENT, SALES), Department, "Sales"),
        (Target(TargetType.CALL_CENTER, SUPPORT_QUEUE), CallCenter, "Support queue"),
        (Target(TargetType.USER, DANA), User, "Dana Whitfield"),
    ],
)
def test_a_target_is_read_by_its_kind(dialpad_sandbox, target, kind, name):
    found = dialpad_sandbox.client.get_target(target)
    assert isinstance(found, kind) and found.name == name and found.target == target


def test_a_target_that_is_gone_is_not_found_in_plain_words(dialpad_sandbox):
    with pytest.raises(NotFound) as raised:
        dialpad_sandbox.client.get_office(12345)
    assert "Dialpad no longer has this" in raised.value.user_message
    with pytest.raises(ValueError, match="reads no room"):
        dialpad_sandbox.client.get_target(Target(TargetType.ROOM, 1))
