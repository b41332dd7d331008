"""A reviewer of any role finds who changed what, when, why, and how it ended."""

import html
import re
from datetime import timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone

import audit
from audit.actor import Actor
from audit.models import ChangeSet
from tests.audit.talk_calls import open_publish, talk_call

pytestmark = pytest.mark.django_db


class TalkDown(Exception):
    user_message = "Zendesk is not answering right now."


def actor_for(user) -> Actor:
    return Actor.for_user(user, client_address="198.51.100.7", user_agent="Safari")


def number_change(user, number_id: int, name: str, summary: str, reason: str = "") -> ChangeSet:
    with audit.change_set(
        actor=actor_for(user),
        action=audit.Action.UPDATE_PHONE_NUMBER,
        target_type=audit.TargetType.PHONE_NUMBER,
        target_id=number_id,
        target_name=name,
        summary=summary,
        reason=reason or "Customer request",
        before={"id": number_id, "recorded": False},
    ) as change:
        talk_call("PUT", f"/api/v2/channels/voice/phone_numbers/{number_id}")
        change.set_after({"id": number_id, "recorded": True})
    return change.change_set


@pytest.fixture
def log(admin, editor):
    """A small log: two number changes by Bob, a failed publish by Alice, an export."""
    first = number_change(editor, 6, "UK support", "Turn recording on for UK support")
    second = number_change(editor, 7, "US sales", "Turn recording on for US sales", "GDPR audit")
    with (
        pytest.raises(TalkDown),
        open_publish(actor_for(admin), reason="New billing team") as change,
    ):
        talk_call("PUT", "/api/v2/channels/voice/ivr/360001", status=503, error="Unavailable")
        raise TalkDown
    return {"first": first, "second": second, "failed": change.change_set}


def rows(page: str) -> list[str]:
    """The summaries of the listed change sets, top to bottom."""
    summaries = re.findall(r'<a href="/audit/\d+/"><bdi>([^<]+)</bdi></a>', page)
    return [html.unescape(summary) for summary in summaries]


def test_the_list_shows_the_newest_change_first_with_who_what_and_outcome(as_viewer, log):
    page = as_viewer.get("/audit/").content.decode()
    assert rows(page)[:3] == [
        "Publish 1 change to IVR 'Main line'",
        "Turn recording on for US sales",
        "Turn recording on for UK support",
    ]
    assert len(rows(page)) == 6  # and the three personas being added
    assert "Bob Editor" in page and "Changed phone number settings" in page
    assert '<span class="badge badge-danger">Failed</span>' in page
    assert "Why: <bdi>GDPR audit</bdi>" in page


@pytest.mark.parametrize("client", ["as_admin", "as_editor", "as_viewer"])
def test_every_role_can_review_the_log(request, client, log):
    response = request.getfixturevalue(client).get(f"/audit/{log['first'].pk}/")
    assert response.status_code == 200


def test_someone_without_a_role_cannot(as_outsider, log):
    assert as_outsider.get("/audit/").status_code == 403
    assert as_outsider.get(f"/audit/{log['first'].pk}/").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, log):
    response = client.get("/audit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_the_top_navigation_links_the_audit_log(as_viewer):
    page = as_viewer.get("/audit/").content.decode()
    assert '<a href="/audit/" aria-current="page">Audit log</a>' in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("action=update_phone_number", ["second", "first"]),
        ("outcome=failed", ["failed"]),
        ("target_type=phone_number&target_id=7", ["second"]),
        ("target=uk+supp", ["first"]),
        ("target=360001", ["failed"]),
        ("text=gdpr", ["second"]),
        ("text=billing+team", ["failed"]),
        ("text=recording+on&target=sales", ["second"]),
    ],
)
def test_filters_narrow_the_list(as_viewer, log, query, expected):
    page = as_viewer.get(f"/audit/?{query}").content.decode()
    assert rows(page) == [log[name].final_summary for name in expected]


def test_the_actor_filter_lists_people_by_name(as_viewer, log, admin, editor):
    page = as_viewer.get(f"/audit/?actor={editor.pk}").content.decode()
    assert rows(page) == [log["second"].summary, log["first"].summary]
    assert f'<option value="{admin.pk}">Alice Admin (alice)</option>' in page
    commands = as_viewer.get("/audit/?actor=none&action=add_user").content.decode()
    assert len(rows(commands)) == 3  # the personas, added by the test set-up command


def test_the_date_filter_covers_whole_days(as_viewer, log):
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    assert (
        len(rows(as_viewer.get(f"/audit/?date_from={today}&date_to={today}").content.decode())) == 6
    )
    assert rows(as_viewer.get(f"/audit/?date_to={yesterday}").content.decode()) == []


def test_bad_filters_are_explained_next_to_the_field_and_nothing_is_lost(as_viewer, log):
    response = as_viewer.get("/audit/?date_from=31/01/2026&target=sales&date_to=2026-01-01")
    assert response.status_code == 422
    page = response.content.decode()
    assert "Enter a date like 2026-01-31." in page
    assert 'value="31/01/2026"' in page and 'value="sales"' in page
    assert 'aria-invalid="true"' in page


