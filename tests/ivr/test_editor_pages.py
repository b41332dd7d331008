"""Editing an IVR's draft in place: who may, what each change does, and every bad input.

The demo account's "Main support line" (sandbox/demo.py): Main menu has keys 1 (Orders &
billing), 2 (Technical support), 3 (voicemail), 4 (text message), 0 and default (a group).
"""

import pytest
from django.urls import reverse

from ivr.engine.destinations import GoToMenu, QueueForGroups, TextBack, TransferToNumber
from ivr.services import preview_publish
from tests.ivr.editor_pages import (
    HTMX,
    add_menu,
    detail_url,
    draft_of,
    menu_key_named,
    post,
    route_to_menu,
    start_draft,
)
from tests.ivr.page_html import html, menu_card, row, row_line, text


@pytest.fixture
def main_line(sandbox) -> int:
    return sandbox.state.ivr_named("Main support line")["id"]


@pytest.fixture
def drafted(as_editor, main_line) -> int:
    start_draft(as_editor, main_line)
    return main_line


def greeting_named(sandbox, name: str) -> int:
    return next(g["id"] for g in sandbox.state.greetings.values() if g["name"] == name)


def writes(sandbox) -> list:
    return [r for r in sandbox.requests if r.method != "GET"]


def field_error(page, field_id: str) -> str:
    """The message shown beside the field (in its .field box or fieldset)."""
    field = page.find(id=field_id)
    box = field if field.name == "fieldset" else field.find_parent(class_="field")
    return " ".join(text(p) for p in box.select(".field-error"))


# --- Who sees what ------------------------------------------------------------------------------


def test_a_viewer_sees_the_live_ivr_without_controls_even_while_a_draft_exists(
    as_viewer, as_editor, main_line
):
    start_draft(as_editor, main_line)
    add_menu(as_editor, main_line, "Spring sale")

    page = html(as_viewer.get(detail_url(main_line)))

    assert "Spring sale" not in text(page)  # the draft is not live
    assert "An editor is preparing changes to this IVR" in text(page)
    main = str(page.select_one("main"))
    assert 'method="post"' not in main
    assert page.find("a", string="Rename the IVR") is None
    assert not page.select(".edit-controls")


def test_an_editor_starts_a_draft_and_sees_who_started_it_and_the_controls(
    as_editor, main_line, sandbox
):
    page = html(as_editor.get(detail_url(main_line)))
    assert page.find("button", string="Edit this IVR") is not None
    assert not page.select(".edit-controls")

    start_draft(as_editor, main_line)
    page = html(as_editor.get(detail_url(main_line)))

    banner = text(page.select_one("#draft-banner"))
    assert "You are editing a draft" in banner
    assert "Started by Bob Editor" in banner
    assert "It has no changes yet." in banner
    assert page.select_one("#draft-banner a.button")["href"] == reverse(
        "ivr:publish", args=[main_line]
    )
    assert "Discard draft" in banner
    assert "Rename or change greeting" in text(menu_card(page, "Main menu"))
    assert "Change Press 1 in Main menu" in text(row(menu_card(page, "Main menu"), "Press 1"))
    assert writes(sandbox) == []  # a draft lives in TalkAdmin only


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("draft_open", []),
        ("draft_discard", []),
        ("ivr_rename", []),
        ("menu_add", []),
        ("menu_change", ["menu"]),
        ("menu_delete", ["other-menu"]),
        ("route_add", ["menu"]),
        ("route_change", ["menu", "1"]),
        ("route_delete", ["menu", "1"]),
    ],
)
def test_a_viewer_posting_anyway_is_refused_and_the_draft_is_unchanged(
    as_viewer, as_editor, drafted, name, args
):
    keys = {
        "menu": menu_key_named(drafted, "Main menu"),
        "other-menu": menu_key_named(drafted, "Technical support"),
    }
    before = draft_of(drafted).document

    response = as_viewer.post(
        reverse(f"ivr:{name}", args=[drafted, *(keys.get(a, a) for a in args)]),
        {"version": 1, "name": "Hijacked", "keypress": "5", "action": "voicemail"},
    )

    assert response.status_code == 403
    assert "This needs the Editor role" in response.content.decode()
    assert draft_of(drafted).document == before


# --- The IVR's name -----------------------------------------------------------------------------


