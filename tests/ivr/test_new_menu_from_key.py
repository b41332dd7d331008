"""A key can lead to a new menu: "A new menu…" in the key's own form, with its name and
greeting there, makes the menu and the route in one draft change."""

import pytest
from django.urls import reverse

from ivr.engine.destinations import GoToMenu
from ivr.models import DraftEdit
from tests.ivr.editor_pages import draft_of, menu_key_named, post, start_draft
from tests.ivr.page_html import html, menu_card, row, row_line, text


@pytest.fixture
def drafted(as_editor, sandbox) -> int:
    main_line = sandbox.state.ivr_named("Main support line")["id"]
    start_draft(as_editor, main_line)
    return main_line


def greeting_named(sandbox, name: str) -> int:
    return next(g["id"] for g in sandbox.state.greetings.values() if g["name"] == name)


def test_the_key_form_offers_a_new_menu_with_its_name_and_greeting(as_editor, drafted):
    main = menu_key_named(drafted, "Main menu")

    page = html(as_editor.get(reverse("ivr:route_add", args=[drafted, main])))

    options = [o.get_text(strip=True) for o in page.select("#id_menu_key option")]
    assert options[-1] == "A new menu…"
    assert page.select_one("#id_new_menu_name") is not None
    assert page.select_one("#id_new_menu_greeting") is not None


def test_a_new_menu_from_a_key_is_made_with_its_route_in_one_change(as_editor, drafted, sandbox):
    main = menu_key_named(drafted, "Main menu")
    greeting = greeting_named(sandbox, "Sales welcome")
    version = draft_of(drafted).version

    response = post(
        as_editor,
        "route_add",
        [drafted, main],
        {
            "keypress": "5",
            "action": "menu",
            "menu_key": "new",
            "new_menu_name": "Spring  sale",
            "new_menu_greeting": str(greeting),
        },
    )

    assert response.status_code == 200
    page = html(response)
    assert row_line(row(menu_card(page, "Main menu"), "Press 5")) == "Press 5 → Menu : Spring sale"
    assert page.select_one(".unreachable") is None
    draft = draft_of(drafted)
    assert draft.version == version + 1  # one change
    document = draft.ivr_document()
    sale = next(menu for menu in document.menus if menu.name == "Spring sale")
    assert sale.greeting_id == greeting
    assert document.find_menu(main).route("5").destination == GoToMenu(sale.key)
    edit = DraftEdit.objects.filter(draft=draft).latest("version")
    assert "Spring sale" in edit.words and edit.user_name == "Bob Editor"


def test_a_new_menu_needs_a_name_and_the_form_keeps_the_choice(as_editor, drafted):
    main = menu_key_named(drafted, "Main menu")
    version = draft_of(drafted).version

    response = post(
        as_editor,
        "route_add",
        [drafted, main],
        {"keypress": "5", "action": "menu", "menu_key": "new", "new_menu_name": " "},
    )

    assert response.status_code == 422
    page = html(response)
    box = page.find(id="id_new_menu_name").find_parent(class_="field")
    assert text(box.select_one(".field-error")) == "Name the new menu callers go to."
    assert page.select_one("#id_menu_key option[selected]")["value"] == "new"
    assert draft_of(drafted).version == version


def test_a_new_menu_named_like_another_is_refused_beside_its_name(as_editor, drafted):
    main = menu_key_named(drafted, "Main menu")

    response = post(
        as_editor,
        "route_add",
        [drafted, main],
        {"keypress": "5", "action": "menu", "menu_key": "new", "new_menu_name": "Orders & billing"},
    )

    assert response.status_code == 422
    page = html(response)
    box = page.find(id="id_new_menu_name").find_parent(class_="field")
    assert "Orders & billing" in text(box.select_one(".field-error"))
    assert [m.name for m in draft_of(drafted).ivr_document().menus].count("Orders & billing") == 1


def test_changing_a_key_to_lead_to_a_new_menu(as_editor, drafted):
    main = menu_key_named(drafted, "Main menu")

    response = post(
        as_editor,
        "route_change",
        [drafted, main, "3"],
        {"keypress": "3", "action": "menu", "menu_key": "new", "new_menu_name": "After hours"},
    )

    assert response.status_code == 200
    document = draft_of(drafted).ivr_document()
    after_hours = next(menu for menu in document.menus if menu.name == "After hours")
    assert document.find_menu(main).route("3").destination == GoToMenu(after_hours.key)
