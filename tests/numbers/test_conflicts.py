"""Someone changes the number in Zendesk while an admin has its form open."""

from __future__ import annotations

import pytest

from tests.numbers.forms import form_values, open_form, page, submit, text

pytestmark = pytest.mark.django_db


def test_a_change_to_the_same_field_meanwhile_is_shown_and_nothing_is_sent(as_editor, sandbox):
    number = sandbox.state.number_named("US Billing Direct")
    form = open_form(as_editor, number["id"], "queue")
    number["settings"]["maximum_queue_size"] = 30  # someone, in Admin Center
    sandbox.clear_requests()

    response = submit(
        as_editor, number["id"], "queue", {"maximum_queue_size": "20"}, loaded_from=form
    )

    assert response.status_code == 422
    assert sandbox.requests_to("PUT") == []
    notice = text(page(response).select_one(".notice-warning"))
    assert "Someone changed the most callers waiting of this number in Zendesk" in notice
    assert "Mine: 20" in notice
    assert "Zendesk's now: 30" in notice
    assert number["settings"]["maximum_queue_size"] == 30
    # What the admin typed is still in the form.
    assert form_values(response)["maximum_queue_size"] == "20"
    assert form_values(response)["reason"] == "Customer asked for it"


def test_keeping_mine_after_a_conflict_sends_mine(as_editor, sandbox):
    number = sandbox.state.number_named("US Billing Direct")
    form = open_form(as_editor, number["id"], "queue")
    number["settings"]["maximum_queue_size"] = 30
    conflict = submit(
        as_editor, number["id"], "queue", {"maximum_queue_size": "20"}, loaded_from=form
    )
    sandbox.clear_requests()

    response = submit(
        as_editor, number["id"], "queue", {"resolve_maximum_queue_size": "mine"},
        loaded_from=conflict,
    )  # fmt: skip

    assert response.status_code == 302
    (put,) = sandbox.requests_to("PUT")
    assert put.body == {"phone_number": {"settings": {"maximum_queue_size": 20}}}
    assert number["settings"]["maximum_queue_size"] == 20


def test_taking_theirs_after_a_conflict_sends_nothing(as_editor, sandbox):
    number = sandbox.state.number_named("US Billing Direct")
    form = open_form(as_editor, number["id"], "queue")
    number["settings"]["maximum_queue_size"] = 30
    conflict = submit(
        as_editor, number["id"], "queue", {"maximum_queue_size": "20"}, loaded_from=form
    )
    sandbox.clear_requests()

    response = submit(
        as_editor, number["id"], "queue", {"resolve_maximum_queue_size": "theirs"},
        loaded_from=conflict,
    )  # fmt: skip

    assert response.status_code == 302
    assert sandbox.requests_to("PUT") == []
    assert number["settings"]["maximum_queue_size"] == 30


def test_a_conflict_must_be_resolved_before_saving(as_editor, sandbox):
    number = sandbox.state.number_named("US Billing Direct")
    form = open_form(as_editor, number["id"], "queue")
    number["settings"]["maximum_queue_size"] = 30
    conflict = submit(
        as_editor, number["id"], "queue", {"maximum_queue_size": "20"}, loaded_from=form
    )
    sandbox.clear_requests()

    response = submit(as_editor, number["id"], "queue", {}, loaded_from=conflict)

    assert response.status_code == 422
    assert "Choose which value to keep." in text(page(response))
    assert sandbox.requests_to("PUT") == []


def test_a_change_to_another_field_meanwhile_is_no_conflict_and_is_kept(as_editor, sandbox):
    number = sandbox.state.number_named("US Billing Direct")
    form = open_form(as_editor, number["id"], "queue")
    number["settings"]["maximum_queue_wait_time"] = 40  # someone else, another field
    sandbox.clear_requests()

    response = submit(
        as_editor, number["id"], "queue", {"maximum_queue_size": "20"}, loaded_from=form
    )

    assert response.status_code == 302
    (put,) = sandbox.requests_to("PUT")
    assert put.body == {"phone_number": {"settings": {"maximum_queue_size": 20}}}
    assert number["settings"]["maximum_queue_wait_time"] == 40


def test_the_same_change_made_meanwhile_is_no_conflict_and_sends_nothing(as_editor, sandbox):
    number = sandbox.state.number_named("UK Support London")
    form = open_form(as_editor, number["id"], "recording")
    number["recorded"] = False
    sandbox.clear_requests()

    response = submit(as_editor, number["id"], "recording", {"recorded": False}, loaded_from=form)

    assert response.status_code == 302
    assert sandbox.requests_to("PUT") == []


def test_a_group_list_changed_meanwhile_is_a_conflict(as_editor, sandbox):
    number = sandbox.state.number_named("US Billing Direct")
    sales = sandbox.state.group_named("Sales")["id"]
    support = sandbox.state.group_named("Customer Support")["id"]
    form = open_form(as_editor, number["id"], "routing")
    number["group_ids"] = [support]
    sandbox.clear_requests()

    response = submit(
        as_editor, number["id"], "routing", {"group_ids": [str(sales)]}, loaded_from=form
    )

    assert response.status_code == 422
    notice = text(page(response).select_one(".notice-warning"))
    assert "Mine: Sales" in notice and "Zendesk's now: Customer Support" in notice
    assert sandbox.requests_to("PUT") == []


def test_the_conflict_form_comes_back_in_place_for_htmx(as_editor, sandbox):
    number = sandbox.state.number_named("US Billing Direct")
    form = open_form(as_editor, number["id"], "queue")
    number["settings"]["maximum_queue_size"] = 30

    response = submit(
        as_editor, number["id"], "queue", {"maximum_queue_size": "20"}, loaded_from=form,
        htmx=True,
    )  # fmt: skip

    assert response.status_code == 422
    section = page(response).select_one("section#section-queue")
    assert section is not None
    assert "Zendesk's now: 30" in text(section)
