"""The change-control forms: asking for approval, deciding, protecting a line."""

from django import forms
from django.conf import settings

from core.forms import reason_field


class AskForApprovalForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = reason_field(
        label="Why is this change needed?",
        help_text="The approver reads it first; the audit log keeps it with the change.",
        required_message="Say why this change is needed: the approver reads it first.",
    )


class ApproveForm(forms.Form):
    comment = reason_field(
        label="Comment (optional)",
        required=False,
        help_text="Kept in the audit log with your approval.",
    )


class DeclineForm(forms.Form):
    comment = reason_field(
        label="Why do you decline it?",
        help_text="The person who asked reads it; the audit log keeps it.",
        required_message="Say why you decline it: the person who asked reads it.",
    )


class WithdrawForm(forms.Form):
    reason = reason_field(label="Why are you withdrawing it? (optional)", required=False)


class ProtectionForm(forms.Form):
    reason = reason_field(
        label="Why?",
        help_text="Kept in the audit log, and shown to editors who publish this IVR.",
        required_message="Say why: the audit log keeps it.",
    )


LOCAL_TIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


def _local_time_field(label: str, *, required: bool) -> forms.DateTimeField:
    zone = settings.TIME_ZONE
    return forms.DateTimeField(
        label=f"{label} ({zone} time)",
        required=required,
        input_formats=LOCAL_TIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": "Choose the date and time.",
            "invalid": "Enter a date and time like 2026-12-24 18:00.",
        },
    )


class ScheduleForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    run_at = _local_time_field("Publish at", required=True)
    change_back_at = _local_time_field("Change back at (optional)", required=False)
    reason = reason_field(
        label="Why schedule this change?",
        help_text="Kept in the audit log with the change and its change back.",
        required_message="Say why: the audit log keeps it with the change.",
    )
