"""Phone numbers typed into a number's settings: libphonenumber's rules, and national input.

A failover or overflow number must exist in its country's numbering plan (core.phone): the old
pattern accepted +10000000 and +4420794603, which no country has. Typed without + it is read as
a number of the number's own country, as an admin there would write it.
"""

from __future__ import annotations

import pytest

from audit.models import ChangeSet
from tests.numbers.forms import form_values, open_form, page, submit, text

pytestmark = pytest.mark.django_db

BILLING = "US Billing Direct"  # a US number
LONDON = "UK Support London"


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("+10000000", "No number with the country code +1 is written like this"),
        ("+4420794603", "No number with the country code +44 is written like this"),
    ],
)
def test_a_number_no_country_has_is_refused_beside_the_field(as_editor, sandbox, typed, words):
    number = sandbox.state.number_named(BILLING)
    form = open_form(as_editor, number["id"], "overflow")
    sandbox.clear_requests()

    response = submit(
        as_editor, number["id"], "overflow", {"failover_number": typed}, loaded_from=form
    )

    assert response.status_code == 422
    shown = text(page(response).select_one("#id_failover_number_error"))
    assert "This is not a number that can be called." in shown and words in shown
    assert form_values(response)["failover_number"] == typed  # kept as typed
    assert sandbox.requests_to("PUT") == []
    assert not ChangeSet.objects.filter(action="update_phone_number").exists()


@pytest.mark.parametrize(
    ("name", "typed", "held"),
    [
        (BILLING, "(212) 555-0100", "+12125550100"),
        (LONDON, "020 7946 0999", "+442079460999"),
    ],
)
def test_a_number_typed_nationally_is_read_in_the_numbers_country(
    as_editor, sandbox, name, typed, held
):
    number = sandbox.state.number_named(name)

    response = submit(as_editor, number["id"], "overflow", {"failover_number": typed})

    assert response.status_code == 302, text(page(response))[:1500]
    assert sandbox.state.phone_numbers[number["id"]]["failover_number"] == held
