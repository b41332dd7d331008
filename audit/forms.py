"""The audit pages' forms: the list's filters, and the export's format and reason."""

from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model

from audit.constants import IN_PROGRESS, IN_PROGRESS_LABEL, Action, Outcome, TargetType
from audit.review import NO_USER, LogFilter
from core.forms import reason_field, set_choices

ANY = [("", "Any")]
NOT_IN_LIST = {"invalid_choice": "Choose one of the options in the list."}
NOT_A_DATE = {"invalid": "Enter a date like 2026-01-31."}


def _actor_choices() -> list[tuple[str, str]]:
    users = get_user_model().objects.order_by("first_name", "last_name", "username")
    people = [(str(user.pk), f"{user.get_full_name() or user.username} ({user.username})")
              for user in users]  # fmt: skip
    return [*ANY, *people, (NO_USER, "No user: commands and visitors not signed in")]


class LogFilterForm(forms.Form):
    actor = forms.ChoiceField(label="Who", required=False, error_messages=NOT_IN_LIST)
    action = forms.ChoiceField(
        label="What", required=False, choices=ANY + Action.choices, error_messages=NOT_IN_LIST
    )
    target_type = forms.ChoiceField(
        label="Kind of target",
        required=False,
        choices=ANY + TargetType.choices,
        error_messages=NOT_IN_LIST,
    )
    target = forms.CharField(
        label="Target", required=False, max_length=300, help_text="A name, part of one, or an id."
    )
    target_id = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label="Outcome",
        required=False,
        choices=ANY + Outcome.choices + [(IN_PROGRESS, IN_PROGRESS_LABEL)],
        error_messages=NOT_IN_LIST,
    )
    date_from = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages=NOT_A_DATE,
    )
    date_to = forms.DateField(
        label="To",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages=NOT_A_DATE,
    )
    text = forms.CharField(
        label="Words in the summary or reason",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    unapproved_protected = forms.BooleanField(
        label="Only changes made without approval on protected lines",
        required=False,
        help_text="Live changes to a line while it was protected, with no approval recorded: "
        "there should be none.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "actor", _actor_choices())

    def clean(self) -> dict[str, Any]:
        cleaned = self.cleaned_data  # what forms.Form.clean returns
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date is before the start date.")
        for name in ("target", "target_id", "text"):
            cleaned[name] = (cleaned.get(name) or "").strip()
        return cleaned

    def log_filter(self) -> LogFilter:
        """The filter to apply; call only when the form is valid."""
        data = self.cleaned_data
        return LogFilter(
            actor=data["actor"],
            action=data["action"],
            target_type=data["target_type"],
            target_id=data["target_id"],
            target=data["target"],
            outcome=data["outcome"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            text=data["text"],
            unapproved_protected=data["unapproved_protected"],
        )

    def describe(self) -> str:
        """The filter in words, e.g. for the export's summary: "Who: Ana Silva (ana); ..."."""
        if not self.is_valid():
            return ""
        parts = []
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if not value:
                continue
            if value is True:  # a checkbox: its label says it all
                parts.append(str(field.label))
                continue
            if isinstance(field, forms.ChoiceField):
                value = dict(cast(list[tuple[str, str]], field.choices)).get(value, value)
            label = field.label or "Target id"
            parts.append(f"{label}: {value}")
        return "; ".join(parts) or "everything"


class ExportForm(forms.Form):
    FORMATS = [("csv", "CSV (spreadsheet)"), ("jsonl", "JSON Lines (complete, for tools)")]

    file_format = forms.ChoiceField(
        label="File format", choices=FORMATS, initial="csv", error_messages=NOT_IN_LIST
    )
    reason = reason_field(
        label="Why are you exporting? (optional)",
        required=False,
        help_text="",
        widget=forms.TextInput,
    )
