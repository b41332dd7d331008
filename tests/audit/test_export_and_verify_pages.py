"""Exports give a reviewer the filtered log as a file (and are audited); admins check the chain."""

import csv
import io
import json
from contextlib import contextmanager
from datetime import timedelta

import pytest

import audit
from audit.actor import Actor
from audit.export import export_change_sets
from audit.models import ChangeSet
from audit.review import LogFilter
from tests.audit.talk_calls import talk_call
from tests.database_role import as_database_owner

pytestmark = pytest.mark.django_db


def number_change(summary: str, *, reason: str = "", number_id: int = 6) -> ChangeSet:
    with audit.change_set(
        actor=Actor(user_id=5, username="ana", display_name="Ana Silva", client_address="10.0.0.1"),
        action=audit.Action.UPDATE_PHONE_NUMBER,
        target_type=audit.TargetType.PHONE_NUMBER,
        target_id=number_id,
        target_name="UK support",
        summary=summary,
        reason=reason or "Requested by legal",
        before={"id": number_id, "group_ids": [1], "recorded": False},
        names={"group": {1: "Tier 1", 2: "Tier 2"}},
    ) as change:
        talk_call("GET", f"/api/v2/channels/voice/phone_numbers/{number_id}?include=settings")
        talk_call(
            "PUT",
            f"/api/v2/channels/voice/phone_numbers/{number_id}",
            request_body={"phone_number": {"group_ids": [2], "api_token": "leaked-by-mistake"}},
            response_body={"phone_number": {"id": number_id, "group_ids": [2]}},
        )
        change.set_after({"id": number_id, "group_ids": [2], "recorded": True})
    return change.change_set


@contextmanager
def open_interrupted_change_set():
    """A change set whose worker died at once: no outcome, and out of time already."""
    recording = audit.change_set(
        actor=Actor.system("worker"),
        action=audit.Action.DELETE_IVR,
        target_type=audit.TargetType.IVR,
        target_id=9,
        target_name="Old line",
        summary="Delete IVR 'Old line'",
        reason="Unused",
        max_duration=timedelta(0),
    )
    recording.__enter__()  # and never __exit__: the worker died
    try:
        yield recording.change_set
    finally:
        recording._recording.__exit__(None, None, None)  # only stop recording Talk calls


def send_without_answer(method: str = "DELETE", path: str = "/api/v2/channels/voice/ivr/9"):
    """A write the Talk client put on record and sent, and then the worker died: no answer."""
    from talk.recording import OutgoingCall, active_recorder

    active_recorder().record_sending(OutgoingCall(method, path, {"reason": "Unused"}))


def download(client, query: str = "", **form) -> tuple[int, str, dict]:
    response = client.post(f"/audit/export/?{query}", {"file_format": "csv", **form})
    body = b"".join(response.streaming_content).decode() if response.streaming else ""
    return response.status_code, body, response


def test_a_csv_export_holds_the_filtered_change_sets_in_words(as_viewer):
    kept = number_change("Route UK support to Tier 2")
    number_change("Route US sales to Tier 2", number_id=7)
    status, body, response = download(as_viewer, "target_id=6&target_type=phone_number")
    assert status == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="talkadmin-audit-log-')
    [header, row] = list(csv.reader(io.StringIO(body)))
    assert header[:5] == ["Change set", "Started (UTC)", "Finished (UTC)", "Outcome", "Who"]
    record = dict(zip(header, row, strict=True))
    assert record["Change set"] == str(kept.pk)
    assert record["Outcome"] == "Applied"
    assert (record["Who"], record["Username"], record["Address"]) == (
        "Ana Silva",
        "ana",
        "10.0.0.1",
    )
    assert record["Action"] == "Changed phone number settings"
    assert record["Target"] == "UK support"
    assert record["Reason"] == "Requested by legal"
    assert record["What changed"] == (
        "Changed the groups from 'Tier 1' to 'Tier 2'. Turned call recording on."
    )
    assert (record["API calls"], record["Failed API calls"]) == ("2", "0")


