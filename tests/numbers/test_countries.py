"""Countries by name everywhere a number's country shows, also outside TalkAdmin's own list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from numbers.countries import PROVISIONING_COUNTRIES, country_name
from tests.numbers.forms import page, text

pytestmark = pytest.mark.django_db

LIST = reverse("numbers:list")


@pytest.fixture
def buenos_aires(sandbox) -> dict:
    # Argentina is not among the countries "Get a new number" offers; Zendesk can still hold one.
    return sandbox.state.add_phone_number(
        number="+541143210000",
        display_number="+54 11 4321-0000",
        nickname="Soporte Buenos Aires",
        country_code="AR",
    )


def test_a_number_outside_the_provisioning_list_shows_its_country_by_name(as_viewer, buenos_aires):
    listing = page(as_viewer.get(LIST))

    row = next(r for r in listing.select(".number-table tbody tr") if "Buenos Aires" in text(r))
    assert "Argentina" in text(row) and " AR " not in f" {text(row)} "
    options = {o["value"]: text(o) for o in listing.select("select[name=country] option")}
    assert options["AR"] == "Argentina"

    detail = text(page(as_viewer.get(reverse("numbers:detail", args=[buenos_aires["id"]]))))
    assert "Country Argentina" in detail


def test_the_list_filters_by_such_a_country(as_viewer, buenos_aires):
    found = page(as_viewer.get(LIST, {"country": "ar"}))

    assert [text(r.th) for r in found.select(".number-table tbody tr")] == ["Soporte Buenos Aires"]


def test_names_come_from_the_iso_list_and_unknown_codes_stay_as_given():
    assert country_name("IE") == "Ireland"
    assert country_name("gb") == "United Kingdom"
    assert country_name("US") == "United States"
    assert country_name("ZZ") == "ZZ"
    assert country_name(None) == ""


def test_get_a_new_number_offers_its_own_list_by_name(as_admin, sandbox):
    options = page(as_admin.get(reverse("numbers:provision"))).select("select[name=country] option")

    offered = [o["value"] for o in options if o["value"]]
    assert sorted(offered) == sorted(PROVISIONING_COUNTRIES)
    names = [text(o) for o in options if o["value"]]
    assert names == sorted(names) and "Ireland" in names and "AR" not in offered
