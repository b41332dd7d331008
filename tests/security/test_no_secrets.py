"""No secret (the Talk API token, SECRET_KEY, the audit log's signing keys, a password) appears
in any page, log line, audit row, export or error page, through a session of ordinary use,
refusals, Talk failures and a crash."""

import base64
import logging

import pytest
from axes.models import AccessAttempt
from django.test import Client

import audit
import talk
from audit.actor import Actor
from audit.models import ApiCall, ChangeSet, ChangeSetOutcome
from sandbox import build_app
from sandbox.faults import parse_forced
from talk.errors import TalkError
from talk.wsgi_transport import WsgiAdapter
from tests.conftest import PERSONA_PASSWORD

pytestmark = pytest.mark.django_db

TOKEN = "tok-5d1f8e7c2b9a4e3f6071c8d2"
EMAIL = "owner@northwind.example"
WRONG_PASSWORD = "my-wrong-guess-Pa55word"
NEW_USER_PASSWORD = "new-starters-Pa55phrase"


@pytest.fixture
def talk_with_a_token(sandbox, settings):
    """The site talks to a sandbox that only accepts a recognisable token."""
    settings.TALK_EMAIL, settings.TALK_API_TOKEN = EMAIL, TOKEN
    app = build_app(env={"SANDBOX_EMAIL": EMAIL, "SANDBOX_API_TOKEN": TOKEN})
    talk.get_client().transport.mount(WsgiAdapter(app))
    settings.ROOT_URLCONF = "tests.security.crashing_urls"
    return app


def _talk_failures(app, admin) -> None:
    """Changes to a number that Zendesk refuses or cannot answer, recorded as an admin's."""
    client = talk.get_client()
    number = next(iter(app.state.phone_numbers.values()))
    for fault in ("PUT *=503", "PUT *=422", "PUT *=401"):
        app.faults.forced = [parse_forced(fault)]
        try:
            with audit.change_set(
                actor=Actor.for_user(admin),
                action=audit.Action.UPDATE_PHONE_NUMBER,
                target_type=audit.TargetType.PHONE_NUMBER,
                target_id=number["id"],
                target_name=number["display_number"],
                summary="Turn recording on",
                reason="Quality checks",
            ):
                client.update_phone_number(number["id"], {"recorded": True})
        except TalkError:
            pass
    app.faults.forced = []


def _audit_rows() -> str:
    rows = [
        *ChangeSet.objects.values(),
        *ApiCall.objects.values(),
        *ChangeSetOutcome.objects.values(),
        *AccessAttempt.objects.values(),
    ]
    return repr(rows)


def test_secrets_stay_out_of_pages_logs_and_the_audit_log(
    talk_with_a_token, admin, caplog, settings
):
    caplog.set_level(logging.DEBUG)
    browser = Client(raise_request_exception=False)
    answers = [
        browser.post("/sign-in/", {"username": "alice", "password": WRONG_PASSWORD}),
        browser.post("/sign-in/", {"username": "alice", "password": PERSONA_PASSWORD}, follow=True),
    ]
    for url in ("/audit/", "/users/", "/users/add/", "/audit/987654/", "/healthz", "/crash/"):
        answers.append(browser.get(url))
    _talk_failures(talk_with_a_token, admin)
    # A new user's password typed into a form that comes back with an error is not shown back.
    answers.append(
        browser.post(
            "/users/add/",
            {
                "username": "erin",
                "display_name": "",
                "role": "viewer",
                "password": NEW_USER_PASSWORD,
                "password_again": NEW_USER_PASSWORD,
            },
        )
    )
    answers += [browser.get("/audit/")]
    answers += [browser.get(f"/audit/{change_set.pk}/") for change_set in ChangeSet.objects.all()]
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):  # until signing in is paused
        answers.append(
            Client().post("/sign-in/", {"username": "carol", "password": WRONG_PASSWORD})
        )

    exports = [
        browser.post("/audit/export/", {"file_format": file_format, "reason": "Quarterly review"})
        for file_format in ("csv", "jsonl")
    ]
    answers.append(browser.get("/audit/verify/"))  # the check that uses the audit log's keys

    statuses = {answer.status_code for answer in answers}
    assert {200, 404, 422, 429, 500} <= statuses, statuses  # a crash, a refusal, a pause were seen
    assert "Something went wrong on our side" in answers[7].content.decode()  # the plain 500
    assert "Internal Server Error: /crash/" in caplog.text  # the crash was logged...
    shown = [caplog.text, _audit_rows()]
    for answer in answers:
        shown.append(answer.content.decode(errors="replace"))
        shown.append(repr(answer.headers))
    for export in exports:
        assert export.status_code == 200
        shown.append(b"".join(export.streaming_content).decode())
    shown.append(_audit_rows())  # with the exports' own change sets
    assert "Quarterly review" in shown[-1]
    basic_auth = base64.b64encode(f"{EMAIL}/token:{TOKEN}".encode()).decode()
    secrets = {
        "SECRET_KEY": settings.SECRET_KEY,
        "TALK_API_TOKEN": TOKEN,
        "Basic auth": basic_auth,
        "a password": PERSONA_PASSWORD,
        "a wrong password": WRONG_PASSWORD,
        "a new user's password": NEW_USER_PASSWORD,
        **{
            f"audit signing key {index}": secret
            for index, secret in enumerate(settings.AUDIT_HMAC_KEYS.secrets())
        },
    }
    leaks = [name for name, secret in secrets.items() if any(secret in text for text in shown)]
    assert leaks == []  # ...and nothing secret was
