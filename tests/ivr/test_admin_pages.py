"""The IVR admin pages, driven through their views against the sandbox: history and revert,
export and import, create and delete, and which phone numbers answer with an IVR.

Each test asserts what the admin sees and what Zendesk (the sandbox) and the audit log hold.
"""

import html
import io
import json
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

import audit
from audit.models import ChangeSet
from audit.review import recent_history
from ivr.services import edit_draft, export_ivr, get_draft, open_draft
from tests.ivr.drafting import ORDERS, actor, ivr_id, live_route, send_to_group, writes
from tests.ivr.test_revert import publish

pytestmark = pytest.mark.django_db

SALES = "Sales & orders"


def page_text(response) -> str:
    """The page's main content as text, without tags, whitespace collapsed."""
    main = response.content.decode().split("<main", 1)[-1]
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", main).split()))


def toasts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def upload(data, name: str = "Main line.json") -> io.BytesIO:
    content = data if isinstance(data, bytes) else json.dumps(data).encode()
    file = io.BytesIO(content)
    file.name = name
    return file


def number(sandbox, nickname: str) -> dict:
    return sandbox.state.number_named(nickname)


# --- Who may open what --------------------------------------------------------------------------

PAGES = [
    # (url name, needs an IVR id, role needed for GET, role needed for POST)
    ("ivr:history", True, "viewer", None),
    ("ivr:export", True, "viewer", None),
    ("ivr:import_into", True, "editor", "editor"),
    ("ivr:numbers", True, "editor", "editor"),
    ("ivr:import_new", False, "admin", "admin"),
    ("ivr:create", False, "admin", "admin"),
    ("ivr:delete", True, "admin", "admin"),
]
ROLES = ["outsider", "viewer", "editor", "admin"]


@pytest.mark.parametrize(("name", "with_id", "get_role", "post_role"), PAGES)
def test_each_page_opens_for_its_role_and_up_and_refuses_below(
    request, sandbox, name, with_id, get_role, post_role
):
    url = reverse(name, args=[ivr_id(sandbox)] if with_id else [])
    for persona in ROLES:
        client = request.getfixturevalue(f"as_{persona}")
        allowed = ROLES.index(persona) >= ROLES.index(get_role)

        response = client.get(url)

        assert response.status_code == (200 if allowed else 403), (persona, url)
        if not allowed:
            assert get_role.capitalize() in response.content.decode()
        if post_role and not ROLES.index(persona) >= ROLES.index(post_role):
            assert client.post(url, {"reason": "x"}).status_code == 403
    assert writes(sandbox) == []


def test_reverting_needs_an_editor(as_viewer, sandbox, editor):
    change = publish(
        sandbox, editor, send_to_group(sandbox, menu=ORDERS, keypress="2", group="Sales")
    )
    url = reverse("ivr:revert", args=[ivr_id(sandbox), change.pk])

    assert as_viewer.post(url).status_code == 403
    assert as_viewer.get(url).status_code == 405
    assert get_draft(ivr_id=ivr_id(sandbox)) is None


# --- History and revert -------------------------------------------------------------------------


def test_history_lists_the_ivrs_changes_with_who_when_why_and_outcome(as_viewer, sandbox, editor):
    change = publish(
        sandbox,
        editor,
        send_to_group(sandbox, menu=ORDERS, keypress="2", group="Sales"),
        reason="Returns now handled by Sales",
    )

    response = as_viewer.get(reverse("ivr:history", args=[ivr_id(sandbox)]))

    text = page_text(response)
    assert response.status_code == 200
    assert "History of Main support line" in text
    assert change.final_summary in text
    assert "Returns now handled by Sales" in text
    assert "Applied" in text
    assert editor.get_full_name() in text
    assert reverse("audit:detail", args=[change.pk]) in response.content.decode()
    assert (
        "Go back to how it was after this change</button>" not in response.content.decode()
    )  # viewers cannot


def test_history_of_an_ivr_with_no_changes_says_so(as_viewer, sandbox):
    response = as_viewer.get(reverse("ivr:history", args=[ivr_id(sandbox, SALES)]))

    assert "No change has been made to this IVR through TalkAdmin yet" in page_text(response)


