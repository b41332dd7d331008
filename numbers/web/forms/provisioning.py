"""The forms of "Get a new number" and "Release a number"."""

from __future__ import annotations

import re

from django import forms

from core.forms import reason_field
from numbers.countries import provisioning_choices
from numbers.services import (
    ANY,
    AREA_CODE_COUNTRIES,
    LOCAL,
    TOLL_FREE,
    Address,
    NumberSearch,
    address_label,
)

KIND_CHOICES = [(ANY, "Local or toll-free"), (LOCAL, "Local"), (TOLL_FREE, "Toll-free")]
CONTAINS = re.compile(r"[0-9a-zA-Z*]+")


def _reason_field(label: str, help_text: str) -> forms.CharField:
    return reason_field(
        label=label,
        help_text=help_text,
        required_message="Say why; the audit log keeps it with the change.",
    )


class NumberSearchForm(forms.Form):
    country = forms.ChoiceField(
        label="Country",
        choices=lambda: [("", "Choose a country"), *provisioning_choices()],
        error_messages={
            "required": "Choose the country the number should be in.",
            "invalid_choice": "Choose a country from the list.",
        },
    )
    kind = forms.ChoiceField(
        label="Kind of number",
        choices=KIND_CHOICES,
        initial=ANY,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose local, toll-free, or either."},
    )
    area_code = forms.CharField(
        label="Area code (optional)",
        required=False,
        max_length=3,
        help_text="United States and Canada only, e.g. 415.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"max_length": "An area code has 3 digits, e.g. 415."},
    )
    contains = forms.CharField(
        label="Digits it contains (optional)",
        required=False,
        max_length=16,
        help_text="Digits, or letters as on a phone keypad, e.g. 555 or HELP; * is any digit.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"max_length": "Keep the pattern under 16 characters."},
    )

    def __init__(self, data=None, *args, **kwargs) -> None:
        if data is not None and not data.get("kind"):
            data = data.copy()  # an address without `kind` means either kind, as the form shows
            data["kind"] = ANY
        super().__init__(data, *args, **kwargs)

    def clean_area_code(self) -> str:
        area_code = self.cleaned_data["area_code"].strip()
        if area_code and not re.fullmatch(r"\d{3}", area_code):
            raise forms.ValidationError("An area code has 3 digits, e.g. 415.")
        return area_code

    def clean_contains(self) -> str:
        contains = re.sub(r"[\s\-()+.]", "", self.cleaned_data["contains"])
        if contains and not CONTAINS.fullmatch(contains):
            raise forms.ValidationError(
                "Use only digits, letters and * (for any one digit), e.g. 555 or HELP."
            )
        return contains

    def clean(self) -> dict:
        data = super().clean()
        country = data.get("country")
        if data.get("area_code") and country and country not in AREA_CODE_COUNTRIES:
            self.add_error(
                "area_code",
                "Zendesk searches area codes in the United States and Canada only: leave it "
                "empty, or put the digits you want under “Digits it contains”.",
            )
        return data

    def search(self) -> NumberSearch:
        data = self.cleaned_data
        return NumberSearch(
            country=data["country"],
            kind=data.get("kind") or ANY,
            area_code=data.get("area_code", ""),
            contains=data.get("contains", ""),
        )


class ProvisionForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=200)
    address = forms.TypedChoiceField(
        label="Address registered for this number",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="The law of the number's country asks Zendesk for this address.",
        error_messages={"invalid_choice": "Choose one of your addresses from the list."},
    )
    reason = _reason_field(
        "Why you are getting this number", "For example: a new support line for Ireland."
    )

    def __init__(self, *args, addresses: list[Address] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["address"].choices = [("", "Choose an address")] + [
            (address.id, address_label(address)) for address in addresses
        ]
        if not addresses:
            del self.fields["address"]


class ReleaseForm(forms.Form):
    confirm_digits = forms.CharField(
        label="Type the number to confirm",
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
        error_messages={"required": "Type the number's digits to confirm the release."},
    )
    reason = _reason_field(
        "Why you are releasing it", "For example: the Dublin office closed in March."
    )
