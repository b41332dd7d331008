"""Anyone with a role sees a number's history: its change sets, linked to the audit log."""

import html
import re

import pytest

import audit
from audit.actor import Actor
from ivr.services.lifecycle import assign_ivr

pytestmark = pytest.mark.django_db

NEW = "/numbers/new/"


def _text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def _token(sandbox, number: str) -> str:
    return next(a["token"] for a in sandbox.state.available_numbers if a["number"] == number)


def test_history_lists_provisioning_settings_and_release(as_admin, as_viewer, admin, sandbox):
    form = {"country": "US", "token": _token(sandbox, "+14155550142"), "reason": "West line"}
    as_admin.post(NEW, form)
    (number,) = [n for n in sandbox.state.phone_numbers.values() if n["number"] == "+14155550142"]
    with audit.change_set(
        actor=Actor.for_user(admin),
        action=audit.Action.UPDATE_PHONE_NUMBER,
        target_type=audit.TargetType.PHONE_NUMBER,
        target_id=number["id"],
        target_name="+1 (415) 555-0142",
        summary="Turn call recording on for +1 (415) 555-0142",
        reason="Quality checks",
    ) as change:
        sandbox.client.update_phone_number(number["id"], {"recorded": True})
    as_admin.post(
        f"/numbers/{number['id']}/release/",
        {"confirm_digits": "4155550142", "reason": "Not needed after all"},
    )

    response = as_viewer.get(f"/numbers/{number['id']}/history/")
    page = _text(response)
    assert response.status_code == 200
    assert "Zendesk no longer has this number: it has been released." in page
    summaries = re.findall(r'<a href="/audit/(\d+)/"><bdi>([^<]+)</bdi></a>', page)
    assert [text.split(".")[0] for _, text in summaries] == [
        "Released the number +1 (415) 555-0142",
        "Turn call recording on for +1 (415) 555-0142",
        "Got the local number +1 (415) 555-0142 (CA) in United States for $1",
    ]
    assert str(change.change_set.pk) in [pk for pk, _ in summaries]
    # The audit log filtered to this number (the page's "whole history" link) holds all three.
    whole = _text(as_viewer.get(f"/audit/?target_type=phone_number&target_id={number['id']}"))
    assert all(f'href="/audit/{pk}/"' in whole for pk, _ in summaries)


def test_history_names_ivr_changes_that_involved_the_number(as_viewer, admin, sandbox):
    dublin = next(
        n["id"]
        for n in sandbox.state.phone_numbers.values()
        if n["nickname"] == "Soporte en Español"
    )
    sales = next(i["id"] for i in sandbox.state.ivrs.values() if i["name"] == "Sales & orders")
    assign_ivr(
        ivr_id=sales, phone_number_ids=[dublin], actor=Actor.for_user(admin), reason="Spanish sales"
    )
    page = _text(as_viewer.get(f"/numbers/{dublin}/history/"))
    assert "History of <bdi>Soporte en Español (+353 76 680 1411)</bdi>" in page
    assert "IVR changes that involved this number" in page
    assert "Change which phone numbers answer with the IVR 'Sales & orders'" in page
    assert "No change has been made here through TalkAdmin yet." in page  # nothing to the number


def test_history_of_a_number_nobody_knows_is_not_found(as_viewer, sandbox):
    assert as_viewer.get("/numbers/987654/history/").status_code == 404


def test_history_when_zendesk_is_down_still_shows_the_log(as_viewer, sandbox):
    number_id = next(iter(sandbox.state.phone_numbers))
    sandbox.fail("GET", "*/phone_numbers/*", status=503)
    response = as_viewer.get(f"/numbers/{number_id}/history/")
    assert response.status_code == 200
    assert "Zendesk is not answering right now" in _text(response)


def test_an_outsider_cannot_see_history(as_outsider, sandbox):
    number_id = next(iter(sandbox.state.phone_numbers))
    assert as_outsider.get(f"/numbers/{number_id}/history/").status_code == 403
