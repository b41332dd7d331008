"""Outside numbers the old pattern (+ and 7 to 15 digits) let through, which no country has.

libphonenumber (core.phone) knows each country's numbering plan: +10000000 (no US number starts
with 0) and +4420794603 (a London number two digits short) are refused where they are typed and
flagged by the checks before publishing, in words that say what to check.
"""

import pytest
from django.urls import reverse

from ivr.engine.destinations import TransferToNumber
from ivr.engine.edit import update_route
from ivr.engine.lint import lint
from tests.ivr.acme import MAIN, acme_ivr, acme_lookups
from tests.ivr.editor_pages import HTMX, draft_of, menu_key_named, post, start_draft
from tests.ivr.page_html import html, text

NOT_IN_USE = [
    ("+10000000", "No number with the country code +1 is written like this"),
    ("+4420794603", "No number with the country code +44 is written like this"),
    ("+1 415 555 01234", "too many digits for a number with the country code +1"),
]


@pytest.mark.parametrize(("number", "words"), NOT_IN_USE)
def test_the_checks_flag_a_transfer_to_a_number_no_country_has(number, words):
    document = update_route(
        acme_ivr(), menu_key=MAIN, keypress="0", destination=TransferToNumber(number)
    )

    [finding] = [f for f in lint(document, acme_lookups()) if f.rule == "number-invalid"]

    assert finding.message == (
        f"Press 0 in 'Main menu' transfers callers to '{number}', "
        "which is not a full international phone number."
    )
    assert words in finding.fix
    assert finding.blocks_publishing


@pytest.fixture
def drafted(as_editor, sandbox) -> int:
    main_line = sandbox.state.ivr_named("Main support line")["id"]
    start_draft(as_editor, main_line)
    return main_line


@pytest.mark.parametrize(("number", "words"), NOT_IN_USE)
def test_the_route_form_refuses_it_beside_the_field_and_keeps_it(as_editor, drafted, number, words):
    main = menu_key_named(drafted, "Main menu")

    response = post(
        as_editor,
        "route_add",
        [drafted, main],
        {"keypress": "7", "action": "phone_number", "phone_number": number},
    )

    assert response.status_code == 422
    page = html(response)
    box = page.find(id="id_phone_number").find_parent(class_="field")
    shown = " ".join(text(p) for p in box.select(".field-error"))
    assert "This is not a number that can be called." in shown and words in shown
    assert page.select_one("#id_phone_number")["value"] == number
    assert draft_of(drafted).version == 1  # nothing changed


def test_the_number_check_as_it_is_typed_says_so_too(as_editor, drafted):
    url = reverse("ivr:check_number", args=[drafted])

    response = as_editor.get(url, {"phone_number": "+4420794603"}, headers=HTMX)

    assert "This is not a number that can be called." in text(html(response))
    assert "is a whole international number" not in text(html(response))