def test_an_end_date_before_the_start_is_refused(as_viewer):
    page = as_viewer.get("/audit/?date_from=2026-02-01&date_to=2026-01-01").content.decode()
    assert "The end date is before the start date." in page


def test_an_interrupted_change_set_can_be_found_by_its_outcome(as_viewer, log, monkeypatch):
    with open_publish(Actor.system("worker"), max_duration=timedelta(0)) as change:
        # The worker "dies" here: we show the page before the outcome is written.
        page = as_viewer.get("/audit/?outcome=interrupted").content.decode()
        assert rows(page) == [change.change_set.summary]
        assert '<span class="badge badge-danger">Interrupted</span>' in page


def test_pages_follow_each_other_without_counting_the_log(
    as_viewer, admin, django_assert_max_num_queries
):
    for number in range(1, 56):
        audit.record_event(
            actor=actor_for(admin),
            action=audit.Action.SIGN_IN_THROTTLED,
            target_type=audit.TargetType.USER,
            target_id="mallory",
            target_name="mallory",
            summary=f"Attempt {number}",
        )
    first = as_viewer.get("/audit/?target_id=mallory").content.decode()
    assert rows(first)[:2] == ["Attempt 55", "Attempt 54"] and len(rows(first)) == 50
    older_link = re.search(r'href="(\?target_id=mallory&amp;before=\d+)" rel="next"', first)
    older = as_viewer.get("/audit/" + older_link.group(1).replace("&amp;", "&")).content.decode()
    assert rows(older) == [f"Attempt {n}" for n in range(5, 0, -1)]
    assert 'rel="next"' not in older
    newer_link = re.search(r'href="(\?target_id=mallory&amp;after=\d+)" rel="prev"', older)
    newer = as_viewer.get("/audit/" + newer_link.group(1).replace("&amp;", "&")).content.decode()
    assert rows(newer) == rows(first)
    # session, user, roles, the change sets that created the target, the page, the navigation's
    # "Waiting for approval" requests: constant
    with django_assert_max_num_queries(12) as queries:
        as_viewer.get("/audit/" + older_link.group(1).replace("&amp;", "&"))
    assert not any("COUNT(" in query["sql"].upper() for query in queries.captured_queries)


def test_filtering_with_htmx_swaps_only_the_results_and_keeps_the_url(as_viewer, log):
    response = as_viewer.get(
        "/audit/?actor=&outcome=failed&text=",
        headers={"HX-Request": "true", "HX-Target": "log-results"},
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="log-results"')
    assert rows(page) == [log["failed"].summary]
    assert 'action="/audit/export/?outcome=failed"' in page  # the export follows the filter
    assert response["HX-Push-Url"] == "/audit/?outcome=failed"  # shareable, without empty fields


def test_bad_filters_with_htmx_replace_the_filter_form_with_its_errors(as_viewer):
    response = as_viewer.get(
        "/audit/?date_from=nope", headers={"HX-Request": "true", "HX-Target": "log-results"}
    )
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#audit-log"
    assert "Enter a date like 2026-01-31." in response.content.decode()


def test_the_detail_page_tells_the_whole_story(as_viewer, log, editor):
    page = as_viewer.get(f"/audit/{log['second'].pk}/").content.decode()
    assert "<h1><bdi>Turn recording on for US sales</bdi></h1>" in page
    assert "GDPR audit" in page
    assert "Bob Editor (bob)" in page and "198.51.100.7" in page and "Safari" in page
    assert "Turned call recording on." in page
    assert (
        '<th scope="row"><bdi>Call recording</bdi></th><td class="diff-before"><bdi>off</bdi></td>'
        in page
    )
    assert "PUT /api/v2/channels/voice/phone_numbers/7" in page
    assert '<span class="badge badge-large badge-ok">Applied</span>' in page
    assert "/audit/?target_type=phone_number&amp;target_id=7" in page


def test_the_detail_of_a_failure_says_nothing_changed_and_why(as_viewer, log):
    page = as_viewer.get(f"/audit/{log['failed'].pk}/").content.decode()
    assert "This change failed: nothing was changed in Zendesk." in page
    assert "Zendesk is not answering right now." in page
    assert "No answer" not in page and "503" in page and "Unavailable" in page
    # It had a before and no after: that is not a deletion, in the page or in the export's words.
    assert "Deleted" not in page and "afterwards was not recorded" in page
    assert log["failed"].outcome_row.changes_in_words == ""


def test_a_missing_change_set_is_a_plain_404(as_viewer):
    assert as_viewer.get("/audit/999999/").status_code == 404


def test_the_history_box_shows_one_targets_latest_changes(log, rf):
    html = Template('{% load audit %}{% audit_history "phone_number" 7 %}').render(Context({}))
    assert "Turn recording on for US sales" in html
    assert "UK support" not in html
    assert 'href="/audit/?target_type=phone_number&amp;target_id=7"' in html
