"""The audit log speaks of a number's settings in the catalogue's words (audit_describer)."""

from audit.describe import describe_changes
from audit.vocabulary import BUILT_IN_DESCRIBERS
from numbers.audit_describer import PHONE_NUMBER_WORDS
from numbers.catalogue import SETTINGS


def sentences(before, after, names=None):
    changes = describe_changes(target_type="phone_number", before=before, after=after, names=names)
    return [change.sentence for change in changes]


def test_every_setting_of_the_catalogue_has_its_words_in_the_audit_log():
    for setting in SETTINGS:
        words = PHONE_NUMBER_WORDS[setting.dotted_path]
        assert words.label == setting.sentence_noun and not words.hidden


def test_the_phone_number_app_describes_its_change_sets_not_the_audit_app():
    assert "phone_number" not in BUILT_IN_DESCRIBERS
    assert sentences(
        {"settings": {"call_offering_duration": 30}}, {"settings": {"call_offering_duration": 45}}
    ) == ["Changed the time a call rings an agent from 30 seconds to 45 seconds."]


def test_recording_consent_reads_as_the_form_offers_it():
    # The audit log used to call "never" "never recorded"; the form and the number's page say
    # Zendesk records without asking callers.
    assert sentences({"call_recording_consent": "always"}, {"call_recording_consent": "never"}) == [
        "Changed the recording consent from always recorded, and callers are told to "
        "recorded without asking callers."
    ]
    assert sentences(
        {"call_recording_consent": "opt-in"}, {"call_recording_consent": "opt_out"}
    ) == [
        "Changed the recording consent from recorded only when the caller agrees (opt in: "
        "presses 3) to recorded unless the caller refuses (opt out: presses 3)."
    ]


def test_a_greeting_a_count_and_a_read_only_fact():
    names = {"greeting": {"77": "After-hours message", "hold_en": "Default hold (English)"}}

    assert sentences(
        {"categorised_greetings": {"4": "hold_en"}, "settings": {"maximum_queue_size": 10}},
        {"categorised_greetings": {"4": 77}, "settings": {"maximum_queue_size": 17}},
        names,
    ) == [
        "Changed the hold greeting from 'Default hold (English)' to 'After-hours message'.",
        "Changed the maximum queue size from 10 callers to 17 callers.",
    ]
    assert sentences({"location": "TX"}, {"location": "CA"}) == [
        "Changed the location from TX to CA."
    ]
