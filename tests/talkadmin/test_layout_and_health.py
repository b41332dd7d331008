import pytest
from django.db import DatabaseError

pytestmark = pytest.mark.django_db


def test_layout_shows_the_user_their_role_and_a_sign_out_button(as_editor):
    page = as_editor.get("/", follow=True).content.decode()
    assert "Bob Editor" in page
    assert '<span class="badge badge-role">Editor</span>' in page
    assert 'action="/sign-out/"' in page
    assert 'href="#main"' in page  # skip-to-content link
    assert "X-CSRFToken" in page  # htmx sends the CSRF token from <body>


def test_htmx_is_served_from_our_own_static_files(as_viewer):
    page = as_viewer.get("/", follow=True).content.decode()
    assert '<script src="/static/django_htmx/htmx-2.min.js' in page
    assert "unpkg" not in page and "cdn" not in page.lower()


def test_pages_that_do_not_exist_yet_are_not_linked(as_admin):
    from talkadmin.context_processors import NAVIGATION

    page = as_admin.get("/", follow=True).content.decode()
    from django.urls import NoReverseMatch, reverse

    for label, url_name, _ in NAVIGATION:
        try:
            reverse(url_name)
        except NoReverseMatch:
            assert f">{label}</a>" not in page


def test_user_without_a_role_is_told_to_ask_for_one(as_outsider):
    page = as_outsider.get("/").content.decode()
    assert "Your account has no role yet" in page


def test_health_check_reports_the_database_the_talk_api_and_the_worker(client, sandbox):
    from core.worker.heartbeat import Heartbeat

    Heartbeat("worker-1").register()  # as a running worker writes it (tests/worker: for real)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {
            "database": {"ok": True},
            "talk_api": {"ok": True, "detail": "reachable"},
            "worker": {"ok": True, "detail": "1 worker running, 0 busy"},
        },
    }
    assert response["Cache-Control"].startswith("max-age=0")


def test_health_check_fails_when_the_database_is_down(client, monkeypatch, sandbox):
    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr("talkadmin.views.connection.cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "failing",
        "checks": {
            "database": {"ok": False, "detail": "database unreachable"},
            "talk_api": {"ok": True, "detail": "reachable"},
            "worker": {"ok": False, "detail": "not known without the database"},
        },
    }


def test_a_failing_talk_api_degrades_the_health_check_but_keeps_the_server_in_rotation(
    client, sandbox
):
    sandbox.fail("GET", "*", status=503)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["talk_api"] == {"ok": False, "detail": "not answering"}
    assert len(sandbox.requests) == 1  # a probe is never retried: it must answer fast


def test_the_talk_api_is_probed_at_most_every_30_seconds(client, sandbox):
    for _ in range(5):
        client.get("/healthz")
    assert len(sandbox.requests) == 1


def test_refused_credentials_and_missing_settings_show_without_secrets(client, sandbox, settings):
    settings.TALK_API_TOKEN = "revoked-token-value"
    from talk import get_client
    from talk.wsgi_transport import WsgiAdapter

    get_client().transport.mount(WsgiAdapter(sandbox.app))
    refused = client.get("/healthz")
    assert refused.json()["checks"]["talk_api"] == {"ok": False, "detail": "credentials refused"}
    assert "revoked-token-value" not in refused.content.decode()
    from django.core.cache import cache

    cache.clear()
    settings.TALK_BASE_URL = ""
    assert client.get("/healthz").json()["checks"]["talk_api"] == {
        "ok": False,
        "detail": "not configured",
    }


def test_htmx_responses_carry_messages_out_of_band(as_viewer):
    from django.contrib import messages
    from django.http import HttpResponse
    from django.test import RequestFactory

    from talkadmin.middleware import HtmxMessagesMiddleware

    def view(request):
        messages.success(request, "Saved <the> change")
        return HttpResponse("<p>fragment</p>")

    request = RequestFactory().get("/", headers={"HX-Request": "true"})
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore
    from django_htmx.middleware import HtmxDetails

    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request.htmx = HtmxDetails(request)
    response = HtmxMessagesMiddleware(view)(request)
    body = response.content.decode()
    assert body.startswith("<p>fragment</p>")
    assert 'hx-swap-oob="beforeend"' in body
    assert "Saved &lt;the&gt; change" in body
