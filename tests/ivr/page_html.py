"""Reading the IVR pages as a person sees them: text, the tree's cards and rows, the checks."""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag
from django.http import HttpResponse

HTMX_PRESS = {"HX-Request": "true", "HX-Target": "try-it"}
HTMX_SEARCH = {"HX-Request": "true", "HX-Target": "ivr-results"}


def html(response: HttpResponse) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def text(element: Tag | BeautifulSoup) -> str:
    """The element's words as a reader meets them, spaces collapsed."""
    return " ".join(element.get_text(" ").split())


def menu_card(page: Tag | BeautifulSoup, name: str) -> Tag:
    """The card of the menu called `name` (exactly one must exist)."""
    cards = [
        card
        for card in page.select("article.menu-card")
        if text(card.select_one(".menu-name")) == name
    ]
    assert len(cards) == 1, f"expected one card for {name!r}, found {len(cards)}"
    return cards[0]


def rows(card: Tag) -> list[Tag]:
    """The card's own route rows (not those of the sub-menus drawn beneath them)."""
    return card.select_one("ul.route-list").find_all("li", class_="route-row", recursive=False)


def row(card: Tag, label: str) -> Tag:
    """The card's row for "Press 1" or "No key or a wrong key"."""
    found = [r for r in rows(card) if text(r.select_one(".route-key")) == label]
    assert len(found) == 1, f"expected one row {label!r}, found {[text(r) for r in rows(card)]}"
    return found[0]


def row_line(route_row: Tag) -> str:
    """A row's key and where it goes ("Press 1 → Menu : Billing"), without its marks."""
    line = route_row.select_one(".route-line")
    parts = (".route-key", ".route-arrow", ".route-kind", ".route-target")
    return " ".join(text(line.select_one(part)) for part in parts)


def row_marks(route_row: Tag) -> list[str]:
    """The badges and check flags on a row: "Step 1", "Call ends here", "✖ Error 1 ..."."""
    line = route_row.select_one(".route-line")
    return [text(mark) for mark in line.select(".badge, .check-flag")]


def submenu(route_row: Tag) -> Tag | None:
    """The menu card drawn beneath a row, if any."""
    child = route_row.find("div", class_="route-child", recursive=False)
    return child.find("article", class_="menu-card", recursive=False) if child else None


def checks(page: BeautifulSoup) -> list[Tag]:
    return page.select("#checks .check")