def test_the_export_is_itself_a_change_set_with_the_row_count(as_viewer, viewer):
    number_change("Route UK support to Tier 2")
    download(as_viewer, "action=update_phone_number", reason="Quarterly review")
    export = ChangeSet.objects.get(action="export_audit_log")
    assert export.actor_user_id == viewer.pk
    assert export.reason == "Quarterly review"
    assert export.status == "applied"
    assert export.final_summary == (
        "Exported 1 change sets as CSV (What: Changed phone number settings)."
    )
    assert export.after["rows"] == 1


def test_an_export_holds_only_what_existed_when_it_started(as_viewer):
    number_change("Route UK support to Tier 2")
    _, first, _ = download(as_viewer)
    _, second, _ = download(as_viewer)
    assert len(list(csv.reader(io.StringIO(first)))) == 1 + 2  # header, number change, viewer
    assert "Exported 2 change sets as CSV (everything)." in second  # the first export
    assert "Exported" not in first


def test_a_json_lines_export_is_complete_and_masks_secrets(as_viewer):
    change_set = number_change("Route UK support to Tier 2")
    _, body, response = download(as_viewer, "target_type=phone_number", file_format="jsonl")
    assert response["Content-Type"] == "application/x-ndjson"
    [line] = body.splitlines()  # one change set, one line, however many calls it made
    record = json.loads(line)
    assert record["change_set"] == change_set.pk
    assert record["outcome"] == "applied"
    assert record["actor"]["username"] == "ana"
    assert record["target"] == {"type": "phone_number", "id": "6", "name": "UK support"}
    assert record["before"] == {"id": 6, "group_ids": [1], "recorded": False}
    assert record["after"] == {"id": 6, "group_ids": [2], "recorded": True}
    assert record["names"] == {"group": {"1": "Tier 1", "2": "Tier 2"}}
    [read, call] = record["api_calls"]
    assert (read["sequence"], read["method"], read["request_body"]) == (1, "GET", None)
    assert call["method"] == "PUT"
    assert call["request_body"] == {"phone_number": {"group_ids": [2], "api_token": "[masked]"}}
    assert call["response_body"] == {"phone_number": {"id": 6, "group_ids": [2]}}
    assert "leaked-by-mistake" not in body
    assert record["changes_in_words"] == (
        "Changed the groups from 'Tier 1' to 'Tier 2'. Turned call recording on."
    )


def test_spreadsheet_formulas_in_a_reason_are_defused(as_viewer):
    number_change("Route UK support", reason='=HYPERLINK("http://evil.example","click")')
    _, body, _ = download(as_viewer, "target_type=phone_number")
    [header, row] = list(csv.reader(io.StringIO(body)))
    assert dict(zip(header, row, strict=True))["Reason"].startswith("'=HYPERLINK")


def test_exporting_needs_a_post_and_a_role(as_viewer, as_outsider):
    assert as_viewer.get("/audit/export/").status_code == 405
    assert download(as_outsider)[0] == 403


def test_a_bad_export_request_is_explained_and_streams_nothing(as_viewer):
    status, body, response = download(as_viewer, "date_from=yesterday")
    assert (status, body) == (422, "")
    assert "Enter a date like 2026-01-31." in response.content.decode()
    status, _, response = download(as_viewer, file_format="xlsx")
    assert status == 422
    assert "Choose one of the options in the list." in response.content.decode()
    assert not ChangeSet.objects.filter(action="export_audit_log").exists()


def test_an_export_cut_off_by_the_browser_is_recorded_as_interrupted(viewer):
    for number in range(3):
        number_change(f"Change {number}", number_id=number)
    export = export_change_sets(
        log_filter=LogFilter(),
        filter_words="everything",
        file_format="jsonl",
        actor=Actor.for_user(viewer),
    )
    next(export.chunks)
    export.chunks.close()  # what the WSGI server does when the browser goes away
    recorded = ChangeSet.objects.get(action="export_audit_log")
    assert recorded.status == "interrupted"
    assert "download stopped after" in recorded.final_summary


def test_only_admins_can_open_the_chain_check(as_editor, as_viewer):
    assert as_editor.get("/audit/verify/").status_code == 403
    assert as_viewer.get("/audit/verify/").status_code == 403


def test_the_chain_check_page_says_intact_with_the_head(as_admin):
    number_change("Route UK support to Tier 2")
    page = as_admin.get("/audit/verify/").content.decode()
    assert "The audit log is intact." in page
    # Alice being added (intent, outcome) and the number change (intent, a read, a write as
    # sent and as answered, outcome).
    assert "All 7 rows match their hashes" in page
    assert "--anchor 7:" in page


