"""The change-control forms: asking for approval, deciding, protecting a line."""

from django import forms

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
