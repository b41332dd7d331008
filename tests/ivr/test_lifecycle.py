"""Admins create and delete IVRs and choose which phone numbers answer with one, audited."""

import pytest
from django.core.exceptions import ValidationError

from audit.models import ChangeSet
from audit.recording import ReasonRequired
from audit.review import recent_history
from ivr.services import assign_ivr, create_ivr, delete_ivr, get_draft, open_draft
from ivr.services.errors import NumbersTaken
from talk.errors import Unavailable
from tests.ivr.drafting import MAIN_LINE, actor, calls_of, ivr_change_sets, ivr_id, writes

pytestmark = pytest.mark.django_db


def number(sandbox, nickname: str) -> dict:
    return sandbox.state.number_named(nickname)


def test_creating_an_ivr_gives_it_zendesks_empty_first_menu_and_no_numbers(sandbox, admin):
    new_id = create_ivr(name="  Spring  campaign ", actor=actor(admin), reason="Campaign line")

    created = sandbox.state.ivrs[new_id]
    assert created["name"] == "Spring campaign"
    assert [m["name"] for m in sandbox.state.menus_of(new_id)] == ["Main menu"]
    assert sandbox.state.numbers_using(new_id) == []
    change_set = ChangeSet.objects.get(action="create_ivr")
    assert change_set.status == "applied"
    assert change_set.target_name == "Spring campaign"
    assert change_set.reason == "Campaign line"
    assert change_set.after["id"] == new_id
    assert calls_of(change_set)[-1] == ("POST", 201)
    # Its id came from Zendesk after the intent was written; the outcome records it, so the
    # new IVR's history (and a revert to how it was created) begins with its creation.
    assert (change_set.target_id, change_set.recorded_target_id) == ("", str(new_id))
    assert recent_history(target_type="ivr", target_id=new_id) == [change_set]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("   ", "Give the IVR a name your team will recognise."),
        ("main SUPPORT line", "There is already an IVR called 'Main support line'."),
        ("x" * 256, "Use at most 255 characters, Zendesk's limit (this has 256)."),
    ],
)
def test_a_new_ivr_needs_a_name_of_its_own(sandbox, admin, name, message):
    with pytest.raises(ValidationError) as refused:
        create_ivr(name=name, actor=actor(admin), reason="Campaign line")

    assert refused.value.message_dict["name"][0].startswith(message)
    assert writes(sandbox) == []


def test_creating_an_ivr_needs_a_reason(sandbox, admin):
    with pytest.raises(ReasonRequired):
        create_ivr(name="Spring campaign", actor=actor(admin), reason="")
    assert sandbox.requests == []


def test_deleting_needs_the_ivrs_name_typed_exactly(sandbox, admin):
    with pytest.raises(ValidationError) as refused:
        delete_ivr(
            ivr_id=ivr_id(sandbox), actor=actor(admin), reason="Old", confirm_name="main support"
        )

    assert refused.value.message_dict["confirm_name"] == [
        "Type the IVR's name, 'Main support line', exactly as shown to confirm that it should "
        "be deleted."
    ]
    assert writes(sandbox) == []
    assert ivr_id(sandbox) in sandbox.state.ivrs


def test_deleting_an_ivr_names_the_numbers_that_lose_it_and_drops_its_draft(sandbox, admin, editor):
    main = ivr_id(sandbox)
    open_draft(ivr_id=main, actor=actor(editor))

    change_set = delete_ivr(
        ivr_id=main, actor=actor(admin), reason="Replaced by the new line", confirm_name=MAIN_LINE
    )

    assert main not in sandbox.state.ivrs
    assert number(sandbox, "US Main Support")["ivr_id"] is None
    assert change_set.action == "delete_ivr"
    assert change_set.status == "applied"
    assert change_set.summary == (
        "Delete the IVR 'Main support line' with its 4 menus. These numbers lose it and answer "
        "without an IVR: 'US Main Support (+1 (415) 555-0134)' and "
        "'UK Support London (+44 20 7946 0321)'. Its unpublished draft is discarded too."
    )
    assert change_set.before["name"] == MAIN_LINE
    assert get_draft(ivr_id=main) is None


def test_a_delete_zendesk_does_not_answer_is_recorded_as_failed_and_the_ivr_stays(sandbox, admin):
    main = ivr_id(sandbox)
    sandbox.fail("DELETE", "*/ivr/*", status=503)

    with pytest.raises(Unavailable):
        delete_ivr(ivr_id=main, actor=actor(admin), reason="Old", confirm_name=MAIN_LINE)

    (change_set,) = ivr_change_sets(main)
    assert change_set.status == "failed"
    assert main in sandbox.state.ivrs