def test_the_chain_check_page_names_a_tampered_row(as_admin):
    change_set = number_change("Route UK support to Tier 2")
    with as_database_owner() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE audit_changeset SET reason = 'tidied' WHERE id = %s", [change_set.pk]
        )
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    page = as_admin.get("/audit/verify/").content.decode()
    assert "The audit log is NOT intact." in page
    assert f"(change set #{change_set.pk} (its intent)) was altered after it was written" in page


def test_a_long_log_is_checked_slice_by_slice(as_admin, monkeypatch):
    monkeypatch.setattr("audit.views.VERIFY_SLICE", 2)
    number_change("Route UK support to Tier 2")
    page = as_admin.get("/audit/verify/").content.decode()
    assert "Checking… 2 of 7 rows so far" in page
    progress = page.split("?progress=")[1].split('"')[0]
    page = as_admin.get(
        f"/audit/verify/?progress={progress}",
        headers={"HX-Request": "true", "HX-Target": "chain-verdict"},
    ).content.decode()
    assert page.lstrip().startswith('<section id="chain-verdict"')
    assert "Checking… 4 of 7 rows so far" in page
    progress = page.split("?progress=")[1].split('"')[0]
    page = as_admin.get(f"/audit/verify/?progress={progress}").content.decode()
    assert "Checking… 6 of 7 rows so far" in page
    progress = page.split("?progress=")[1].split('"')[0]
    page = as_admin.get(f"/audit/verify/?progress={progress}").content.decode()
    assert "All 7 rows match their hashes" in page


def test_a_forged_progress_link_starts_the_check_again(as_admin):
    page = as_admin.get("/audit/verify/?progress=12:forged").content.decode()
    assert "All 2 rows match their hashes" in page  # checked from the start


def test_both_json_lines_writers_give_the_same_objects(viewer):
    """PostgreSQL writes the lines itself; the SQLite trial has Python write them."""
    from django.db import transaction
    from django.utils import timezone

    from audit.export import _api_call_groups, _change_set_rows, _with_calls
    from audit.export_formats import jsonl_lines
    from audit.export_sql import postgresql_json_lines

    number_change("Route UK support to Tier 2")
    with audit.change_set(
        actor=Actor.for_user(viewer),
        action=audit.Action.CREATE_IVR,
        target_type=audit.TargetType.IVR,
        target_id=None,
        target_name="Spring",
        reason="Campaign",
        summary="Create the IVR 'Spring'",
    ) as created:
        created.set_target(360777)  # the id Zendesk gave it: the outcome records it
    with open_interrupted_change_set() as orphan:
        send_without_answer()
    up_to, now = orphan.pk + 1, timezone.now()
    with transaction.atomic():
        by_database = "".join(text for text, _ in postgresql_json_lines(LogFilter(), up_to, now))
        rows = _with_calls(
            _change_set_rows(LogFilter(), up_to),
            _api_call_groups(LogFilter(), up_to),
        )
        by_python = "".join(text for text, _ in jsonl_lines(rows, now))
    from_database = [json.loads(line) for line in by_database.splitlines()]
    from_python = [json.loads(line) for line in by_python.splitlines()]
    assert from_database == from_python
    assert [record["outcome"] for record in from_database[:3]] == [
        "interrupted",
        "applied",
        "applied",
    ]
    assert from_database[1]["target"] == {"type": "ivr", "id": "360777", "name": "Spring"}
    [unknown] = from_database[0]["sent_answer_unknown"]
    assert (unknown["sequence"], unknown["method"], unknown["path"]) == (
        1,
        "DELETE",
        "/api/v2/channels/voice/ivr/9",
    )
    assert unknown["request_body"] == {"reason": "Unused"} and unknown["sent_at"]
    assert from_database[0]["api_calls"] == []  # no answer was ever recorded
    assert all(record["sent_answer_unknown"] == [] for record in from_database[1:])


# --- CSV written by PostgreSQL, with the words frozen when the change set closed ----------------
def csv_records(body: str) -> list[dict[str, str]]:
    [header, *rows] = list(csv.reader(io.StringIO(body)))
    return [dict(zip(header, row, strict=True)) for row in rows]