def test_history_of_an_ivr_that_never_existed_is_not_found(as_viewer, sandbox):
    assert as_viewer.get(reverse("ivr:history", args=[987654])).status_code == 404


def test_history_still_shows_when_zendesk_does_not_answer(as_viewer, sandbox, editor):
    change = publish(
        sandbox, editor, send_to_group(sandbox, menu=ORDERS, keypress="2", group="Sales")
    )
    sandbox.fail("GET", "*/channels/voice/ivr/*", status=503)

    response = as_viewer.get(reverse("ivr:history", args=[ivr_id(sandbox)]))

    text = page_text(response)
    assert response.status_code == 200
    assert "Zendesk did not answer" in text
    assert change.final_summary in text
    assert "Traceback" not in text


def test_reverting_makes_a_draft_and_shows_the_ivr(as_editor, sandbox, editor):
    first = publish(
        sandbox, editor, send_to_group(sandbox, menu=ORDERS, keypress="2", group="Sales")
    )
    publish(sandbox, editor, send_to_group(sandbox, menu=ORDERS, keypress="2", group="Billing"))
    main = ivr_id(sandbox)
    history = as_editor.get(reverse("ivr:history", args=[main])).content.decode()
    assert reverse("ivr:revert", args=[main, first.pk]) in history
    sandbox.clear_requests()

    response = as_editor.post(reverse("ivr:revert", args=[main, first.pk]))

    assert response.status_code == 303
    assert response["Location"] == reverse("ivr:detail", args=[main])
    draft = get_draft(ivr_id=main)
    assert draft.is_revert and draft.source_change_set_id == first.pk
    assert writes(sandbox) == []  # nothing is live until the draft is published
    assert live_route(sandbox, ORDERS, "2")["options"]["group_ids"] != []
    assert "Nothing is live yet" in toasts(response)[0]


def test_reverting_over_a_draft_with_changes_asks_first(as_editor, sandbox, editor, admin):
    first = publish(
        sandbox, editor, send_to_group(sandbox, menu=ORDERS, keypress="2", group="Sales")
    )
    main = ivr_id(sandbox)
    draft = open_draft(ivr_id=main, actor=actor(admin))
    edit_draft(
        draft=draft,
        edit=send_to_group(sandbox, menu=ORDERS, keypress="3", group="Billing"),
        actor=actor(admin),
        expected_version=draft.version,
    )
    url = reverse("ivr:revert", args=[main, first.pk])

    asked = as_editor.post(url)

    assert asked.status_code == 409
    text = page_text(asked)
    assert "The draft was not replaced" in text and "Admin" in text
    assert "Replace the draft with this version" in text
    assert not get_draft(ivr_id=main).is_revert

    replaced = as_editor.post(url, {"replace_draft": "on"})

    assert replaced.status_code == 303
    assert get_draft(ivr_id=main).source_change_set_id == first.pk


def test_reverting_to_a_change_of_another_ivr_is_refused_plainly(as_editor, sandbox, editor):
    change = publish(
        sandbox, editor, send_to_group(sandbox, menu=ORDERS, keypress="2", group="Sales")
    )

    response = as_editor.post(reverse("ivr:revert", args=[ivr_id(sandbox, SALES), change.pk]))

    assert response.status_code == 409
    assert f"Change #{change.pk} is not a change of this IVR" in page_text(response)
    assert get_draft(ivr_id=ivr_id(sandbox, SALES)) is None


def test_a_created_ivr_starts_its_history_with_its_creation(as_admin, sandbox):
    response = as_admin.post(
        reverse("ivr:create"), {"name": "Spring campaign", "reason": "Campaign starts Monday"}
    )
    new_id = sandbox.state.ivr_named("Spring campaign")["id"]

    history = page_text(as_admin.get(reverse("ivr:history", args=[new_id])))

    assert response.status_code == 303
    assert "Create the IVR 'Spring campaign'" in history
    assert "Campaign starts Monday" in history
    assert (
        "Go back to how it was after this change" in history
    )  # its first, empty menu can be restored


# --- Export -------------------------------------------------------------------------------------