def test_assigning_sets_exactly_which_numbers_answer_and_says_where_they_came_from(sandbox, admin):
    sales = ivr_id(sandbox, "Sales & orders")
    wanted = [
        number(sandbox, "US Sales (toll-free)")["id"],
        number(sandbox, "US Billing Direct")["id"],
        number(sandbox, "UK Support London")["id"],
    ]

    change_set = assign_ivr(
        ivr_id=sales,
        phone_number_ids=wanted,
        actor=actor(admin),
        reason="One sales menu",
        move_taken=True,
    )

    assert sorted(n["id"] for n in sandbox.state.numbers_using(sales)) == sorted(wanted)
    assert number(sandbox, "US Main Support")["ivr_id"] == ivr_id(sandbox)
    assert change_set.action == "assign_ivr"
    assert change_set.status == "applied"
    assert change_set.summary == (
        "Change which phone numbers answer with the IVR 'Sales & orders': "
        "'US Billing Direct (+1 (212) 555-0147)' now answers with it; "
        "'UK Support London (+44 20 7946 0321)' now answers with it instead of the IVR "
        "'Main support line'."
    )
    assert [(r.method, r.body) for r in writes(sandbox)] == [
        ("PUT", {"ivr": {"phone_number_ids": wanted}})
    ]
    assert sorted(change_set.after["phone_number_ids"]) == sorted(wanted)


def test_moving_a_number_from_another_ivr_needs_the_admins_consent(sandbox, admin):
    sales = ivr_id(sandbox, "Sales & orders")
    london = number(sandbox, "UK Support London")["id"]

    with pytest.raises(NumbersTaken) as refused:
        assign_ivr(ivr_id=sales, phone_number_ids=[london], actor=actor(admin), reason="Move")

    assert [(n.id, other) for n, other in refused.value.taken] == [(london, "Main support line")]
    assert "Tick the box to move them" in refused.value.message_dict["move_taken"][0]
    assert writes(sandbox) == []
    assert number(sandbox, "UK Support London")["ivr_id"] == ivr_id(sandbox)


def test_taking_every_number_away_leaves_the_ivr_answering_none(sandbox, admin):
    main = ivr_id(sandbox)

    change_set = assign_ivr(ivr_id=main, phone_number_ids=[], actor=actor(admin), reason="Pause")

    assert sandbox.state.numbers_using(main) == []
    assert "no longer does, and answers without an IVR" in change_set.summary


def test_assigning_the_numbers_it_already_has_sends_nothing(sandbox, admin):
    main = ivr_id(sandbox)
    current = [n["id"] for n in sandbox.state.numbers_using(main)]
    sandbox.clear_requests()

    assert assign_ivr(ivr_id=main, phone_number_ids=current, actor=actor(admin), reason="x") is None
    assert writes(sandbox) == []
    assert ivr_change_sets(main) == []


def test_a_digital_line_cannot_answer_with_an_ivr(sandbox, admin):
    (line_id,) = sandbox.state.digital_lines

    with pytest.raises(ValidationError) as refused:
        assign_ivr(
            ivr_id=ivr_id(sandbox), phone_number_ids=[line_id], actor=actor(admin), reason="x"
        )

    assert (
        "is a digital line, and Zendesk cannot play an IVR on digital lines"
        in (refused.value.message_dict["phone_number_ids"][0])
    )
    assert writes(sandbox) == []


def test_an_assignment_zendesk_refuses_is_recorded_and_raised(sandbox, admin):
    sales = ivr_id(sandbox, "Sales & orders")
    sandbox.fail("PUT", "*/ivr/*", status=503)

    with pytest.raises(Unavailable):
        assign_ivr(
            ivr_id=sales,
            phone_number_ids=[number(sandbox, "US Billing Direct")["id"]],
            actor=actor(admin),
            reason="One sales menu",
        )

    (change_set,) = ivr_change_sets(sales)
    assert change_set.status == "failed"


def test_a_create_zendesk_does_not_take_is_recorded_as_failed(sandbox, admin):
    sandbox.fail("POST", "*/channels/voice/ivr", status=503)

    with pytest.raises(Unavailable):
        create_ivr(name="Spring campaign", actor=actor(admin), reason="Campaign line")

    change_set = ChangeSet.objects.get(action="create_ivr")
    assert change_set.status == "failed"
    assert "Spring campaign" not in {ivr["name"] for ivr in sandbox.state.ivrs.values()}