def test_renaming_the_ivr_updates_the_header_in_place(as_editor, drafted, sandbox):
    response = post(as_editor, "ivr_rename", [drafted], {"name": "  Main   line  "})

    assert response.status_code == 200
    page = html(response)
    assert text(page.select_one("#ivr-header h1")) == "Main line Draft"
    assert page.select_one("#ivr-header")["hx-swap-oob"] == "true"
    assert page.select_one("#ivr-header h1").has_attr("data-focus-after-swap")
    assert page.select_one("#call-flow") is not None  # the request's own target
    assert "The IVR is now called 'Main line' in the draft." in text(page.select_one("#toasts"))
    assert draft_of(drafted).name == "Main line"
    assert writes(sandbox) == []


def test_an_empty_ivr_name_is_refused_beside_the_field(as_editor, drafted):
    response = post(as_editor, "ivr_rename", [drafted], {"name": "   "})

    assert response.status_code == 422
    assert response["HX-Retarget"] == "#ivr-name-form"
    page = html(response)
    assert field_error(page, "id_name") == "The IVR needs a name."
    assert draft_of(drafted).name == "Main support line"


# --- Menus --------------------------------------------------------------------------------------


def test_a_new_menu_appears_apart_until_a_key_leads_to_it_and_gets_the_focus(
    as_editor, drafted, sandbox
):
    greeting = greeting_named(sandbox, "Sales welcome")

    response = post(
        as_editor, "menu_add", [drafted], {"name": "Spring sale", "greeting": str(greeting)}
    )

    page = html(response)
    card = menu_card(page, "Spring sale")
    assert card.find_parent(class_="unreachable") is not None
    assert "Greeting: Sales welcome" in text(card)
    assert card.has_attr("data-focus-after-swap")
    assert "Added the menu 'Spring sale'." in text(page.select_one("#toasts"))
    assert "It has 1 change that callers do not hear yet." in text(page.select_one("#draft-banner"))
    checks = text(page.select_one("#checks"))
    assert "'Spring sale'" in checks  # lint points at the menu nothing reaches


def test_the_greeting_is_chosen_by_name_among_the_ivr_greetings_only(as_editor, drafted):
    page = html(as_editor.get(reverse("ivr:menu_add", args=[drafted]), headers=HTMX))

    options = [text(o) for o in page.select("#id_greeting option")]
    assert options[0] == "No greeting of its own (Zendesk's default)"
    assert "Sales welcome" in options
    assert "None" not in options  # Zendesk's built-in ivr_none: a menu cannot play it
    assert all(not o.isdigit() for o in options)


def test_a_duplicate_menu_name_is_refused_and_what_was_typed_is_kept(as_editor, drafted, sandbox):
    greeting = str(greeting_named(sandbox, "Sales welcome"))

    response = post(
        as_editor, "menu_add", [drafted], {"name": "technical SUPPORT", "greeting": greeting}
    )

    assert response.status_code == 422
    page = html(response)
    assert "There is already a menu called 'Technical support'" in field_error(page, "id_name")
    assert page.select_one("#id_name")["value"] == "technical SUPPORT"
    assert page.select_one("#id_greeting option[selected]")["value"] == greeting
    assert draft_of(drafted).version == 1


def test_a_menu_is_renamed_and_given_a_greeting(as_editor, drafted, sandbox):
    key = menu_key_named(drafted, "Technical support")
    greeting = greeting_named(sandbox, "Sales welcome")

    response = post(
        as_editor, "menu_change", [drafted, key], {"name": "Tech help", "greeting": str(greeting)}
    )

    assert response.status_code == 200
    menu = draft_of(drafted).ivr_document().find_menu(key)
    assert (menu.name, menu.greeting_id) == ("Tech help", greeting)
    assert "Greeting: Sales welcome" in text(menu_card(html(response), "Tech help"))