def test_export_downloads_the_ivr_as_json_named_after_it(as_viewer, sandbox):
    response = as_viewer.get(reverse("ivr:export", args=[ivr_id(sandbox)]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="Main support line (IVR export ')
    exported = json.loads(response.content)
    assert exported["format"] == "talkadmin-ivr"
    assert exported["ivr"]["name"] == "Main support line"
    assert writes(sandbox) == []


def test_an_export_filename_never_carries_path_or_control_characters(as_viewer, sandbox):
    sales = sandbox.state.ivr_named(SALES)
    sales["name"] = '../../etc/"pass\nwd"'

    response = as_viewer.get(reverse("ivr:export", args=[sales["id"]]))

    assert re.match(
        r'attachment; filename="etc pass wd \(IVR export [\d-]+\)\.json"$',
        response["Content-Disposition"],
    )


def test_export_of_a_missing_ivr_or_when_zendesk_fails_is_a_plain_page(as_viewer, sandbox):
    missing = as_viewer.get(reverse("ivr:export", args=[987654]))
    sandbox.fail("GET", "*/channels/voice/ivr/*", status=503)
    failing = as_viewer.get(reverse("ivr:export", args=[ivr_id(sandbox)]))

    assert missing.status_code == 404 and "This IVR is not in Zendesk" in page_text(missing)
    assert failing.status_code == 503
    assert "could not read this from Zendesk" in page_text(failing)


def test_the_list_and_the_ivr_page_link_the_export(as_viewer, sandbox):
    export_url = reverse("ivr:export", args=[ivr_id(sandbox)])

    listed = as_viewer.get(reverse("ivr:list")).content.decode()
    shown = as_viewer.get(reverse("ivr:detail", args=[ivr_id(sandbox)])).content.decode()

    assert f'href="{export_url}" download' in listed
    assert f'href="{export_url}" download' in shown
    assert reverse("ivr:history", args=[ivr_id(sandbox)]) in shown
    for admin_only in (reverse("ivr:create"), reverse("ivr:delete", args=[ivr_id(sandbox)])):
        assert admin_only not in listed + shown
    assert reverse("ivr:numbers", args=[ivr_id(sandbox)]) not in shown


def test_admins_see_every_action(as_admin, sandbox):
    listed = as_admin.get(reverse("ivr:list")).content.decode()
    shown = as_admin.get(reverse("ivr:detail", args=[ivr_id(sandbox)])).content.decode()

    assert reverse("ivr:create") in listed and reverse("ivr:import_new") in listed
    for name in ("ivr:numbers", "ivr:delete", "ivr:import_into", "ivr:history"):
        assert reverse(name, args=[ivr_id(sandbox)]) in shown


# --- Import -------------------------------------------------------------------------------------


def test_importing_into_an_ivr_makes_a_draft_to_review(as_editor, sandbox):
    main = ivr_id(sandbox)
    exported = export_ivr(ivr_id=ivr_id(sandbox, SALES))

    response = as_editor.post(
        reverse("ivr:import_into", args=[main]),
        {"file": upload(exported, "Sales.json"), "reason": "Same menu as Sales"},
    )

    assert response.status_code == 303
    assert response["Location"] == reverse("ivr:detail", args=[main])
    draft = get_draft(ivr_id=main)
    assert draft.source == "import"
    assert draft.ivr_document().name == "Main support line"  # keeps its name
    assert writes(sandbox) == []
    change_set = ChangeSet.objects.get(action="import_ivr")
    assert change_set.target_id == str(main) and change_set.reason == "Same menu as Sales"
    assert "Imported 'Sales.json' as a draft of this IVR" in toasts(response)[0]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n not json", "This file is not JSON, so it is not an exported IVR."),
        (b'{"hello": "world"}', "This file is not an IVR exported from TalkAdmin or from Zendesk."),
        (b"[1, 2, 3]", "This file is not an IVR exported from TalkAdmin or from Zendesk."),
        (
            b'{"format": "talkadmin-ivr", "format_version": 9, "ivr": {}}',
            "This IVR was exported in format version 9",
        ),
    ],
)
def test_a_bad_file_is_refused_beside_the_file_field(as_editor, sandbox, content, message):
    response = as_editor.post(
        reverse("ivr:import_into", args=[ivr_id(sandbox)]),
        {"file": upload(content, "holiday.png"), "reason": "Keep this reason"},
    )

    assert response.status_code == 422
    page = response.content.decode()
    error = re.search(r'<div id="id_file_error">(.*?)</div>', page, re.S)
    assert error and message in html.unescape(error.group(1))
    assert "Keep this reason" in page
    assert get_draft(ivr_id=ivr_id(sandbox)) is None
    assert not ChangeSet.objects.filter(action="import_ivr").exists()