def change_without_words(monkeypatch, summary: str, number_id: int) -> ChangeSet:
    """A change set closed as before outcomes kept their words (changes_in_words NULL)."""

    def broken(**kwargs):
        raise RuntimeError("describer unavailable")

    with monkeypatch.context() as patch:
        patch.setattr("audit.recording.changes_in_words", broken)
        change_set = number_change(summary, number_id=number_id)
    assert change_set.outcome_row.changes_in_words is None
    return change_set


def test_closing_a_change_set_freezes_what_changed_into_its_hashed_outcome():
    from audit.models import ChangeSetOutcome
    from audit.verify import verify_chain

    change_set = number_change("Route UK support to Tier 2")
    outcome = ChangeSetOutcome.objects.get(change_set=change_set)
    assert outcome.changes_in_words == (
        "Changed the groups from 'Tier 1' to 'Tier 2'. Turned call recording on."
    )
    assert verify_chain().intact
    with as_database_owner() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE audit_changesetoutcome SET changes_in_words = 'Nothing changed.' WHERE id = %s",
            [outcome.pk],
        )
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    verdict = verify_chain()
    assert verdict.problem.kind == "altered"
    assert verdict.problem.row == f"the outcome of change set #{change_set.pk}"


def test_an_outcome_without_words_keeps_its_hash_and_words_added_later_are_caught(monkeypatch):
    from audit.verify import verify_chain

    old = change_without_words(monkeypatch, "Route UK support to Tier 2", 6)
    assert verify_chain().intact
    with as_database_owner() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE audit_changesetoutcome SET changes_in_words = '' WHERE change_set_id = %s",
            [old.pk],
        )
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    assert verify_chain().problem.row == f"the outcome of change set #{old.pk}"


def test_change_sets_closed_before_the_words_were_kept_are_described_in_the_csv(
    as_viewer, monkeypatch
):
    oldest = number_change("First change", number_id=5)
    old = change_without_words(monkeypatch, "Route UK support to Tier 2", 6)
    new = number_change("Route US sales to Tier 2", number_id=7)
    _, body, _ = download(as_viewer, "target_type=phone_number")
    records = csv_records(body)
    assert [record["Change set"] for record in records] == [
        str(new.pk),
        str(old.pk),
        str(oldest.pk),
    ]
    words = "Changed the groups from 'Tier 1' to 'Tier 2'. Turned call recording on."
    assert [record["What changed"] for record in records] == [words, words, words]
    assert [record["API calls"] for record in records] == ["2", "2", "2"]


HOSTILE = {
    "display_name": "=cmd|' /C calc'!A0",
    "target_name": '+44 20 7946 0000, "main" line',
    "reason": '-5 because\nthe "old" route, sadly, failed',
    "summary": "@SUM(A1:A9)",
}


def hostile_change(reason: str, target_name: str, number_id: int) -> ChangeSet:
    with audit.change_set(
        actor=Actor(user_id=9, username="\tmallory", display_name=HOSTILE["display_name"]),
        action=audit.Action.UPDATE_PHONE_NUMBER,
        target_type=audit.TargetType.PHONE_NUMBER,
        target_id=number_id,
        target_name=target_name,
        summary=HOSTILE["summary"],
        reason=reason,
        reason_required=False,
        before={"id": number_id, "nickname": "=1+1"},
    ) as change:
        talk_call("PUT", f"/api/v2/channels/voice/phone_numbers/{number_id}", status=429)
        talk_call("PUT", f"/api/v2/channels/voice/phone_numbers/{number_id}")
        change.set_after({"id": number_id, "nickname": "Zoë's line"})
        change.set_summary("+1 line renamed")
    return change.change_set


