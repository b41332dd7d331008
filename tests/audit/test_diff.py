"""A reviewer reads what changed in plain words, with names as they were at the time."""

import pytest

import audit
from audit.describe import DescribedChange, GenericDescriber, describe_changes
from audit.diff import MISSING, diff_json
from audit.vocabulary import IVR_WORDS

NAMES = {
    "group": {"1": "Tier 1", "2": "Tier 2"},
    "schedule": {"5": "UK office hours"},
    "greeting": {"voicemail_en": "Default voicemail (English)", "77": "After-hours message"},
    "ivr": {"360001": "Main line"},
}


def sentences(target_type, before, after, names=NAMES) -> list[str]:
    return [
        change.sentence
        for change in describe_changes(
            target_type=target_type, before=before, after=after, names=names
        )
    ]


def generic_ivr_sentences(before, after) -> list[str]:
    """The field-by-field describer with the IVR vocabulary: the IVR engine registers its own
    describer for "ivr" (ivr/services/audit_describer.py) and falls back to this one."""
    describer = GenericDescriber(IVR_WORDS)
    return [change.sentence for change in describer(before=before, after=after, names=NAMES)]


def test_phone_number_settings_are_described_by_their_labels_and_names():
    before = {
        "id": 6,
        "nickname": "Support",
        "name": "Support",
        "recorded": False,
        "group_ids": [1],
        "schedule_id": None,
        "ivr_id": None,
        "categorised_greetings": {"1": "voicemail_en"},
        "settings": {
            "voicemail_recording_delete_after": "1.weeks",
            "overflow_number": {"enabled": False, "number": None},
            "maximum_queue_wait_time": 5,
            "wrap_up_time_limit": 30,
        },
    }
    after = {
        "id": 6,
        "nickname": "Support UK",
        "name": "Support UK",
        "recorded": True,
        "group_ids": [1, 2],
        "schedule_id": 5,
        "ivr_id": 360001,
        "categorised_greetings": {"1": 77},
        "settings": {
            "voicemail_recording_delete_after": "1.months",
            "overflow_number": {"enabled": True, "number": "+12518717081"},
            "maximum_queue_wait_time": 10,
            "wrap_up_time_limit": 45,
        },
    }
    # In the order an admin thinks of a number: general, routing, recording, greetings, ...
    assert sentences("phone_number", before, after) == [
        "Changed the nickname from 'Support' to 'Support UK'.",
        "Set the IVR to 'Main line'.",
        "Changed the groups from 'Tier 1' to 'Tier 1' and 'Tier 2'.",
        "Set the business-hours schedule to 'UK office hours'.",
        "Turned call recording on.",
        "Changed the keeping of voicemails from deleted after 1 week to deleted after 1 month.",
        "Changed the voicemail greeting from 'Default voicemail (English)' to "
        "'After-hours message'.",
        "Changed the maximum queue wait from 5 minutes to 10 minutes.",
        "Changed the wrap-up time limit from 30 seconds to 45 seconds.",
        "Turned overflow number on.",
        "Set the overflow phone number to +12518717081.",
    ]


def test_each_change_also_gives_the_field_and_both_values_for_the_table():
    [change] = describe_changes(
        target_type="phone_number",
        before={"sms_group_id": 1},
        after={"sms_group_id": 2},
        names=NAMES,
    )
    assert change == DescribedChange(
        sentence="Changed the SMS group from 'Tier 1' to 'Tier 2'.",
        field="SMS group",
        before="'Tier 1'",
        after="'Tier 2'",
    )


def test_an_id_whose_name_was_not_recorded_says_so():
    assert sentences("phone_number", {"default_group_id": 1}, {"default_group_id": 99}) == [
        "Changed the default group from 'Tier 1' to #99 (name not recorded)."
    ]


def test_a_route_change_names_the_route_its_menu_and_the_groups():
    before = {
        "id": 360001,
        "name": "Main line",
        "menus": [
            {
                "id": 10,
                "name": "Billing",
                "routes": [
                    {
                        "id": 7,
                        "keypress": "2",
                        "action": "group",
                        "options": {"group_ids": [1]},
                        "option_text": "Tier 1",
                    }
                ],
            }
        ],
    }
    after = {
        **before,
        "menus": [
            {
                **before["menus"][0],
                "routes": [
                    {**before["menus"][0]["routes"][0], "options": {"group_ids": [2]}}
                    | {"option_text": "Tier 2"}
                ],
            }
        ],
    }
    assert generic_ivr_sentences(before, after) == [
        "Changed the groups of the key 2 route of menu 'Billing' from 'Tier 1' to 'Tier 2'."
    ]


