"""One limit for an IVR's and a menu's name, Zendesk's 255 characters (issue 20: the editor
cut names at 120 while creating took 255), counted as the admin types instead of cut silently
by the browser, and refused beside the field, with the typing kept, when it is over."""

import pytest

from ivr.engine.lookups import Lookups
from ivr.services.lifecycle import MAX_NAME_LENGTH
from ivr.web.forms.admin import CreateIvrForm, ImportForm
from ivr.web.forms.editor import IvrNameForm, MenuForm
from tests.ivr.editor_pages import draft_of, menu_key_named, post, start_draft
from tests.ivr.page_html import html, text

LONG = "Spring campaign line for the customers of the northern region " * 4  # 248 characters


@pytest.fixture
def drafted(as_editor, sandbox) -> int:
    ivr_id = sandbox.state.ivr_named("Main support line")["id"]
    start_draft(as_editor, ivr_id)
    return ivr_id


def field_error(page, field_id: str) -> str:
    box = page.find(id=field_id).find_parent(class_="field")
    return " ".join(text(p) for p in box.select(".field-error"))


def test_the_limit_is_zendesks_own():
    assert MAX_NAME_LENGTH == 255
    assert len(LONG.strip()) == 247


@pytest.mark.parametrize(
    "bound_field",
    [
        lambda: IvrNameForm()["name"],
        lambda: MenuForm(lookups=Lookups())["name"],
        lambda: CreateIvrForm()["name"],
        lambda: ImportForm(new_ivr=True)["name"],
    ],
    ids=["rename", "menu", "create", "import"],
)
def test_every_name_field_counts_to_the_one_limit_and_never_cuts_the_typing(bound_field):
    field = bound_field()
    widget = str(field)

    assert field.field.max_length == MAX_NAME_LENGTH
    assert 'data-max-chars="255"' in widget
    assert "maxlength" not in widget  # the browser would cut a pasted name without a word


def test_a_long_ivr_name_within_zendesks_limit_is_kept_whole(as_editor, drafted):
    response = post(as_editor, "ivr_rename", [drafted], {"name": LONG})

    assert response.status_code == 200
    assert draft_of(drafted).name == LONG.strip()


def test_a_long_menu_name_within_zendesks_limit_is_kept_whole(as_editor, drafted):
    response = post(as_editor, "menu_add", [drafted], {"name": LONG, "greeting": ""})

    assert response.status_code == 200
    assert menu_key_named(drafted, LONG.strip())


def test_a_name_over_the_limit_is_refused_beside_the_field_and_the_typing_kept(as_editor, drafted):
    typed = "x" * 256
    response = post(as_editor, "ivr_rename", [drafted], {"name": typed})

    assert response.status_code == 422
    page = html(response)
    assert field_error(page, "id_name") == (
        "Use at most 255 characters, Zendesk's limit (this has 256)."
    )
    assert page.select_one("#id_name")["value"] == typed
    assert draft_of(drafted).name == "Main support line"