def test_importing_without_a_file_asks_for_one(as_editor, sandbox):
    response = as_editor.post(reverse("ivr:import_into", args=[ivr_id(sandbox)]), {"reason": ""})

    assert response.status_code == 422
    assert "Choose the exported IVR file to import." in page_text(response)


def test_a_file_too_big_to_be_an_ivr_is_refused(as_editor, sandbox):
    big = b'{"pad": "' + b"x" * 1_100_000 + b'"}'

    response = as_editor.post(
        reverse("ivr:import_into", args=[ivr_id(sandbox)]), {"file": upload(big)}
    )

    assert response.status_code == 422
    assert "an exported IVR is far smaller" in page_text(response)


def test_importing_over_a_draft_asks_first_and_keeps_the_file(as_editor, sandbox, admin):
    main = ivr_id(sandbox)
    draft = open_draft(ivr_id=main, actor=actor(admin))
    edit_draft(
        draft=draft,
        edit=send_to_group(sandbox, menu=ORDERS, keypress="3", group="Billing"),
        actor=actor(admin),
        expected_version=draft.version,
    )
    exported = export_ivr(ivr_id=ivr_id(sandbox, SALES))
    url = reverse("ivr:import_into", args=[main])

    asked = as_editor.post(url, {"file": upload(exported, "Sales.json"), "reason": "Copy"})

    assert asked.status_code == 409
    text = page_text(asked)
    assert "already has a draft with unpublished changes" in text
    assert "Importing the file you chose, Sales.json" in text
    kept = re.search(r'name="kept_file" value="([^"]*)"', asked.content.decode()).group(1)
    assert get_draft(ivr_id=main).source != "import"

    replaced = as_editor.post(
        url,
        {
            "kept_file": html.unescape(kept),
            "kept_file_name": "Sales.json",
            "reason": "Copy",
            "replace_draft": "on",
        },
    )

    assert replaced.status_code == 303
    assert get_draft(ivr_id=main).source == "import"


def test_importing_as_a_new_ivr_creates_it_and_reports_what_is_missing(as_admin, sandbox):
    exported = export_ivr(ivr_id=ivr_id(sandbox, SALES))
    exported["groups"].append({"id": 999, "name": "Night shift"})
    exported["ivr"]["menus"][0]["routes"][0]["options"]["group_ids"] = [999]

    response = as_admin.post(
        reverse("ivr:import_new"),
        {"file": upload(exported, "Sales.json"), "name": "Sales copy", "reason": ""},
    )

    assert response.status_code == 303, page_text(response)
    created = sandbox.state.ivr_named("Sales copy")
    assert response["Location"] == reverse("ivr:detail", args=[created["id"]])
    assert get_draft(ivr_id=created["id"]).source == "import"
    messages = toasts(response)
    assert "as the new IVR 'Sales copy'" in messages[0]
    assert "Night shift" in messages[1]
    history = recent_history(target_type="ivr", target_id=created["id"])
    assert [cs.action for cs in history] == ["import_ivr"]


def test_a_new_ivr_from_a_file_may_not_take_a_name_in_use(as_admin, sandbox):
    exported = export_ivr(ivr_id=ivr_id(sandbox, SALES))

    response = as_admin.post(
        reverse("ivr:import_new"), {"file": upload(exported, "Sales.json"), "reason": "Copy"}
    )

    assert response.status_code == 422
    html = response.content.decode()
    assert re.search(r'id="id_name_error">.*There is already an IVR called', html, re.S)
    assert 'name="kept_file"' in html  # the file need not be chosen again
    assert writes(sandbox) == []


def test_a_talk_failure_while_importing_keeps_the_input(as_admin, sandbox):
    exported = export_ivr(ivr_id=ivr_id(sandbox, SALES))
    sandbox.fail("POST", "*/channels/voice/ivr*", status=503)

    response = as_admin.post(
        reverse("ivr:import_new"),
        {"file": upload(exported, "Sales.json"), "name": "Sales copy", "reason": "Copy"},
    )

    assert response.status_code == 503
    text = page_text(response)
    assert "Nothing was imported" in text and "Traceback" not in text
    assert 'value="Sales copy"' in response.content.decode()
    assert 'name="kept_file"' in response.content.decode()


