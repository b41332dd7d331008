"""The phone-number list's filters, and the form for one section of a number's settings.

A settings form carries, signed, the values it was loaded with (`loaded`): the service sends
only the fields whose submitted value differs from them, and checks Zendesk still holds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core import signing
from django.urls import reverse

from core import phone
from core.forms import PlayableSelect, reason_field, search_field
from greetings.services import playable_greeting_ids
from numbers.catalogue import (
    LANGUAGE_CODE,
    Kind,
    Setting,
    current_values,
    normalise,
    settings_of,
)
from numbers.countries import country_name
from numbers.services import CAPABILITIES, Names, NumberFilters

NICKNAME_MAX_LENGTH = 255
MINE, THEIRS = "mine", "theirs"
TYPED = (Kind.COUNT, Kind.LANGUAGE, Kind.PHONE, Kind.TEXT)  # typed in a text box


class NumberFilterForm(forms.Form):
    """The list's search box and filters; every one may be empty."""

    q = search_field("Search by name or digits")
    country = forms.CharField(label="Country", required=False, max_length=2)
    capability = forms.ChoiceField(
        label="Can do",
        required=False,
        choices=[("", "Anything"), *[(key, f"{label}") for key, label in CAPABILITIES]],
    )
    ivr = forms.CharField(label="IVR", required=False, max_length=30)
    recording = forms.ChoiceField(
        label="Recording",
        required=False,
        choices=[("", "On or off"), ("on", "Recorded"), ("off", "Not recorded")],
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, countries=(), ivrs=(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_choices(countries=countries, ivrs=ivrs)

    def set_choices(self, *, countries, ivrs) -> None:
        """The country and IVR filters offer what the account has (known once it is read)."""
        self.fields["country"].widget = forms.Select(
            choices=[("", "Every country"), *[(code, country_name(code)) for code in countries]]
        )
        self.fields["ivr"].widget = forms.Select(
            choices=[("", "Any or none"), ("none", "No IVR"), *ivrs]
        )

    def filters(self) -> NumberFilters:
        data = self.cleaned_data
        return NumberFilters(
            search=data["q"],
            country=(data["country"] or "").upper(),
            capability=data["capability"],
            ivr=data["ivr"],
            recording=data["recording"],
            page=data["page"] or 1,
        )


# --- Settings -----------------------------------------------------------------------------------


def _salt(number_id: int, section: str) -> str:
    return f"numbers.settings:{int(number_id)}:{section}"


@dataclass(frozen=True)
class ConflictChoice:
    """A setting changed meanwhile in Zendesk: the admin keeps theirs or takes Zendesk's."""

    key: str
    label: str
    mine_words: str
    theirs_words: str


def sign_state(
    number_id: int,
    section: str,
    values: dict[str, Any],
    conflicts: tuple = (),
    *,
    region: str | None = None,
) -> str:
    """The values a form was loaded with, its open conflicts and the number's country (where
    a phone number typed without + is read), signed for its hidden field."""
    state = {
        "values": values,
        "conflicts": [[c.key, c.label, c.mine_words, c.theirs_words] for c in conflicts],
        "region": region,
    }
    return signing.dumps(state, salt=_salt(number_id, section), compress=True)


def _unsign(signed: Any, number_id: int, section: str) -> dict[str, Any] | None:
    try:
        state = signing.loads(str(signed or ""), salt=_salt(number_id, section))
    except signing.BadSignature:
        return None
    return state if isinstance(state, dict) else None


class SettingsForm(forms.Form):
    """One section of a number's settings (see numbers.catalogue), with the admin's reason.

    Unbound: shows the number's current values (or `initial`) and signs `loaded` (default:
    the number's values), `conflicts` and `region` (default: the number's country) into the
    hidden `loaded` field. Bound: reads them back from it, and asks "keep mine / take theirs"
    for each conflict. A phone number typed without + is read as a number of `region`.
    """

    loaded = forms.CharField(widget=forms.HiddenInput)
    reason = reason_field(help_text="The audit log keeps it with the change. This is a live line.")

    def __init__(
        self,
        data: Any = None,
        *,
        number_id: int,
        section: str,
        names: Names,
        number: dict[str, Any] | None = None,
        initial: dict[str, Any] | None = None,
        loaded: dict[str, Any] | None = None,
        conflicts: tuple = (),
        region: str | None = None,
    ) -> None:
        if data is not None:
            state = _unsign(data.get("loaded"), number_id, section) or {}
            loaded = state.get("values") or {}
            conflicts = tuple(ConflictChoice(*c) for c in state.get("conflicts") or ())
            region = state.get("region") if isinstance(state.get("region"), str) else None
            super().__init__(data)
        else:
            values = current_values(number, section) if number is not None else {}
            loaded = loaded if loaded is not None else values
            if region is None and number is not None:
                region = number.get("country_code") or None
            signed = sign_state(number_id, section, loaded, conflicts, region=region)
            super().__init__(initial={**values, **(initial or {}), "loaded": signed})
        self.number_id = number_id
        self.section = section
        self.names = names
        self.settings = settings_of(section)
        self.conflicts = conflicts
        self.region = region
        self.conflict_message = ""
        for setting in self.settings:
            self.fields[setting.key] = _field(
                setting, names, current=loaded.get(setting.key), region=region
            )
        for conflict in conflicts:
            self.fields[f"resolve_{conflict.key}"] = forms.ChoiceField(
                label=f"Which {conflict.label.lower()} should the number have?",
                choices=[(MINE, f"Mine: {conflict.mine_words}"),
                         (THEIRS, f"Zendesk's now: {conflict.theirs_words}")],
                widget=forms.RadioSelect,
                error_messages={"required": "Choose which value to keep."},
            )  # fmt: skip
        self.order_fields([*(s.key for s in self.settings), "reason"])

    def setting_fields(self) -> list[forms.BoundField]:
        return [self[setting.key] for setting in self.settings]

    def resolve_fields(self) -> list[forms.BoundField]:
        return [self[f"resolve_{conflict.key}"] for conflict in self.conflicts]

    def clean_loaded(self) -> dict[str, Any] | None:
        state = _unsign(self.cleaned_data["loaded"], self.number_id, self.section)
        return state["values"] if state and isinstance(state.get("values"), dict) else None

    def clean(self) -> dict[str, Any]:
        cleaned = self.cleaned_data
        loaded = cleaned.get("loaded")
        if loaded is None:
            # Shown above the form: the hidden field has no place of its own.
            self.add_error(
                None,
                "This form could not be checked against what it was opened with. Reload the "
                "page and make the change again.",
            )
        for setting in self.settings:
            if setting.kind in TYPED and setting.key in self.errors and loaded is not None:
                # A value Zendesk holds outside TalkAdmin's rules blocks nothing if left as is.
                raw = str(self.data.get(self.add_prefix(setting.key)) or "").strip()
                if raw and raw == str(loaded.get(setting.key)):
                    del self.errors[setting.key]
                    cleaned[setting.key] = loaded[setting.key]
        for conflict in self.conflicts:
            if cleaned.get(f"resolve_{conflict.key}") == THEIRS and loaded is not None:
                cleaned[conflict.key] = loaded.get(conflict.key)
        for setting in self.settings:
            if setting.key in cleaned:
                cleaned[setting.key] = normalise(setting, cleaned[setting.key])
        return cleaned

    def submitted_values(self) -> dict[str, Any]:
        return {setting.key: self.cleaned_data[setting.key] for setting in self.settings}


def _field(
    setting: Setting, names: Names, *, current: Any, region: str | None = None
) -> forms.Field:
    common: dict[str, Any] = {"label": setting.label, "help_text": setting.help}
    kind = setting.kind
    if kind is Kind.ON_OFF:
        return forms.BooleanField(required=False, **common)
    if kind is Kind.TEXT:
        return forms.CharField(
            required=False,
            max_length=NICKNAME_MAX_LENGTH,
            error_messages={
                "max_length": "Keep it to %(limit_value)d characters (this has %(show_value)d)."
            },
            **common,
        )
    if kind is Kind.COUNT:
        message = f"Enter a whole number from {setting.low} to {setting.high}."
        return forms.IntegerField(
            required=current is not None,
            min_value=setting.low,
            max_value=setting.high,
            error_messages={
                "required": message,
                "invalid": message,
                "min_value": message,
                "max_value": message,
            },
            **common,
        )
    if kind is Kind.PHONE:
        return PhoneNumberField(
            region=region,
            required=False,
            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            **common,
        )
    if kind is Kind.LANGUAGE:
        return forms.CharField(
            required=False,
            max_length=2,
            validators=[_language_code],
            error_messages={"max_length": "Enter two letters, such as en or es."},
            **common,
        )
    if kind is Kind.GROUPS:
        choices = _group_choices(names, current or [])
        return forms.MultipleChoiceField(
            required=False,
            choices=choices,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": "Choose groups from the list."},
            **common,
        )
    if kind is Kind.GREETINGS:
        choices = [
            (greeting_id, name)
            for greeting_id, name in sorted(names.greetings.items(), key=lambda i: i[1].casefold())
            if greeting_id.isdigit() or greeting_id in (current or [])
        ]
        return forms.MultipleChoiceField(
            required=False,
            choices=choices,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": "Choose greetings from the list."},
            **common,
        )
    choices = _single_choices(setting, names, current)
    field = forms.ChoiceField(
        required=kind is Kind.CHOICE and current is not None,
        choices=choices,
        error_messages={
            "invalid_choice": "Choose one of the options in the list.",
            "required": "Choose one of the options in the list.",
        },
        **common,
    )
    if kind is Kind.GREETING:
        field.widget = _greeting_picker(field.choices, names, category=setting.category)
    return field


def _greeting_picker(choices: Any, names: Names, *, category: str) -> PlayableSelect:
    """The greeting picker of the IVR menus: names (never an id), and ▶ the chosen one."""
    gone = "The greeting it has now (Zendesk no longer has it)"
    named = [
        (value, gone if value and value not in names.greetings else label)
        for value, label in choices
    ]
    playable = playable_greeting_ids()
    return PlayableSelect(
        audio_urls={
            value: reverse("greetings:audio", args=[value])
            for value, _ in named
            if value in playable
        },
        attrs={"data-greeting-picker": "", "data-greeting-category": category},
        choices=named,
    )


def _group_choices(names: Names, current: list[str]) -> list[tuple[str, str]]:
    """Live groups, and deleted or unknown ones the number still uses (so they can be removed)."""
    choices = [
        (group_id, name)
        for group_id, name in names.groups.items()
        if group_id not in names.deleted_groups or group_id in current
    ]
    labelled = [(g, f"{n} (deleted)" if g in names.deleted_groups else n) for g, n in choices]
    known = {g for g, _ in choices}
    missing = [(g, f"A group Zendesk no longer has (#{g})") for g in current if g not in known]
    return sorted(labelled, key=lambda c: c[1].casefold()) + missing


def _single_choices(setting: Setting, names: Names, current: Any) -> list[tuple[str, str]]:
    kind = setting.kind
    if kind is Kind.CHOICE:
        blank = [("", "Not set")] if current is None else []
        # A value Zendesk holds that the list lacks stays chosen, so saving keeps it.
        held = (
            []
            if current is None or current in dict(setting.choices)
            else [(current, f"{current} (as Zendesk has it)")]
        )
        return [*blank, *setting.choices, *held]
    if kind is Kind.GROUP:
        return [("", "None"), *_group_choices(names, [current] if current else [])]
    if kind is Kind.IVR:
        options = sorted(names.ivrs.items(), key=lambda item: item[1].casefold())
        return [("", "No IVR: calls go straight to the groups"), *options, *_gone(current, options)]
    if kind is Kind.SCHEDULE:
        options = sorted(names.schedules.items(), key=lambda item: item[1].casefold())
        return [("", "None"), *options, *_gone(current, options)]
    if kind is Kind.BRAND:
        options = sorted(names.brands.items(), key=lambda item: item[1].casefold())
        blank = [("", "Not set")] if current is None else []
        return [*blank, *options, *_gone(current, options)]
    if kind is Kind.GREETING:
        options = sorted(
            (
                (greeting_id, name)
                for greeting_id, name in names.greetings.items()
                if names.greeting_categories.get(greeting_id) == setting.category
            ),
            key=lambda item: item[1].casefold(),
        )
        return [("", "Zendesk's default"), *options, *_gone(current, options)]
    raise ValueError(f"no choices for {setting.key}")


def _gone(current: Any, options: list[tuple[str, str]]) -> list[tuple[str, str]]:
    if current is None or any(value == current for value, _ in options):
        return []
    return [(str(current), f"One Zendesk no longer has ({current})")]


class PhoneNumberField(forms.CharField):
    """A phone number, or none: cleaned to E.164 (core.phone), read in `region` without +."""

    def __init__(self, *, region: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.region = region

    def clean(self, value: Any) -> str:
        typed = super().clean(value)
        if not typed:
            return typed
        try:
            return phone.parse_e164(typed, region=self.region)
        except phone.InvalidNumber as invalid:
            if invalid.problem is phone.Problem.NOT_IN_USE:
                message = f"This is not a number that can be called. {invalid.message}"
            else:
                message = (
                    "Enter the number in international format: + then the country code and "
                    "number, e.g. +14155550100."
                )
            raise forms.ValidationError(message, code=invalid.problem) from None


def _language_code(value: str) -> None:
    if value and not LANGUAGE_CODE.match(value):
        raise forms.ValidationError("Enter a two-letter language code in lower case, such as en.")