def test_renaming_a_menu_on_a_built_in_greeting_keeps_that_greeting(as_editor, main_line, sandbox):
    with sandbox.state.lock:  # set in Zendesk's Admin Center: the IVR category's "None"
        sandbox.state.menu_named(main_line, "Technical support")["greeting_id"] = "ivr_none"
    start_draft(as_editor, main_line)
    key = menu_key_named(main_line, "Technical support")

    form = html(as_editor.get(reverse("ivr:menu_change", args=[main_line, key]), headers=HTMX))

    chosen = form.select_one("#id_greeting option[selected]")
    assert chosen["value"] == "ivr_none"
    assert text(chosen) == "Zendesk's built-in greeting 'None' (as it is now)"
    response = post(
        as_editor, "menu_change", [main_line, key], {"name": "Tech help", "greeting": "ivr_none"}
    )

    assert response.status_code == 200
    menu = draft_of(main_line).ivr_document().find_menu(key)
    assert (menu.name, menu.greeting_id) == ("Tech help", "ivr_none")  # untouched, kept
    card = text(menu_card(html(response), "Tech help"))
    assert "Greeting: Zendesk's built-in greeting None" in card
    preview = preview_publish(draft=draft_of(main_line))
    assert [op.sentence for op in preview.operations] == [
        "Menu 'Technical support' is renamed 'Tech help'."  # and no greeting sent
    ]
    assert not preview.blocked


def test_a_menu_callers_still_reach_is_not_deleted_and_the_page_says_why(as_editor, drafted):
    key = menu_key_named(drafted, "Technical support")

    response = post(as_editor, "menu_delete", [drafted, key], {})

    assert response.status_code == 422
    assert response["HX-Retarget"] == "#call-flow"
    page = html(response)
    assert (
        "Callers reach 'Technical support' this way: Press 2 in 'Main menu' and Press 9 in "
        "'Hardware & repairs'. Change or delete those routes first, then delete the menu."
    ) in text(page.select_one("#toasts"))
    assert menu_card(page, "Technical support").has_attr("data-focus-after-swap")
    assert draft_of(drafted).ivr_document().find_menu(key) is not None


def test_a_menu_nothing_reaches_is_deleted_and_the_first_menu_has_no_delete(as_editor, drafted):
    key = add_menu(as_editor, drafted, "Spring sale")

    page = html(post(as_editor, "menu_delete", [drafted, key], {}))

    assert draft_of(drafted).ivr_document().find_menu(key) is None
    assert "Spring sale" not in text(page.select_one("#call-flow"))
    main_controls = text(menu_card(page, "Main menu").select_one(".edit-controls"))
    assert "Delete menu" not in main_controls


# --- Routes -------------------------------------------------------------------------------------


def test_the_key_picker_shows_which_keys_are_free_and_starts_on_the_first_free_one(
    as_editor, drafted
):
    key = menu_key_named(drafted, "Main menu")

    page = html(as_editor.get(reverse("ivr:route_add", args=[drafted, key]), headers=HTMX))

    radios = page.select("input[name=keypress]")
    taken = [r["value"] for r in radios if r.has_attr("disabled")]
    assert taken == ["1", "2", "3", "4", "0", "default"]
    assert page.select_one("input[name=keypress][checked]")["value"] == "5"
    assert "taken" in text(page.select_one("input[name=keypress][value='1']").find_parent("label"))
    actions = [text(label) for label in page.select(".action-choice")]
    assert actions == [
        "Put the caller through to a group of agents",
        "Let the caller leave a voicemail",
        "Go to another menu",
        "Transfer the call to an outside number",
        "Send the caller a text message (the call ends)",
    ]
    groups = [text(label) for label in page.select("input[name=group_ids]")]
    assert groups == [""] * len(groups)  # each box is labelled by its group's name:
    assert "Billing" in [text(b.find_parent("label")) for b in page.select("[name=group_ids]")]


def test_a_route_to_a_new_menu_draws_the_menu_beneath_the_key(as_editor, drafted):
    main = menu_key_named(drafted, "Main menu")
    sale = add_menu(as_editor, drafted, "Spring sale")

    response = route_to_menu(as_editor, drafted, main, "5", sale)

    assert response.status_code == 200
    page = html(response)
    press_5 = row(menu_card(page, "Main menu"), "Press 5")
    assert row_line(press_5) == "Press 5 → Menu : Spring sale"
    assert press_5.has_attr("data-focus-after-swap")
    assert page.select_one(".unreachable") is None
    route = draft_of(drafted).ivr_document().find_menu(main).route("5")
    assert route.destination == GoToMenu(sale)