# --- Create -------------------------------------------------------------------------------------


def test_creating_an_ivr_goes_to_its_page(as_admin, sandbox):
    response = as_admin.post(
        reverse("ivr:create"), {"name": "  Spring  campaign ", "reason": "New campaign"}
    )

    created = sandbox.state.ivr_named("Spring campaign")
    assert response.status_code == 303
    assert response["Location"] == reverse("ivr:detail", args=[created["id"]])
    change_set = ChangeSet.objects.get(action="create_ivr")
    assert change_set.reason == "New campaign" and change_set.status == "applied"
    assert "Created the IVR 'Spring campaign'" in toasts(response)[0]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"name": "", "reason": "Why not"},
            "name",
            "Give the IVR a name your team will recognise.",
        ),
        ({"name": "Spring", "reason": " "}, "reason", "Say why you are making this change"),
        ({"name": "x" * 256, "reason": "Why"}, "name", "Use at most 255 characters"),
        (
            {"name": "main SUPPORT line", "reason": "Why"},
            "name",
            "There is already an IVR called 'Main support line'.",
        ),
    ],
)
def test_creating_with_bad_input_says_why_beside_the_field(as_admin, sandbox, data, field, message):
    response = as_admin.post(reverse("ivr:create"), data)

    assert response.status_code == 422
    page = response.content.decode()
    error = re.search(rf'<div id="id_{field}_error">(.*?)</div>', page, re.S)
    assert error and message in html.unescape(error.group(1))
    for typed in data.values():
        if typed.strip():
            assert typed[:50] in page  # nothing typed is lost
    assert writes(sandbox) == []


def test_creating_when_zendesk_fails_keeps_what_was_typed(as_admin, sandbox):
    sandbox.fail("POST", "*/channels/voice/ivr*", status=503)

    response = as_admin.post(reverse("ivr:create"), {"name": "Spring", "reason": "Campaign"})

    assert response.status_code == 503
    text = page_text(response)
    assert "The IVR was not created" in text and "Traceback" not in text
    assert 'value="Spring"' in response.content.decode() and "Campaign" in text
    assert ChangeSet.objects.get(action="create_ivr").status == "failed"


# --- Delete -------------------------------------------------------------------------------------


def test_the_delete_page_names_the_numbers_that_would_lose_the_ivr(as_admin, sandbox):
    response = as_admin.get(reverse("ivr:delete", args=[ivr_id(sandbox)]))

    text = page_text(response)
    assert "2 phone numbers will lose their IVR" in text
    assert "US Main Support" in text and "UK Support London" in text
    assert "To confirm, type its name: Main support line" in text


def test_deleting_needs_the_name_typed_exactly_and_a_reason(as_admin, sandbox):
    url = reverse("ivr:delete", args=[ivr_id(sandbox)])

    wrong = as_admin.post(url, {"confirm_name": "main support", "reason": "Replaced"})
    no_reason = as_admin.post(url, {"confirm_name": "Main support line", "reason": ""})

    assert wrong.status_code == 422
    assert "exactly as shown to confirm" in page_text(wrong)
    assert 'value="main support"' in wrong.content.decode()
    assert no_reason.status_code == 422
    assert "Say why you are making this change" in page_text(no_reason)
    assert ivr_id(sandbox) in sandbox.state.ivrs
    assert writes(sandbox) == []


def test_deleting_an_ivr_removes_it_and_records_the_numbers_that_lost_it(as_admin, sandbox):
    main = ivr_id(sandbox)

    response = as_admin.post(
        reverse("ivr:delete", args=[main]),
        {"confirm_name": "Main support line", "reason": "Replaced by the new line"},
    )

    assert response.status_code == 303 and response["Location"] == reverse("ivr:list")
    assert main not in sandbox.state.ivrs
    assert number(sandbox, "US Main Support")["ivr_id"] is None
    change_set = ChangeSet.objects.get(action="delete_ivr")
    assert "US Main Support" in change_set.summary and change_set.status == "applied"
    assert "Deleted the IVR 'Main support line'." in toasts(response)[0]
    history = page_text(as_admin.get(reverse("ivr:history", args=[main])))
    assert "no longer in Zendesk" in history and "Delete the IVR" in history