def test_both_csv_writers_give_the_same_bytes_with_formulas_defused(viewer):
    """PostgreSQL writes the CSV of change sets closed with their words; Python writes the
    older ones (and the SQLite trial's): a reviewer cannot tell the lines apart."""
    from django.db import transaction
    from django.utils import timezone

    from audit.export import _csv, _csv_rows
    from audit.export_formats import csv_header, csv_lines

    hostile_change(HOSTILE["reason"], HOSTILE["target_name"], 1)
    hostile_change("", "Ünïcödé ✓", 2)
    number_change("Route UK support to Tier 2")
    with open_interrupted_change_set() as orphan:
        send_without_answer()
    up_to, now = orphan.pk + 1, timezone.now()
    with transaction.atomic():
        chunks = [text for text, _ in _csv(LogFilter(), up_to, now)]
        by_python = csv_header() + "".join(
            text for text, _ in csv_lines(_csv_rows(LogFilter(), up_to), now)
        )
    assert any(isinstance(chunk, bytes) for chunk in chunks)  # written by PostgreSQL
    by_database = "".join(c.decode() if isinstance(c, bytes) else c for c in chunks)
    assert by_database == by_python
    records = csv_records(by_database)
    assert records[1]["Started (UTC)"].endswith("+00:00")
    assert [record["Outcome"] for record in records] == [
        "Interrupted",
        "Applied",
        "Applied",
        "Applied",
        "Applied",  # the viewer being added
    ]
    orphan_line, _, quiet, loud, _ = records
    assert orphan_line["What changed"] == ""  # with no outcome, nothing is known to have changed
    assert [record["Calls sent, answer unknown"] for record in records] == ["1", "0", "0", "0", "0"]
    assert orphan_line["API calls"] == "0"  # sent, but no answer on record
    assert loud["Who"] == "'=cmd|' /C calc'!A0"
    assert loud["Username"] == "'\tmallory"
    assert loud["Target"] == '\'+44 20 7946 0000, "main" line'
    assert loud["Reason"] == '\'-5 because\nthe "old" route, sadly, failed'
    assert loud["Summary"] == "'+1 line renamed"
    assert loud["What changed"] == "Changed the nickname from '=1+1' to 'Zoë's line'."
    assert (loud["API calls"], loud["Failed API calls"]) == ("2", "1")
    assert (quiet["Target"], quiet["Reason"]) == ("Ünïcödé ✓", "")


def test_a_change_set_closed_as_interrupted_later_shows_nothing_as_changed(as_viewer):
    from audit.interrupted import close_interrupted_change_sets

    with open_interrupted_change_set() as orphan:
        send_without_answer()
    assert close_interrupted_change_sets() == [orphan]
    orphan.refresh_from_db()
    assert orphan.outcome_row.changes_in_words == ""
    _, body, _ = download(as_viewer, "action=delete_ivr")
    [record] = csv_records(body)
    assert (record["Outcome"], record["What changed"]) == ("Interrupted", "")
    assert record["Calls sent, answer unknown"] == "1"
    assert record["Error"].endswith(
        "1 write was sent to Zendesk and no answer was recorded, so Zendesk may have made it "
        "(sent, answer unknown): call 1, DELETE /api/v2/channels/voice/ivr/9. Check the target "
        "in Zendesk before trying again."
    )
    page = as_viewer.get(f"/audit/{orphan.pk}/").content.decode()
    assert "Sent, answer unknown" in page
    assert "<code>DELETE /api/v2/channels/voice/ivr/9</code>" in page


@pytest.mark.parametrize("file_format", ["csv", "jsonl"])
def test_a_download_stopped_mid_stream_frees_the_connection(viewer, monkeypatch, file_format):
    """The browser goes away while PostgreSQL is still sending: the stream or COPY is ended
    before the export records how far it got (it used to wait for itself forever)."""
    monkeypatch.setattr("audit.export_sql.ROWS_PER_CHUNK", 1)
    monkeypatch.setattr("audit.export_formats.ROWS_PER_CHUNK", 1)
    for number in range(4):
        number_change(f"Change {number}", number_id=number)
    export = export_change_sets(
        log_filter=LogFilter(),
        filter_words="everything",
        file_format=file_format,
        actor=Actor.for_user(viewer),
    )
    for _ in range(3):
        next(export.chunks)
    export.chunks.close()
    recorded = ChangeSet.objects.get(action="export_audit_log")
    assert recorded.status == "interrupted"
    lines_so_far = 2 if file_format == "csv" else 3  # the CSV's first chunk is its header
    assert recorded.final_summary.startswith(
        f"The {'CSV' if file_format == 'csv' else 'JSON Lines'}"
    )
    assert f"stopped after {lines_so_far} change sets" in recorded.final_summary
