"""Guessing passwords is slowed down: repeated failed sign-ins pause that username, or that
address, with a plain message on the sign-in page, and each pause is in the audit log."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from audit.models import ChangeSet
from tests.conftest import PERSONA_PASSWORD

pytestmark = pytest.mark.django_db

LIMIT = 5  # settings.SIGN_IN_FAILURE_LIMIT's default
PAUSED = "Too many failed sign-ins for this username or from this network address"


def sign_in(username: str, password: str, *, address: str = "203.0.113.7"):
    client = Client(REMOTE_ADDR=address)
    response = client.post("/sign-in/", {"username": username, "password": password})
    response.signed_in = "_auth_user_id" in client.session
    return response


def pauses() -> list[ChangeSet]:
    return list(ChangeSet.objects.filter(action="sign_in_throttled").order_by("id"))


def test_a_few_wrong_passwords_only_say_the_password_is_wrong(admin):
    for _ in range(LIMIT - 1):
        response = sign_in("alice", "not her password")
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.content.decode()
    assert sign_in("alice", PERSONA_PASSWORD).signed_in
    assert pauses() == []


def test_wrong_passwords_for_one_username_pause_it_from_every_address(admin, editor):
    for attempt in range(LIMIT):
        sign_in("alice", f"guess {attempt}", address=f"198.51.100.{attempt + 1}")

    refused = sign_in("alice", PERSONA_PASSWORD, address="192.0.2.200")
    page = refused.content.decode()
    assert refused.status_code == 429 and not refused.signed_in
    assert PAUSED in page
    assert "Please try again in 15 minutes." in page
    assert 'value="alice"' in page  # the username typed is kept
    # Other people, even from the addresses the guesses came from, are not affected.
    assert sign_in("bob", PERSONA_PASSWORD, address="198.51.100.1").signed_in


def test_wrong_passwords_from_one_address_pause_that_address_for_everyone(admin, editor):
    for attempt in range(LIMIT):
        sign_in(f"someone{attempt}", "guess", address="203.0.113.66")

    refused = sign_in("alice", PERSONA_PASSWORD, address="203.0.113.66")
    assert refused.status_code == 429 and not refused.signed_in
    assert PAUSED in refused.content.decode()
    assert sign_in("alice", PERSONA_PASSWORD, address="203.0.113.67").signed_in


def test_each_pause_is_audited_once_with_who_and_where_but_no_password(admin):
    for attempt in range(LIMIT + 3):  # three more attempts while paused
        sign_in("alice", f"secret guess {attempt}", address=f"198.51.100.{attempt + 1}")

    [pause] = pauses()
    assert pause.summary == (
        "Paused sign-ins for username “alice” for 15 minutes after 5 failed attempts"
    )
    assert pause.target_type == "user" and pause.target_id == "alice"
    assert pause.actor_user_id is None and pause.actor_display_name == "Someone not signed in"
    assert pause.client_address == "198.51.100.5"  # the attempt that reached the limit
    assert pause.outcome_row.outcome == "applied"
    assert "guess" not in repr(
        [pause.summary, pause.before, pause.outcome_row.after, pause.names, pause.reason]
    )


def test_a_pause_from_one_address_is_audited_naming_the_address(admin):
    for attempt in range(LIMIT):
        sign_in(f"someone{attempt}", "guess", address="203.0.113.66")
    [pause] = pauses()
    assert "address 203.0.113.66" in pause.summary
    assert pause.outcome_row.after["address"] == "203.0.113.66"


def test_signing_in_works_again_once_the_pause_is_over(admin):
    for attempt in range(LIMIT):
        sign_in("alice", f"guess {attempt}")
    assert sign_in("alice", PERSONA_PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert sign_in("alice", PERSONA_PASSWORD).signed_in


def test_a_correct_sign_in_clears_the_count(admin):
    for attempt in range(LIMIT - 1):
        sign_in("alice", f"guess {attempt}")
    assert sign_in("alice", PERSONA_PASSWORD).signed_in
    for attempt in range(LIMIT - 1):
        sign_in("alice", f"guess {attempt}")
    assert sign_in("alice", PERSONA_PASSWORD).signed_in


def test_the_pause_length_and_limit_come_from_the_settings(admin, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=1)
    sign_in("alice", "guess 1")
    sign_in("alice", "guess 2")
    refused = sign_in("alice", PERSONA_PASSWORD)
    assert "Please try again in 1 minute." in refused.content.decode()