def test_a_taken_key_is_refused_beside_the_key_picker(as_editor, drafted, sandbox):
    main = menu_key_named(drafted, "Main menu")
    sales = str(sandbox.state.group_named("Sales")["id"])

    response = post(
        as_editor,
        "route_add",
        [drafted, main],
        {"keypress": "1", "action": "voicemail", "voicemail_group": sales},
    )

    assert response.status_code == 422
    page = html(response)
    picker = text(page.select_one("fieldset.key-picker"))
    assert "'Main menu' already has a route for key 1. Change that route, or pick another key." in (
        picker
    )
    assert page.select_one("#id_voicemail_group option[selected]")["value"] == sales
    assert draft_of(drafted).version == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"action": ""}, "id_action_error", "Choose what happens when callers press this key."),
        ({"action": "group"}, "id_group_ids", "Choose at least one group"),
        ({"action": "voicemail"}, "id_voicemail_group", "Choose the group whose agents"),
        ({"action": "menu"}, "id_menu_key", "Choose the menu callers go to."),
        (
            {"action": "phone_number", "phone_number": "415 555 0123"},
            "id_phone_number",
            "Start with + and the country code",
        ),
        (
            {"action": "phone_number", "phone_number": "+1 415 55"},
            "id_phone_number",
            "This is not a whole international number",
        ),
        ({"action": "textback", "sms_text": " "}, "id_sms_text", "Type the text message"),
        ({"action": "textback"}, "id_sending_number", "Choose the number the text is sent from"),
    ],
)
def test_each_missing_or_wrong_field_is_named_beside_it_and_the_form_keeps_the_rest(
    as_editor, drafted, data, field, message
):
    main = menu_key_named(drafted, "Main menu")

    response = post(as_editor, "route_add", [drafted, main], {"keypress": "7", **data})

    assert response.status_code == 422
    page = html(response)
    shown = text(page.find(id=field)) if field.endswith("_error") else field_error(page, field)
    assert message in shown
    assert page.select_one("input[name=keypress][checked]")["value"] == "7"
    if data.get("phone_number"):
        assert page.select_one("#id_phone_number")["value"] == data["phone_number"]
    assert draft_of(drafted).version == 1


def test_an_outside_number_typed_with_spaces_is_kept_in_international_form(as_editor, drafted):
    main = menu_key_named(drafted, "Main menu")

    post(
        as_editor,
        "route_add",
        [drafted, main],
        {"keypress": "8", "action": "phone_number", "phone_number": "+1 (415) 555-0123"},
    )

    route = draft_of(drafted).ivr_document().find_menu(main).route("8")
    assert route.destination == TransferToNumber("+14155550123")


def test_the_outside_number_is_checked_as_it_is_typed(as_editor, drafted):
    url = reverse("ivr:check_number", args=[drafted])

    wrong = as_editor.get(url, {"phone_number": "0044 20"}, headers=HTMX)
    right = as_editor.get(url, {"phone_number": "0044 20 7946 0321"}, headers=HTMX)
    page = as_editor.get(url, {"phone_number": "555"})

    assert "This is not a whole international number" in text(html(wrong))
    assert text(html(right)) == "✓ +442079460321 is a whole international number."
    assert page.status_code == 200
    assert "Start with + and the country code" in text(html(page).select_one("main"))


def test_a_text_message_route_sends_from_a_number_chosen_by_name(as_editor, drafted, sandbox):
    main = menu_key_named(drafted, "Main menu")
    sender = sandbox.state.number_named("US Text Line")["id"]
    page = html(as_editor.get(reverse("ivr:route_add", args=[drafted, main]), headers=HTMX))
    assert "'US Text Line' (+1 (415) 555-0178)" in [
        text(o) for o in page.select("#id_sending_number option")
    ]

    post(
        as_editor,
        "route_add",
        [drafted, main],
        {
            "keypress": "6",
            "action": "textback",
            "sms_text": "Our opening hours: northwind.example/hours",
            "sending_number": str(sender),
        },
    )

    route = draft_of(drafted).ivr_document().find_menu(main).route("6")
    assert route.destination == TextBack("Our opening hours: northwind.example/hours", sender)


def test_a_route_is_changed_to_another_key_and_action_and_then_deleted(as_editor, drafted, sandbox):
    main = menu_key_named(drafted, "Main menu")
    sales = sandbox.state.group_named("Sales")["id"]
    form = html(as_editor.get(reverse("ivr:route_change", args=[drafted, main, "3"])))
    assert form.select_one("input[name=keypress][checked]")["value"] == "3"
    assert form.select_one("input[name=action][checked]")["value"] == "voicemail"

    post(
        as_editor,
        "route_change",
        [drafted, main, "3"],
        {"keypress": "star", "action": "group", "group_ids": [str(sales)]},
    )
    menu = draft_of(drafted).ivr_document().find_menu(main)
    assert menu.route("3") is None
    assert menu.route("*").destination == QueueForGroups((sales,))

    response = post(as_editor, "route_delete", [drafted, main, "*"], {})

    assert reverse("ivr:route_delete", args=[drafted, main, "*"]).endswith("/star/delete/")
    assert draft_of(drafted).ivr_document().find_menu(main).route("*") is None
    assert "Deleted key * from 'Main menu'." in text(html(response).select_one("#toasts"))


