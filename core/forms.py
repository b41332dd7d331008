"""Form pieces shared by the apps' forms: the search box, the reason for a change, and a
character counter for a field with a limit."""

from collections.abc import Iterable
from typing import Any

from django import forms

SEARCH_MAX_LENGTH = 100
# One limit for every reason the audit log keeps (its column is a TextField: the limit is the
# admins', so a reason stays a sentence or two that fits the audit pages).
REASON_MAX_LENGTH = 1000
NEEDS_A_REASON = "Say why you are making this change; the audit log keeps it with the change."


def search_field(label: str) -> forms.CharField:
    """A search box typed into as you go: optional, trimmed, and of a reasonable length."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        strip=True,
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}
        ),
        error_messages={
            "max_length": "Search for at most %(limit_value)d characters (this has %(show_value)d)."
        },
    )


def reason_field(
    *,
    label: str = "Why are you making this change?",
    required: bool = True,
    help_text: str = "Kept in the audit log with the change, for whoever looks later.",
    required_message: str = NEEDS_A_REASON,
    widget: forms.Widget | type[forms.Widget] | None = None,
    **kwargs: Any,
) -> forms.CharField:
    """The reason a change set keeps: every form that asks one asks it this way.

    Trimmed, at most REASON_MAX_LENGTH characters; a two-line text area unless `widget`.
    """
    return forms.CharField(
        label=label,
        required=required,
        max_length=REASON_MAX_LENGTH,
        strip=True,
        help_text=help_text,
        widget=widget or forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": required_message,
            "max_length": "Keep the reason under 1,000 characters (this has %(show_value)d).",
        },
        **kwargs,
    )


def counted(field: forms.CharField) -> forms.CharField:
    """`field` with a character counter (static/js/talkadmin.js) instead of the browser's
    maxlength, which cuts a pasted or typed text at the limit without a word: the counter
    says how many characters are left and when the text is over, and the form's max_length
    message says so again beside the field, with the admin's typing kept."""
    field.widget.attrs.pop("maxlength", None)
    field.widget.attrs["data-max-chars"] = str(field.max_length)
    return field


def set_choices(form: forms.BaseForm, name: str, choices: Iterable[tuple[Any, str]]) -> None:
    """Give a form's choice field the choices known only when the form is made."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = list(choices)


class PlayableSelect(forms.Select):
    """A select whose choices can be heard: an option with a recording carries its address in
    data-audio-url, which static/js/talkadmin.js plays beside the select (a greeting picker)."""

    plays_audio = True  # templates draw the player beside it (includes/_greeting_picker.html)

    def __init__(self, *, audio_urls: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.audio_urls = dict(audio_urls or {})

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        url = self.audio_urls.get(str(option["value"]))
        if url:
            option["attrs"]["data-audio-url"] = url
        return option
