"""Every setting of a number: changed in its form, sent to Zendesk (the sandbox), shown back.

Only the changed field is sent; the change set says what changed in words.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import ChangeSet
from numbers.catalogue import SETTINGS, SETTINGS_BY_KEY
from tests.numbers.forms import form_values, open_form, page, submit, text

pytestmark = pytest.mark.django_db


def number_change_sets():
    return ChangeSet.objects.filter(action="update_phone_number")


BILLING = "US Billing Direct"  # no IVR, voicemail on, SMS-capable
VIP = "US VIP Accounts"  # voicemail off, overflow number on


def _new_values(state) -> dict[str, tuple[str, object, object, str]]:
    """key -> (number, form value, value Zendesk then holds, words the page then shows)."""
    group = state.group_named
    greeting = {g["name"]: g["id"] for g in state.greetings.values()}
    schedule = {s["name"]: s["id"] for s in state.schedules.values()}
    uk = next(name for name in schedule if name.startswith("UK"))
    sales_ivr = state.ivr_named("Sales & orders")["id"]
    sales, billing = group("Sales")["id"], group("Billing")["id"]
    hold = greeting["Acoustic hold music"]
    values = {
        "nickname": (BILLING, "Billing hotline", "Billing hotline", "Billing hotline"),
        "brand_id": (BILLING, "360001234999", 360001234999, "Northwind Repairs"),
        "priority": (BILLING, "7", 7, "7"),
        "ivr_id": (BILLING, str(sales_ivr), sales_ivr, "Sales & orders"),
        "group_ids": (BILLING, [str(billing), str(sales)], [billing, sales], "Billing and Sales"),
        "default_group_id": (BILLING, str(sales), sales, "Sales"),
        "schedule_id": (BILLING, str(schedule[uk]), schedule[uk], uk),
        "greeting_1": (
            BILLING,
            str(greeting["After-hours voicemail"]),
            greeting["After-hours voicemail"],
            "After-hours voicemail",
        ),
        "greeting_2": (BILLING, "", None, "Zendesk's default"),
        "greeting_3": (BILLING, str(hold), hold, "Acoustic hold music"),
        "greeting_4": (BILLING, "hold_en", "hold_en", "Default"),
        "greeting_6": (
            BILLING, str(greeting["Callback offer"]), greeting["Callback offer"], "Callback offer"
        ),
        "greeting_7": (
            BILLING,
            "callback-confirmation_en",
            "callback-confirmation_en",
            "Default",
        ),
        "greeting_8": (
            BILLING,
            "call-recording-opt-out_en",
            "call-recording-opt-out_en",
            "Opt-out consent greeting (default)",
        ),
        "greeting_9": (
            BILLING,
            "call-recording-opt-in_en",
            "call-recording-opt-in_en",
            "Opt-in consent greeting (default)",
        ),
        "greeting_ids": (BILLING, [str(hold)], [hold], "Acoustic hold music"),
        "call_recording_consent": (
            BILLING, "opt_out", "opt_out", "Recorded unless the caller refuses (opt out: presses 3)"
        ),
        "call_recording_delete_after": (BILLING, "2.weeks", "2.weeks", "Deleted after 2 weeks"),
        "voicemail_recording_delete_after": (BILLING, "1.years", "1.years", "Deleted after 1 year"),
        "maximum_queue_size": (BILLING, "25", 25, "25"),
        "maximum_queue_wait_time": (BILLING, "30", 30, "30"),
        "call_offering_duration": (BILLING, "45", 45, "45"),
        "callback_locale": (BILLING, "fr", "fr", "fr"),
        "wrap_up_time_limit": (BILLING, "90", 90, "90"),
        "overflow_number": (VIP, "+1 312 555 0199", "+13125550199", "+13125550199"),
        "failover_number": (BILLING, "+14155550100", "+14155550100", "+14155550100"),
        "sms_group_id": (BILLING, str(billing), billing, "Billing"),
    }  # fmt: skip
    for setting in SETTINGS:
        if setting.kind == "on_off":
            number = VIP if setting.key == "overflow_enabled" else BILLING
            now = setting.read(state.number_named(number))
            values[setting.key] = (number, not now, not now, "on" if not now else "off")
    return values


def _zendesk_value(state, number_id: int, key: str):
    number = state.phone_numbers[number_id]
    setting = SETTINGS_BY_KEY[key]
    value = number
    for part in setting.path:
        value = (value or {}).get(part)
    return value


@pytest.mark.parametrize("key", [setting.key for setting in SETTINGS])
def test_every_setting_round_trips(as_editor, sandbox, key):
    number_name, form_value, held, shown = _new_values(sandbox.state)[key]
    number = sandbox.state.number_named(number_name)
    setting = SETTINGS_BY_KEY[key]
    assert _zendesk_value(sandbox.state, number["id"], key) != held, "pick a new value"
    form = open_form(as_editor, number["id"], setting.section)
    sandbox.clear_requests()

    response = submit(as_editor, number["id"], setting.section, {key: form_value}, loaded_from=form)

    assert response.status_code == 302, text(page(response))[:1500]
    puts = sandbox.requests_to("PUT", "*/phone_numbers/*")
    assert len(puts) == 1
    assert _zendesk_value(sandbox.state, number["id"], key) == held
    detail = page(as_editor.get(reverse("numbers:detail", args=[number["id"]])))
    assert text(detail.select_one(f"#value-{key}")) == shown
    # The form opens again with the new value.
    assert form_values(open_form(as_editor, number["id"], setting.section)).get(key) in (
        form_value if not isinstance(form_value, bool) else (["on"] if form_value else None),
        held if isinstance(held, str) else form_value,
    )


def test_only_the_changed_field_is_sent(as_editor, sandbox):
    number = sandbox.state.number_named(BILLING)
    form = open_form(as_editor, number["id"], "queue")
    sandbox.clear_requests()

    submit(as_editor, number["id"], "queue", {"maximum_queue_size": "12"}, loaded_from=form)

    (put,) = sandbox.requests_to("PUT", "*/phone_numbers/*")
    assert put.body == {"phone_number": {"settings": {"maximum_queue_size": 12}}}
    assert put.query.get("include") == "settings"


def test_two_changes_in_one_section_are_sent_together_and_nothing_else(as_editor, sandbox):
    number = sandbox.state.number_named(BILLING)
    form = open_form(as_editor, number["id"], "recording")
    sandbox.clear_requests()

    submit(
        as_editor,
        number["id"],
        "recording",
        {"recorded": True, "call_recording_delete_after": "1.months"},
        loaded_from=form,
    )

    (put,) = sandbox.requests_to("PUT", "*/phone_numbers/*")
    assert put.body == {
        "phone_number": {
            "recorded": True,
            "settings": {"call_recording_delete_after": "1.months"},
        }
    }


def test_priority_is_sent_as_the_field_and_the_setting(as_editor, sandbox):
    number = sandbox.state.number_named(BILLING)
    sandbox.clear_requests()

    submit(as_editor, number["id"], "general", {"priority": "4"})

    (put,) = sandbox.requests_to("PUT", "*/phone_numbers/*")
    assert put.body == {"phone_number": {"priority": 4, "settings": {"priority": 4}}}


def test_the_overflow_number_is_sent_whole(as_editor, sandbox):
    number = sandbox.state.number_named(VIP)
    sandbox.clear_requests()

    submit(as_editor, number["id"], "overflow", {"overflow_number": "+13125550111"})

    (put,) = sandbox.requests_to("PUT", "*/phone_numbers/*")
    assert put.body == {
        "phone_number": {
            "settings": {"overflow_number": {"enabled": True, "number": "+13125550111"}}
        }
    }


def test_saving_an_unchanged_form_sends_nothing_and_says_so(as_editor, sandbox):
    number = sandbox.state.number_named(BILLING)
    form = open_form(as_editor, number["id"], "queue")
    sandbox.clear_requests()

    response = submit(as_editor, number["id"], "queue", {}, loaded_from=form)

    assert response.status_code == 302
    assert sandbox.requests_to("PUT") == []
    follow = as_editor.get(response["Location"])
    assert "Nothing to save" in text(page(follow))
    assert not number_change_sets().exists()


def test_the_change_set_says_what_changed_in_words(as_editor, sandbox):
    number = sandbox.state.number_named("UK Support London")

    submit(as_editor, number["id"], "recording", {"recorded": False}, reason="GDPR review")

    change_set = number_change_sets().get()
    assert change_set.summary == (
        "Turned call recording off on 'UK Support London' (+44 20 7946 0321)."
    )
    assert change_set.reason == "GDPR review"
    assert change_set.target_type == "phone_number"
    assert change_set.target_id == str(number["id"])
    assert change_set.before["recorded"] is True
    assert change_set.after["recorded"] is False


def test_a_changed_value_is_described_from_and_to(as_editor, sandbox):
    number = sandbox.state.number_named(BILLING)

    submit(as_editor, number["id"], "queue", {"maximum_queue_wait_time": "20"})

    assert number_change_sets().get().summary == (
        "Changed longest wait (minutes) from 5 to 20 on 'US Billing Direct' (+1 (212) 555-0147)."
    )


def test_the_summary_sentence_changes_with_the_setting(as_editor, sandbox):
    number = sandbox.state.number_named("UK Support London")
    url = reverse("numbers:detail", args=[number["id"]])
    before = text(page(as_editor.get(url)).select_one("#call-summary"))

    response = submit(as_editor, number["id"], "recording", {"recorded": False}, htmx=True)

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#number-page"
    after = text(page(response).select_one("#call-summary"))
    assert "Calls are recorded only when the caller agrees." in before
    assert "Calls are not recorded." in after
    assert "Saved. Turned call recording off" in text(page(response).select_one("#toasts"))
