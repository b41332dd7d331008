"""A phone number's greeting settings use the same picker as IVR menus: greetings by name, and
▶ the chosen one through TalkAdmin; never an id."""

import pytest
from django.urls import reverse

from tests.greetings.helpers import greeting_named
from tests.numbers.forms import open_form, page, submit, text

pytestmark = pytest.mark.django_db


def greeting_pickers(response) -> dict:
    return {
        select["name"]: select
        for select in page(response).select("form.settings-form select[data-greeting-picker]")
    }


def test_each_greeting_setting_is_a_picker_that_plays(as_editor, sandbox):
    number = sandbox.state.number_named("US After-hours")
    pickers = greeting_pickers(open_form(as_editor, number["id"], "greetings"))
    assert {"greeting_1", "greeting_3", "greeting_6"} <= set(pickers)
    voicemail = pickers["greeting_1"]
    chosen = voicemail.select_one("option[selected]")
    after_hours = greeting_named(sandbox, "After-hours voicemail")
    assert text(chosen) == "After-hours voicemail"
    assert chosen["data-audio-url"] == reverse("greetings:audio", args=[after_hours["id"]])
    assert voicemail["data-greeting-category"] == "1"
    player = page(open_form(as_editor, number["id"], "greetings")).select_one(
        f"[data-greeting-player-for='{voicemail['id']}'] audio"
    )
    assert player is not None
    assert not page(open_form(as_editor, number["id"], "greetings")).find(
        "a", attrs={"data-opens-upload": True}
    )


def test_a_greeting_zendesk_no_longer_has_is_named_not_shown_by_id(as_editor, sandbox):
    number = sandbox.state.number_named("US After-hours")
    with sandbox.state.lock:
        number["categorised_greetings"]["3"] = 987654
    pickers = greeting_pickers(open_form(as_editor, number["id"], "greetings"))
    labels = [text(o) for o in pickers["greeting_3"].select("option")]
    assert "The greeting it has now (Zendesk no longer has it)" in labels
    assert not any("987654" in label for label in labels)


def test_choosing_another_greeting_still_saves(as_editor, sandbox):
    number = sandbox.state.number_named("US After-hours")
    hold = greeting_named(sandbox, "Acoustic hold music")
    response = submit(as_editor, number["id"], "greetings", {"greeting_3": str(hold["id"])})
    assert response.status_code == 302, response.content.decode()[:500]
    assert number["categorised_greetings"]["3"] == hold["id"]