def test_a_route_with_an_action_talkadmin_cannot_edit_is_kept_when_only_its_key_changes(
    as_editor, main_line, sandbox
):
    main_menu = sandbox.state.menu_named(main_line, "Main menu")
    options = {"ai_agent_id": 4242, "handoff": "tier1"}  # Zendesk's own, unknown to TalkAdmin
    sandbox.state.add_route(main_menu["id"], "7", "ai_agent", options)
    start_draft(as_editor, main_line)
    main = menu_key_named(main_line, "Main menu")

    form = html(as_editor.get(reverse("ivr:route_change", args=[main_line, main, "7"])))

    chosen = form.select_one("input[name=action][checked]")
    assert chosen is not None and chosen["value"] == "keep"
    assert text(chosen.find_parent("label")) == (
        "Keep what it does now: an action TalkAdmin cannot edit ('ai_agent')"
    )
    saved = post(
        as_editor, "route_change", [main_line, main, "7"], {"keypress": "8", "action": "keep"}
    )

    assert saved.status_code == 200
    menu = draft_of(main_line).ivr_document().find_menu(main)
    assert menu.route("7") is None
    moved = menu.route("8")
    assert moved.action == "ai_agent" and dict(moved.extra_options) == options  # as it was
    assert "An action TalkAdmin cannot edit" in text(
        row(menu_card(html(saved), "Main menu"), "Press 8")
    )
    preview = preview_publish(draft=draft_of(main_line))
    assert not preview.blocked
    (create,) = [op for op in preview.operations if op.kind == "create_route"]
    assert create.body(menu_ids={})["ivr_route"] == {
        "keypress": "8",
        "action": "ai_agent",
        "options": options,
    }


def test_a_route_with_an_action_talkadmin_cannot_edit_can_be_given_another_action(
    as_editor, main_line, sandbox
):
    main_menu = sandbox.state.menu_named(main_line, "Main menu")
    sandbox.state.add_route(main_menu["id"], "7", "ai_agent", {"ai_agent_id": 4242})
    start_draft(as_editor, main_line)
    main = menu_key_named(main_line, "Main menu")
    sales = sandbox.state.group_named("Sales")["id"]

    post(
        as_editor,
        "route_change",
        [main_line, main, "7"],
        {"keypress": "7", "action": "group", "group_ids": [str(sales)]},
    )

    route = draft_of(main_line).ivr_document().find_menu(main).route("7")
    assert route.destination == QueueForGroups((sales,))
    assert not route.extra_options  # the old action's options went with it


def test_a_menu_without_a_default_route_offers_to_add_one(as_editor, drafted):
    sale = add_menu(as_editor, drafted, "Spring sale")

    page = html(as_editor.get(detail_url(drafted)))

    hang_up = row(menu_card(page, "Spring sale"), "No key or a wrong key")
    (link,) = [a for a in hang_up.select("a") if "Add a default route" in text(a)]
    assert link["href"] == reverse("ivr:route_add", args=[drafted, sale]) + "?key=default"


# --- Without JavaScript -------------------------------------------------------------------------


def test_every_form_is_a_page_of_its_own_and_a_plain_post_comes_back_to_the_change(
    as_editor, drafted
):
    main = menu_key_named(drafted, "Main menu")
    url = reverse("ivr:route_add", args=[drafted, main])

    page = html(as_editor.get(url))
    assert text(page.select_one("h1")) == "Add a key to Main menu"
    assert page.select_one("form#route-add-form")["action"] == url
    assert not page.select_one("form#route-add-form").has_attr("hx-post")  # no tree to swap
    in_place = html(as_editor.get(url, headers=HTMX)).select_one("form#route-add-form")
    assert in_place["hx-post"] == url

    bad = post(as_editor, "route_add", [drafted, main], {"keypress": "5"}, htmx=False)
    assert bad.status_code == 422
    assert text(html(bad).select_one("h1")) == "Add a key to Main menu"

    good = post(
        as_editor,
        "route_add",
        [drafted, main],
        {"keypress": "5", "action": "phone_number", "phone_number": "+14155550123"},
        htmx=False,
    )
    assert good.status_code == 303
    assert good["Location"].endswith(f"#menu-{main.replace(':', '-')}-key-5")


