"""A number's brand by its name, never its id (issue 20): read from Support's brands endpoint
(the sandbox holds the demo account's two brands), shown on the number's page and chosen by
name in its settings form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import ChangeSet
from talk import get_client
from tests.numbers.forms import open_form, page, submit, text

pytestmark = pytest.mark.django_db

BILLING = "US Billing Direct"
OUTFITTERS, REPAIRS = 360_001_234_567, 360_001_234_999


def test_the_sandbox_lists_the_demo_accounts_brands_as_zendesk_does(sandbox):
    brands = get_client().list_brands()

    assert [(brand.id, brand.name, brand.default) for brand in brands] == [
        (OUTFITTERS, "Northwind Outfitters", True),
        (REPAIRS, "Northwind Repairs", False),
    ]
    assert sandbox.requests_to("GET", "/api/v2/brands")


def test_the_number_page_shows_the_brand_by_name(as_viewer, sandbox):
    number = sandbox.state.number_named(BILLING)
    assert number["brand_id"] == OUTFITTERS

    detail = page(as_viewer.get(reverse("numbers:detail", args=[number["id"]])))

    assert text(detail.select_one("#value-brand_id")) == "Northwind Outfitters"
    assert str(OUTFITTERS) not in detail.get_text()


def test_the_form_offers_the_brands_by_name_and_the_audit_log_says_them(as_editor, sandbox):
    number = sandbox.state.number_named(BILLING)
    form = open_form(as_editor, number["id"], "general")
    select = page(form).select_one("select[name=brand_id]")
    options = [(option["value"], text(option)) for option in select.select("option")]
    assert options == [
        (str(OUTFITTERS), "Northwind Outfitters"),
        (str(REPAIRS), "Northwind Repairs"),
    ]
    assert page(form).select_one("label[for=id_brand_id]").get_text(strip=True) == "Brand"

    response = submit(
        as_editor, number["id"], "general", {"brand_id": str(REPAIRS)}, loaded_from=form
    )

    assert response.status_code == 302
    assert sandbox.state.phone_numbers[number["id"]]["brand_id"] == REPAIRS
    change_set = ChangeSet.objects.filter(action="update_phone_number").latest("id")
    assert "Changed brand from Northwind Outfitters to Northwind Repairs" in change_set.summary


def test_a_brand_zendesk_no_longer_has_is_said_so_and_kept(as_viewer, sandbox):
    number = sandbox.state.number_named(BILLING)
    with sandbox.state.lock:
        del sandbox.state.brands[OUTFITTERS]

    detail = page(as_viewer.get(reverse("numbers:detail", args=[number["id"]])))

    assert text(detail.select_one("#value-brand_id")) == (
        f"a brand Zendesk no longer has (#{OUTFITTERS})"
    )
