"""What a number does with a call, in words, from Zendesk's JSON alone (no I/O)."""

from numbers.services.selectors import Names
from numbers.wording import call_summary, warnings

NAMES = Names(
    groups={"1": "Billing", "2": "Sales"},
    ivrs={"7": "Main line"},
    schedules={"9": "UK hours"},
)


def number(**fields):
    settings = fields.pop("settings", {})
    return {
        "display_number": "+44 20 7946 0321",
        "voice_enabled": True,
        "group_ids": [],
        "settings": {"voicemail": True, **settings},
        **fields,
    }


def test_groups_recording_and_voicemail():
    assert call_summary(number(group_ids=[1, 2], recorded=True, transcription=True), NAMES) == [
        "Calls to +44 20 7946 0321 go to the groups 'Billing' and 'Sales'.",
        "Calls are recorded and callers are told.",
        "When no agent is free, callers can leave a voicemail, transcribed.",
    ]


def test_an_ivr_zendesk_no_longer_has_is_said_plainly():
    assert call_summary(number(ivr_id=8), NAMES)[0] == (
        "Calls to +44 20 7946 0321 go to an IVR Zendesk no longer has."
    )


def test_no_group_means_any_agent():
    assert "go to no group: any available agent answers" in call_summary(number(), NAMES)[0]


def test_overflow_when_voicemail_is_off_and_business_hours():
    sentences = call_summary(
        number(
            schedule_id=9,
            settings={
                "voicemail": False,
                "voicemail_outside_business_hours": False,
                "overflow_number": {"enabled": True, "number": "+13125550170"},
            },
        ),
        NAMES,
    )

    assert "When no agent can take a call, it goes on to +13125550170." in sentences
    assert (
        "Outside business hours (schedule 'UK hours') callers cannot leave a voicemail."
        in sentences
    )


def test_a_number_without_voice_and_with_texts():
    assert call_summary(number(voice_enabled=False, sms_enabled=True, sms_group_id=2), NAMES) == [
        "+44 20 7946 0321 does not take voice calls.",
        "Text messages to this number are received and go to the group 'Sales'.",
    ]


def test_the_documented_interplays():
    found = warnings(
        number(
            ivr_id=7,
            recorded=True,
            call_recording_consent="opt_in",
            sms_enabled=True,
            settings={
                "voicemail": True,
                "callback_from_queue": True,
                "overflow_number": {"enabled": True, "number": "+13125550170"},
            },
        )
    )

    assert [w.section for w in found] == ["queue", "recording", "overflow", "text"]
    assert warnings(number(group_ids=[1])) == []
