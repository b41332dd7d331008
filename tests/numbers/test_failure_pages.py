"""Zendesk failing on the phone-number pages: one failure page for reads; posts stay in place."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

NEW = "/numbers/new/"


def _text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def test_a_busy_zendesk_says_when_to_try_the_number_page_again(as_viewer, sandbox):
    number = sandbox.state.number_named("UK Support London")
    sandbox.fail("GET", "*/phone_numbers/*", status=429, retry_after=30)

    response = as_viewer.get(reverse("numbers:detail", args=[number["id"]]))

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Try again" in _text(response) and "Traceback" not in _text(response)


def test_a_settings_form_zendesk_cannot_read_is_the_failure_page_not_a_traceback(
    as_editor, sandbox
):
    number = sandbox.state.number_named("UK Support London")
    sandbox.fail("GET", "*/phone_numbers/*", status=503)

    response = as_editor.get(reverse("numbers:edit", args=[number["id"], "queue"]))

    assert response.status_code == 503
    assert "could not read this from Zendesk" in _text(response)


def test_getting_a_number_when_the_search_again_fails_stays_on_its_page(as_admin, sandbox):
    offered = next(a for a in sandbox.state.available_numbers if a["number"] == "+14155550142")
    sandbox.fail("GET", "*/phone_numbers/search", status=503)

    response = as_admin.post(
        NEW, {"country": "US", "token": offered["token"], "reason": "New west-coast line"}
    )

    assert response.status_code == 503
    assert "Zendesk is not answering right now" in _text(response)
    assert '<option value="US" selected>' in _text(response)  # the search as it was
    assert sandbox.requests_to("POST", "*/phone_numbers") == []


def test_the_release_page_zendesk_cannot_read_is_the_failure_page(as_admin, sandbox):
    number = sandbox.state.number_named("UK Support London")
    sandbox.fail("GET", "*/channels/voice/ivr", status=503)

    response = as_admin.get(reverse("numbers:release", args=[number["id"]]))

    assert response.status_code == 503
    assert "could not read this from Zendesk" in _text(response)


def test_the_history_shows_while_zendesk_is_down(as_viewer, sandbox):
    number = sandbox.state.number_named("UK Support London")
    sandbox.fail("GET", "*/phone_numbers/*", status=503)

    response = as_viewer.get(reverse("numbers:history", args=[number["id"]]))

    assert response.status_code == 200
    assert "comes from TalkAdmin's own audit log" in _text(response)
