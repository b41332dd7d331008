"""The words of a greeting on the IVR pages: the call flow and "Try it" show them as what the
caller hears, with ▶ beside them, and the checks compare the menu's keys with them. A greeting
an unpublished draft plays cannot be deleted."""

import pytest
from django.urls import reverse

from greetings.models import GreetingScript
from tests.audio_files import wav_bytes
from tests.greetings.helpers import HTMX, audio_file, greeting_named, greeting_writes
from tests.ivr.editor_pages import add_menu, start_draft
from tests.ivr.page_html import html, menu_card, text

pytestmark = pytest.mark.django_db

# The Main menu of "Main support line" routes 1, 2, 3, 4, 0 and a default (sandbox/demo.py).
WITHOUT_4 = (
    "Welcome to Northwind Outfitters. For orders and billing, press 1. For technical support, "
    "press 2. To leave us a message, press 3. To speak to our team, press 0."
)


@pytest.fixture
def main_line(sandbox) -> int:
    return sandbox.state.ivr_named("Main support line")["id"]


@pytest.fixture
def welcome(sandbox) -> dict:
    return greeting_named(sandbox, "Welcome to Northwind Outfitters")


def test_the_call_flow_shows_the_words_callers_hear_with_a_player(
    as_viewer, sandbox, main_line, welcome
):
    GreetingScript.objects.create(greeting_id=str(welcome["id"]), script=WITHOUT_4)
    page = html(as_viewer.get(reverse("ivr:detail", args=[main_line])))
    card = menu_card(page, "Main menu")
    assert text(card.select_one(".greeting-script")) == f"Callers hear: {WITHOUT_4}"
    assert card.select_one(".menu-greeting-words audio")["src"] == reverse(
        "greetings:audio", args=[welcome["id"]]
    )


def test_the_checks_warn_of_a_key_the_greeting_never_says(as_viewer, sandbox, main_line, welcome):
    GreetingScript.objects.create(greeting_id=str(welcome["id"]), script=WITHOUT_4)
    page = html(as_viewer.get(reverse("ivr:detail", args=[main_line])))
    checks = text(page.select_one("#checks"))
    assert "Key 4 goes to a text message from" in checks
    assert "but the greeting 'Welcome to Northwind Outfitters' never says 4" in checks


def test_without_words_there_is_no_such_check(as_viewer, sandbox, main_line):
    page = html(as_viewer.get(reverse("ivr:detail", args=[main_line])))
    assert "never says" not in text(page.select_one("#checks"))


def test_try_it_says_what_the_caller_hears_with_a_player(as_viewer, sandbox, main_line, welcome):
    GreetingScript.objects.create(greeting_id=str(welcome["id"]), script=WITHOUT_4)
    page = html(as_viewer.get(reverse("ivr:detail", args=[main_line])))
    first = page.select_one(".transcript-list li")
    assert "the caller hears the greeting 'Welcome to Northwind Outfitters'" in text(first)
    assert WITHOUT_4 in text(first.select_one(".greeting-script"))
    assert first.select_one("audio[data-greeting-audio]") is not None


def test_editors_are_offered_to_write_the_words_down(as_editor, sandbox, main_line, welcome):
    page = html(as_editor.get(reverse("ivr:detail", args=[main_line])))
    card = menu_card(page, "Main menu")
    link = card.select_one(".menu-greeting-words a")
    assert link["href"] == reverse("greetings:script", args=[welcome["id"]])


def test_a_greeting_only_a_draft_plays_cannot_be_deleted(as_editor, as_admin, sandbox, main_line):
    spare = sandbox.state.add_greeting("Spring sale welcome", category_id=5)
    start_draft(as_editor, main_line)
    add_menu(as_editor, main_line, "Spring sale", greeting=str(spare["id"]))

    response = as_admin.post(reverse("greetings:delete", args=[spare["id"]]), {"reason": "Tidy"})
    assert response.status_code == 422
    assert "Menu 'Spring sale' in the unpublished draft of the IVR 'Main support line'" in text(
        html(response)
    )
    assert greeting_writes(sandbox) == []


# --- The menu form's greeting picker -------------------------------------------------------------


def test_the_menu_forms_picker_plays_each_recorded_greeting(as_editor, sandbox, main_line):
    start_draft(as_editor, main_line)
    page = html(as_editor.get(reverse("ivr:menu_add", args=[main_line]), headers=HTMX))
    picker = page.select_one("select[data-greeting-picker]")
    options = {text(o): o for o in picker.select("option")}
    welcome = greeting_named(sandbox, "Welcome to Northwind Outfitters")
    assert options["Welcome to Northwind Outfitters"]["data-audio-url"] == reverse(
        "greetings:audio", args=[welcome["id"]]
    )
    assert not options["No greeting of its own (Zendesk's default)"].get("data-audio-url")
    assert page.select_one(f"[data-greeting-player-for='{picker['id']}'] audio") is not None
    upload = page.find("a", attrs={"data-opens-upload": True})
    assert upload["hx-get"] == reverse("greetings:new") + "?for=menu"
    assert page.select_one("#greeting-upload-slot") is not None
    # The upload form opened in place has names of its own, so nothing typed is mixed up.
    form = html(as_editor.get(upload["hx-get"], headers=HTMX))
    assert form.find(attrs={"name": "new-greeting-name"}) is not None
    assert form.find(attrs={"name": "name"}) is None


def test_without_javascript_the_upload_comes_back_to_the_menu_form_with_it_chosen(
    as_editor, sandbox, main_line
):
    start_draft(as_editor, main_line)
    menu_form = reverse("ivr:menu_add", args=[main_line])
    response = as_editor.post(
        reverse("greetings:new"),
        {
            "name": "Spring sale",
            "category": "5",
            "audio": audio_file(wav_bytes(1)),
            "next": menu_form,
        },
    )
    created = greeting_named(sandbox, "Spring sale")
    assert response["Location"] == f"{menu_form}?greeting={created['id']}"
    page = html(as_editor.get(response["Location"]))
    chosen = page.select_one("select[data-greeting-picker] option[selected]")
    assert text(chosen) == "Spring sale"


def test_a_pending_greeting_is_named_so_in_the_picker(as_editor, sandbox, main_line):
    sandbox.state.add_greeting("Returns menu", category_id=5, recording=None)
    start_draft(as_editor, main_line)
    page = html(as_editor.get(reverse("ivr:menu_add", args=[main_line]), headers=HTMX))
    names = [text(o) for o in page.select("select[data-greeting-picker] option")]
    assert "Returns menu (no recording yet)" in names