def test_deleting_a_missing_ivr_is_a_plain_page(as_admin, sandbox):
    response = as_admin.get(reverse("ivr:delete", args=[987654]))

    assert response.status_code == 404
    assert "This IVR is not in Zendesk" in page_text(response)


# --- Phone numbers ------------------------------------------------------------------------------


def checked_ids(response) -> set[int]:
    html = response.content.decode()
    boxes = re.findall(r'<input type="checkbox" name="phone_number_ids" value="(\d+)"[^>]*>', html)
    checked = re.findall(
        r'<input type="checkbox" name="phone_number_ids" value="(\d+)"[^>]* checked', html
    )
    assert boxes
    return {int(i) for i in checked}


def test_the_numbers_page_ticks_the_numbers_using_the_ivr_and_warns_about_others(
    as_editor, sandbox
):
    response = as_editor.get(reverse("ivr:numbers", args=[ivr_id(sandbox)]))

    assert checked_ids(response) == {
        number(sandbox, "US Main Support")["id"],
        number(sandbox, "UK Support London")["id"],
    }
    text = page_text(response)
    assert "Answers with Sales & orders now: ticking it moves it here" in text
    assert "Digital line: cannot play an IVR" in text
    assert "Find a number by name or number" in text


def test_assigning_a_free_number_and_removing_one(as_editor, sandbox):
    main = ivr_id(sandbox)
    free = next(n for n in sandbox.state.phone_numbers.values() if n.get("ivr_id") is None)
    keep = number(sandbox, "US Main Support")["id"]

    response = as_editor.post(
        reverse("ivr:numbers", args=[main]),
        {"phone_number_ids": [keep, free["id"]], "reason": "New line for returns"},
    )

    assert response.status_code == 303 and response["Location"] == reverse(
        "ivr:detail", args=[main]
    )
    assert sorted(n["id"] for n in sandbox.state.numbers_using(main)) == sorted([keep, free["id"]])
    assert number(sandbox, "UK Support London")["ivr_id"] is None
    change_set = ChangeSet.objects.get(action="assign_ivr")
    assert change_set.reason == "New line for returns" and change_set.target_id == str(main)
    assert "no longer does" in toasts(response)[0]


def test_taking_a_number_from_another_ivr_asks_first(as_editor, sandbox):
    main = ivr_id(sandbox)
    current = [n["id"] for n in sandbox.state.numbers_using(main)]
    sales_number = number(sandbox, "US Sales (toll-free)")["id"]
    data = {"phone_number_ids": [*current, sales_number], "reason": "Sales closes"}
    url = reverse("ivr:numbers", args=[main])

    asked = as_editor.post(url, data)

    assert asked.status_code == 422
    text = page_text(asked)
    assert "answers with Sales & orders now; its callers will hear this IVR instead" in text
    assert checked_ids(asked) == {*current, sales_number}  # the choices are kept
    assert "Sales closes" in text
    assert writes(sandbox) == []

    moved = as_editor.post(url, {**data, "move_taken": "on"})

    assert moved.status_code == 303
    assert number(sandbox, "US Sales (toll-free)")["ivr_id"] == main
    summary = ChangeSet.objects.get(action="assign_ivr").summary
    assert "instead of the IVR 'Sales & orders'" in summary


def test_numbers_need_a_reason_and_refuse_digital_lines(as_editor, sandbox):
    main = ivr_id(sandbox)
    url = reverse("ivr:numbers", args=[main])
    digital = next(iter(sandbox.state.digital_lines))

    no_reason = as_editor.post(url, {"phone_number_ids": []})
    unknown = as_editor.post(url, {"phone_number_ids": [987654], "reason": "x"})
    digital_line = as_editor.post(url, {"phone_number_ids": [digital], "reason": "x"})

    assert no_reason.status_code == 422
    assert "Say why you are making this change" in page_text(no_reason)
    assert unknown.status_code == 422
    assert "no longer in Zendesk" in page_text(unknown)
    assert digital_line.status_code == 422
    assert "digital line" in page_text(digital_line)
    assert writes(sandbox) == []