# --- Someone else got there first ---------------------------------------------------------------


def test_a_change_from_a_stale_page_is_refused_with_the_fresh_tree(as_editor, as_admin, drafted):
    add_menu(as_admin, drafted, "Added by Alice")  # the draft is now at version 2

    response = post(as_editor, "ivr_rename", [drafted], {"name": "Mine", "version": 1})

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#call-flow"
    page = html(response)
    assert "This draft changed after you loaded it. Alice Admin at " in text(
        page.select_one("#toasts")
    )
    assert "Nothing was changed" in text(page.select_one("#toasts"))
    assert menu_card(page, "Added by Alice") is not None
    assert draft_of(drafted).name == "Main support line"


def test_a_change_to_a_discarded_draft_says_so_and_shows_the_live_ivr(as_editor, drafted):
    version = draft_of(drafted).version
    discarded = as_editor.post(reverse("ivr:draft_discard", args=[drafted]), {"version": version})
    assert discarded.status_code == 303

    response = post(as_editor, "ivr_rename", [drafted], {"name": "Late", "version": version})

    assert "This draft no longer exists" in response.content.decode()


def test_discarding_keeps_the_live_ivr_and_a_stale_discard_is_refused(
    as_editor, as_admin, drafted, sandbox
):
    add_menu(as_admin, drafted, "Added by Alice")

    refused = as_editor.post(reverse("ivr:draft_discard", args=[drafted]), {"version": 1})
    assert draft_of(drafted).version == 2
    page = html(as_editor.get(refused["Location"]))
    assert "This draft changed after you loaded it. Alice Admin at " in text(
        page.select_one("#toasts")
    )

    as_editor.post(reverse("ivr:draft_discard", args=[drafted]), {"version": 2})
    page = html(as_editor.get(detail_url(drafted)))
    assert "The draft is discarded. The live IVR is unchanged." in text(page)
    assert page.find("button", string="Edit this IVR") is not None
    assert writes(sandbox) == []


def test_zendesk_down_when_a_draft_is_started_says_so_and_starts_nothing(
    as_editor, main_line, sandbox
):
    sandbox.fail("GET", "*/ivr/*", status=503)

    response = as_editor.post(reverse("ivr:draft_open", args=[main_line]))

    assert response.status_code == 503
    assert "Zendesk" in text(html(response).select_one("main"))
    assert "Traceback" not in response.content.decode()
    from ivr.models import Draft

    assert not Draft.objects.filter(ivr_id=main_line).exists()


def test_the_ivr_list_says_which_ivr_has_a_draft_and_who_changed_it_last(
    as_viewer, as_editor, drafted
):
    page = html(as_viewer.get(reverse("ivr:list")))

    row_of = {text(r.select_one("th a")): r for r in page.select("tbody tr")}
    assert "✎ Draft by Bob Editor" in text(row_of["Main support line"])
    assert "Draft by" not in text(row_of["Holiday closure"])


def test_discarding_with_htmx_asks_first_and_then_loads_the_live_ivr(as_editor, drafted):
    page = html(as_editor.get(detail_url(drafted)))
    form = page.find("button", string="Discard draft").find_parent("form")
    assert "for everyone who shares it" in form["hx-confirm"]

    response = as_editor.post(form["hx-post"], {"version": 1}, headers=HTMX)

    assert response["HX-Redirect"] == detail_url(drafted)
    from ivr.models import Draft

    assert not Draft.objects.filter(ivr_id=drafted).exists()


def test_zendesk_down_while_editing_says_so_plainly_and_changes_nothing(
    as_editor, drafted, sandbox
):
    from django.core.cache import cache

    cache.clear()  # the lookups the forms choose from must be read again
    sandbox.fail("GET", "*/phone_numbers", status=503)
    main = menu_key_named(drafted, "Main menu")

    response = post(
        as_editor, "route_add", [drafted, main], {"keypress": "5", "action": "voicemail"}
    )

    assert response.status_code == 503
    shown = text(html(response).select_one("[data-toast-message]"))
    assert "Zendesk" in shown
    assert "Traceback" not in response.content.decode()
    assert draft_of(drafted).version == 1
