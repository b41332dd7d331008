"""The phone-number list in pages of 25 (Django's Paginator): links keep the search."""

from __future__ import annotations

import pytest
from django.urls import reverse

from numbers.services.selectors import PER_PAGE
from tests.numbers.forms import page, text

pytestmark = pytest.mark.django_db

LIST = reverse("numbers:list")


@pytest.fixture
def many_lines(sandbox):
    for index in range(40):
        sandbox.state.add_phone_number(
            number=f"+1415555{index:04d}",
            display_number=f"+1 (415) 555-{index:04d}",
            nickname=f"Bulk line {index:02d}",
        )


def names(response) -> list[str]:
    return [text(row.th) for row in page(response).select(".number-table tbody tr")]


def test_the_page_links_keep_the_search_and_filters(as_viewer, many_lines):
    first = as_viewer.get(LIST, {"q": "bulk", "country": "US"})

    assert "40 of 52 phone numbers match. Page 1 of 2." in text(page(first))
    assert page(first).select_one("a[href='/numbers/?q=bulk&country=US&page=2']") is not None
    assert page(first).find("a", string="Previous page") is None

    second = as_viewer.get(LIST, {"q": "bulk", "country": "US", "page": "2"})

    assert names(second) == [f"Bulk line {index:02d}" for index in range(PER_PAGE, 40)]
    back = page(second).find("a", string="Previous page")
    assert back["href"] == "/numbers/?q=bulk&country=US&page=1"
    assert page(second).find("a", string="Next page") is None


def test_a_page_past_the_last_shows_the_last(as_viewer, many_lines):
    response = as_viewer.get(LIST, {"q": "bulk", "page": "9"})

    assert response.status_code == 200
    assert "Page 2 of 2." in text(page(response))
    assert names(response)[-1] == "Bulk line 39"


def test_one_page_has_no_page_links(as_viewer, sandbox):
    response = as_viewer.get(LIST)

    assert "Page 1 of" not in text(page(response))
    assert page(response).select_one("nav.pagination") is None
