"""Zendesk failing while an admin saves settings: plain words, input kept, the audit log knows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import ChangeSet
from tests.numbers.forms import form_values, open_form, page, submit, text

pytestmark = pytest.mark.django_db

BILLING = "US Billing Direct"
PUT = "*/phone_numbers/*"


def _save(client, sandbox, **kwargs):
    number = sandbox.state.number_named(BILLING)
    form = open_form(client, number["id"], "queue")
    return number, submit(
        client, number["id"], "queue", {"maximum_queue_size": "17"}, loaded_from=form, **kwargs
    )


@pytest.mark.parametrize(
    ("fault", "words"),
    [
        ({"status": 503}, "Zendesk"),
        ({"status": 500}, "Zendesk"),
        ({"status": 429, "retry_after": 30}, "Zendesk"),
    ],
)
def test_a_failed_save_keeps_the_input_and_says_what_happened(as_editor, sandbox, fault, words):
    sandbox.fail("PUT", PUT, **fault)

    number, response = _save(as_editor, sandbox)

    assert response.status_code == 503
    shown = text(page(response).select_one(".notice-error"))
    assert words in shown and "Traceback" not in shown
    assert form_values(response)["maximum_queue_size"] == "17"
    assert form_values(response)["reason"] == "Customer asked for it"
    assert number["settings"]["maximum_queue_size"] == 10
    change_set = ChangeSet.objects.get(action="update_phone_number")
    assert change_set.status == "failed"
    assert change_set.reason == "Customer asked for it"


def test_a_timeout_keeps_the_input(as_editor, sandbox):
    sandbox.time_out("PUT", PUT)

    number, response = _save(as_editor, sandbox)

    assert response.status_code == 503
    assert "Traceback" not in text(page(response))
    assert form_values(response)["maximum_queue_size"] == "17"
    assert number["settings"]["maximum_queue_size"] == 10


def test_a_save_whose_answer_was_lost_is_checked_and_found_made(as_editor, sandbox):
    sandbox.time_out("PUT", PUT, after_applying=True, times=1)

    number, response = _save(as_editor, sandbox)

    assert response.status_code == 302
    assert number["settings"]["maximum_queue_size"] == 17
    change_set = ChangeSet.objects.get(action="update_phone_number")
    assert change_set.status == "applied"
    assert change_set.after["settings"]["maximum_queue_size"] == 17


def test_a_failed_save_by_htmx_is_a_toast_and_the_form_stays(as_editor, sandbox):
    sandbox.fail("PUT", PUT, status=503)

    _, response = _save(as_editor, sandbox, htmx=True)

    assert response.status_code == 503
    message = page(response).select_one("[data-toast-message]")
    assert message is not None and "Zendesk" in text(message)


def test_zendesk_refusing_a_value_shows_its_words_beside_the_field(as_editor, sandbox):
    sandbox.fail(
        "PUT",
        PUT,
        status=422,
        body={
            "error": "RecordInvalid",
            "description": "Record validation errors",
            "details": {"settings.maximum_queue_size": [{"description": "is too large"}]},
        },
    )

    _, response = _save(as_editor, sandbox)

    assert response.status_code == 422
    assert "is too large" in text(page(response).select_one("#id_maximum_queue_size_error"))
    assert form_values(response)["maximum_queue_size"] == "17"


def test_a_number_released_meanwhile_says_so(as_editor, sandbox):
    number = sandbox.state.number_named(BILLING)
    form = open_form(as_editor, number["id"], "queue")
    del sandbox.state.phone_numbers[number["id"]]

    response = submit(
        as_editor, number["id"], "queue", {"maximum_queue_size": "17"}, loaded_from=form
    )

    assert response.status_code in (404, 503)
    assert "Traceback" not in text(page(response))
    assert sandbox.requests_to("PUT") == []


def test_the_number_page_when_zendesk_is_down(as_viewer, sandbox):
    number = sandbox.state.number_named(BILLING)
    sandbox.fail("GET", "*/phone_numbers/*", status=503)

    response = as_viewer.get(reverse("numbers:detail", args=[number["id"]]))

    assert response.status_code == 503
    assert "could not read this from Zendesk" in text(page(response))  # the one failure page


def test_a_number_zendesk_does_not_have(as_viewer, sandbox):
    response = as_viewer.get(reverse("numbers:detail", args=[987654]))

    assert response.status_code == 404
    assert "This phone number is not in Zendesk" in text(page(response))