def test_saving_the_same_numbers_changes_nothing(as_editor, sandbox):
    main = ivr_id(sandbox)
    current = [n["id"] for n in sandbox.state.numbers_using(main)]

    response = as_editor.post(
        reverse("ivr:numbers", args=[main]), {"phone_number_ids": current, "reason": "Check"}
    )

    assert response.status_code == 303
    assert "already the numbers" in toasts(response)[0]
    assert writes(sandbox) == [] and not ChangeSet.objects.filter(action="assign_ivr").exists()


def test_a_talk_failure_while_assigning_keeps_the_choices(as_editor, sandbox):
    main = ivr_id(sandbox)
    free = next(n for n in sandbox.state.phone_numbers.values() if n.get("ivr_id") is None)
    sandbox.fail("PUT", "*/channels/voice/ivr/*", status=503)

    response = as_editor.post(
        reverse("ivr:numbers", args=[main]),
        {"phone_number_ids": [free["id"]], "reason": "Try"},
    )

    assert response.status_code == 503
    text = page_text(response)
    assert "Nothing was changed" in text and "Traceback" not in text
    assert checked_ids(response) == {free["id"]}
    assert ChangeSet.objects.get(action="assign_ivr").status == "failed"


def test_a_long_history_comes_in_pages(as_viewer, sandbox, editor):
    main = ivr_id(sandbox)
    for n in range(1, 28):
        audit.record_event(
            actor=actor(editor),
            action=audit.Action.IMPORT_IVR,
            target_type=audit.TargetType.IVR,
            target_id=main,
            target_name="Main support line",
            summary=f"Imported file number {n}",
        )
    url = reverse("ivr:history", args=[main])

    first = as_viewer.get(url)
    older_link = re.search(r'href="\?before=(\d+)" rel="next"', first.content.decode())
    older = as_viewer.get(f"{url}?before={older_link.group(1)}")

    assert "Imported file number 27" in page_text(first)
    assert "Imported file number 3 " in page_text(first) + " "
    assert "Imported file number 2 " not in page_text(first) + " "
    older_text = page_text(older) + " "
    assert "Imported file number 2 " in older_text and "Imported file number 1 " in older_text
    assert "Imported file number 3 " not in older_text
    assert 'rel="prev"' in older.content.decode()
    assert as_viewer.get(f"{url}?before=abc").status_code == 200  # a bad page address: newest


def test_a_talk_failure_while_deleting_keeps_what_was_typed(as_admin, sandbox):
    main = ivr_id(sandbox)
    sandbox.fail("DELETE", "*/channels/voice/ivr/*", status=503)

    response = as_admin.post(
        reverse("ivr:delete", args=[main]),
        {"confirm_name": "Main support line", "reason": "Replaced"},
    )

    assert response.status_code == 503
    text = page_text(response)
    assert "The IVR was not deleted" in text and "Traceback" not in text
    assert 'value="Main support line"' in response.content.decode() and "Replaced" in text
    assert main in sandbox.state.ivrs
    assert ChangeSet.objects.get(action="delete_ivr").status == "failed"


def test_a_talk_failure_while_reverting_is_said_plainly(as_editor, sandbox, editor):
    change = publish(
        sandbox, editor, send_to_group(sandbox, menu=ORDERS, keypress="2", group="Sales")
    )
    sandbox.fail("GET", "*/channels/voice/ivr/*", status=503)

    response = as_editor.post(reverse("ivr:revert", args=[ivr_id(sandbox), change.pk]))

    assert response.status_code == 503
    text = page_text(response)
    assert "Nothing was changed" in text and "Traceback" not in text
    assert get_draft(ivr_id=ivr_id(sandbox)) is None


def test_the_record_of_a_creation_links_the_new_ivrs_history(as_admin, sandbox):
    as_admin.post(reverse("ivr:create"), {"name": "Spring campaign", "reason": "Campaign"})
    new_id = sandbox.state.ivr_named("Spring campaign")["id"]
    change_set = ChangeSet.objects.get(action="create_ivr")

    detail = as_admin.get(reverse("audit:detail", args=[change_set.pk])).content.decode()

    assert f"target_id={new_id}" in detail and "Every change to this IVR" in detail