def test_objects_in_lists_are_matched_by_id_not_position():
    menu = {"id": 11, "name": "Sales", "routes": []}
    before = {"menus": [{"id": 10, "name": "Billing", "routes": []}, menu]}
    after = {
        "menus": [
            {"id": 12, "name": "Returns", "routes": []},
            {"id": 10, "name": "Billing", "routes": [{"id": 9, "keypress": "default",
                                                      "action": "menu",
                                                      "options": {"menu_id": 12}}]},
        ]
    }  # fmt: skip
    assert generic_ivr_sentences(before, after) == [
        "Added the default route to menu 'Billing'.",
        "Removed menu 'Sales'.",
        "Added menu 'Returns'.",
    ]


def test_a_menu_reference_uses_the_menu_name_found_in_the_snapshot():
    route = {"id": 8, "keypress": "3", "action": "menu", "options": {"menu_id": 11}}
    before = {"menus": [{"id": 10, "name": "Main", "routes": [route]},
                        {"id": 11, "name": "Sales"}, {"id": 12, "name": "Returns"}]}  # fmt: skip
    after = {
        "menus": [
            {"id": 10, "name": "Main", "routes": [route | {"options": {"menu_id": 12}}]},
            *before["menus"][1:],
        ]
    }
    assert generic_ivr_sentences(before, after) == [
        "Changed the menu it goes to of the key 3 route of menu 'Main' from 'Sales' to 'Returns'."
    ]


def test_a_created_object_lists_what_it_was_created_with():
    user = {"username": "ana", "display_name": "Ana Silva", "role": "Editor", "active": True}
    assert sentences("user", None, user) == [
        "Set the username to 'ana'.",
        "Set the display name to 'Ana Silva'.",
        "Set the role to Editor.",
        "Set the account status to active.",
    ]


def test_a_user_role_change_and_deactivation_read_plainly():
    before = {"username": "bob", "role": "Editor", "active": True}
    after = {"username": "bob", "role": "Admin", "active": False}
    assert sentences("user", before, after) == [
        "Changed the role from Editor to Admin.",
        "Changed the account status from active to deactivated.",
    ]


def test_unknown_fields_still_read_as_words():
    assert sentences(
        "phone_number", {"hold_music_id": 3, "queue_note": "x"}, {"queue_note": "y"}
    ) == [
        "Cleared the hold music (it was #3 (name not recorded)).",
        "Changed the queue note from 'x' to 'y'.",
    ]


def test_derived_read_only_fields_do_not_repeat_a_change():
    before = {"nickname": "A", "name": "A", "categorised_greetings_with_sub_settings": {"1": "x"}}
    after = {"nickname": "B", "name": "B", "categorised_greetings_with_sub_settings": {"1": "y"}}
    assert sentences("phone_number", before, after) == ["Changed the nickname from 'A' to 'B'."]


@pytest.mark.parametrize(
    ("before", "after", "changed"),
    [
        ({"a": 1}, {"a": 1.0}, False),
        ({"a": True}, {"a": 1}, True),
        ({"a": [1, 2]}, {"a": [2, 1]}, True),  # the first group is the primary one
        ({"a": "1"}, {"a": 1}, True),
        ({"a": None}, {}, True),
        (None, None, False),
    ],
)
def test_the_diff_only_reports_real_differences(before, after, changed):
    assert bool(diff_json(before, after)) is changed


def test_a_removed_field_is_reported_as_missing_after():
    [change] = diff_json({"a": {"b": 1}}, {"a": {}})
    assert (change.pattern, change.before, change.after) == ("a.b", 1, MISSING)


def test_a_target_type_can_plug_its_own_describer(monkeypatch):
    from audit import describe

    monkeypatch.setattr(describe, "_registered", {})

    def describe_ivr(*, before, after, names):
        return [DescribedChange(f"Renamed IVR to '{after['name']}'.")]

    audit.register_describer("ivr", describe_ivr)
    assert sentences("ivr", {"name": "A"}, {"name": "B"}) == ["Renamed IVR to 'B'."]


def test_a_broken_describer_falls_back_to_the_generic_one(monkeypatch, caplog):
    from audit import describe

    monkeypatch.setattr(describe, "_registered", {})

    def broken(*, before, after, names):
        raise KeyError("menus")

    audit.register_describer("ivr", broken)
    assert sentences("ivr", {"name": "A"}, {"name": "B"}) == ["Changed the name from 'A' to 'B'."]
    assert "The ivr describer failed" in caplog.text


def test_the_generic_describer_works_without_a_vocabulary():
    changes = GenericDescriber()(before={"max_wait": 3}, after={"max_wait": 4}, names={})
    assert [c.sentence for c in changes] == ["Changed the max wait from 3 to 4."]
