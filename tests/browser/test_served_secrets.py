"""The served site (DEBUG off) keeps its secrets: not in a page, its server log or the audit
log, through sign-ins with typed passwords, a Talk outage and an error page."""

import base64

from playwright.sync_api import expect

from audit.models import ApiCall, ChangeSet, ChangeSetOutcome
from tests.browser.test_sign_in import PASSWORD, _erin, _sign_in


def test_the_served_site_shows_no_secret_and_no_debug_page(new_page, site, real_password_hashing):
    _erin()
    page = new_page()
    seen = []
    page.goto("/sign-in/")
    _sign_in(page, "erin", "wrong-Passw0rd-typed")
    seen.append(page.content())
    _sign_in(page, "erin", PASSWORD)
    expect(page.get_by_role("heading", name="IVRs", level=1)).to_be_visible()

    missing = page.goto("/no/such/page/")
    assert missing.status == 404
    expect(page.get_by_role("heading", name="This page does not exist")).to_be_visible()
    assert "URLconf" not in page.content()  # Django's debug page would list the URL patterns
    seen.append(page.content())

    site.sandbox.set_faults({"forced": [{"method": "*", "path": "*", "status": 401}]})
    health = page.request.get("/healthz")
    assert health.json()["checks"]["talk_api"] == {"ok": False, "detail": "credentials refused"}
    seen.append(health.text())
    for url in ("/audit/", "/audit/987654/"):
        page.goto(url)
        seen.append(page.content())

    audit_rows = repr(
        [
            *ChangeSet.objects.values(),
            *ApiCall.objects.values(),
            *ChangeSetOutcome.objects.values(),
        ]
    )
    token = site.secrets["TALK_API_TOKEN"]
    secrets = {
        **site.secrets,
        "Basic auth": base64.b64encode(f"{site.sandbox.email}/token:{token}".encode()).decode(),
        "erin's password": PASSWORD,
        "a mistyped password": "wrong-Passw0rd-typed",
    }
    log = site.log_text()
    assert 'GET /no/such/page/ HTTP/1.1" 404' in log  # the log holds this session...
    places = {"pages": "\n".join(seen), "server log": log, "audit log": audit_rows}
    leaks = [
        f"{name} in the {place}"
        for name, secret in secrets.items()
        for place, text in places.items()
        if secret in text
    ]
    assert leaks == []  # ...and no secret
