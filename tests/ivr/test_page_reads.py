"""What the IVR pages and the publish page ask Zendesk for: lookups and numbers' settings are
kept (TALK_LOOKUP_CACHE_SECONDS) and read once, so a repeat visit reads only what it must show
fresh; changes made through TalkAdmin forget what they changed."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.ivr.editor_pages import start_draft
from tests.talk.recorder import change_set

NUMBERS_LIST = "*/channels/voice/phone_numbers"
ONE_NUMBER = "*/channels/voice/phone_numbers/*"


@pytest.fixture
def main_line(sandbox) -> dict:
    return sandbox.state.ivr_named("Main support line")


def answering(sandbox, ivr: dict) -> list[int]:
    return sorted(n["id"] for n in sandbox.state.phone_numbers.values() if n["ivr_id"] == ivr["id"])


def reads_of(sandbox) -> list[str]:
    return sorted(r.path for r in sandbox.requests if r.method == "GET")


def test_the_publish_preview_reads_each_numbers_settings_once_and_then_only_the_ivr(
    as_editor, main_line, sandbox
):
    start_draft(as_editor, main_line["id"])
    cache.clear()
    sandbox.clear_requests()

    first = as_editor.get(reverse("ivr:publish", args=[main_line["id"]]))

    assert first.status_code == 200
    numbers = answering(sandbox, main_line)
    assert len(numbers) == 2
    settings_reads = sorted(
        int(r.path.rsplit("/", 1)[1]) for r in sandbox.requests_to("GET", ONE_NUMBER)
    )
    assert settings_reads == numbers  # each once
    assert len(sandbox.requests_to("GET", f"*/ivr/{main_line['id']}")) == 1
    sandbox.clear_requests()

    again = as_editor.get(reverse("ivr:publish", args=[main_line["id"]]))

    assert again.status_code == 200
    assert reads_of(sandbox) == [f"/api/v2/channels/voice/ivr/{main_line['id']}"]
    # The same checks both times: the callback check ran with the kept settings.
    rules = [[f.rule for f in r.context["preview"].findings] for r in (first, again)]
    assert rules[0] == rules[1]
    assert "callback-greeting" in rules[0]


def test_a_repeat_visit_to_an_ivr_page_reads_only_the_ivr(as_viewer, main_line, sandbox):
    page = reverse("ivr:detail", args=[main_line["id"]])
    as_viewer.get(page)
    assert len(sandbox.requests_to("GET", NUMBERS_LIST)) == 1
    sandbox.clear_requests()

    response = as_viewer.get(page)

    assert response.status_code == 200
    assert reads_of(sandbox) == [f"/api/v2/channels/voice/ivr/{main_line['id']}"]
    assert "US Main Support" in response.content.decode()


def test_a_number_renamed_through_talkadmin_is_named_anew_on_the_next_visit(
    as_viewer, main_line, sandbox
):
    page = reverse("ivr:detail", args=[main_line["id"]])
    as_viewer.get(page)
    number_id = answering(sandbox, main_line)[0]
    with change_set():
        sandbox.client.update_phone_number(
            number_id, {"nickname": "Renamed line"}, settings={"callback_from_queue": False}
        )
    sandbox.clear_requests()

    response = as_viewer.get(page)

    assert "Renamed line" in response.content.decode()
    assert len(sandbox.requests_to("GET", NUMBERS_LIST)) == 1  # the list was forgotten
    # Its settings were forgotten too, and read again; the other number's were kept.
    assert [r.path for r in sandbox.requests_to("GET", ONE_NUMBER)] == [
        f"/api/v2/channels/voice/phone_numbers/{number_id}"
    ]


def test_a_change_made_in_zendesk_shows_once_the_lookups_expire(as_viewer, main_line, sandbox):
    """Changes made outside TalkAdmin show within TALK_LOOKUP_CACHE_SECONDS (here: at once,
    the cache being emptied as its time runs out)."""
    page = reverse("ivr:detail", args=[main_line["id"]])
    as_viewer.get(page)
    number_id = answering(sandbox, main_line)[0]
    with sandbox.state.lock:
        sandbox.state.phone_numbers[number_id]["nickname"] = "Renamed in Zendesk"
        sandbox.state.phone_numbers[number_id]["name"] = "Renamed in Zendesk"
    cache.clear()

    assert "Renamed in Zendesk" in as_viewer.get(page).content.decode()


def test_numbers_moved_to_another_ivr_through_talkadmin_show_there_at_once(
    as_viewer, main_line, sandbox
):
    holiday = sandbox.state.ivr_named("Holiday closure")
    page = reverse("ivr:detail", args=[holiday["id"]])
    assert "No phone number" in as_viewer.get(page).content.decode()
    number_id = answering(sandbox, main_line)[0]
    with change_set():
        sandbox.client.update_ivr(holiday["id"], phone_number_ids=[number_id])

    response = as_viewer.get(page).content.decode()

    assert sandbox.state.phone_numbers[number_id]["name"] in response
    assert "No phone number" not in response
