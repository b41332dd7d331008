"""The greeting forms: a new greeting with its recording, a recording again, a new name, the
words, and deleting. They check what can be checked without the file's bytes; the recording
itself is checked by the service (greetings.services.audio) before anything is sent, and its
messages land beside the "audio" field."""

from django import forms

from core.forms import set_choices
from greetings.models import SCRIPT_MAX_LENGTH
from greetings.services import NAME_MAX_LENGTH, category_choices

REASON_MAX_LENGTH = 500
AUDIO_ACCEPT = "audio/mpeg,audio/wav,audio/x-wav,audio/wave,.mp3,.wav"


def _audio_field() -> forms.FileField:
    return forms.FileField(
        label="Recording (MP3 or WAV, up to 10 MB)",
        widget=forms.ClearableFileInput(attrs={"accept": AUDIO_ACCEPT}),
        help_text="Zendesk plays it exactly as uploaded; TalkAdmin checks the file's contents.",
        error_messages={
            "required": "Choose the MP3 or WAV recording to upload.",
            "empty": "This file is empty. Choose the MP3 or WAV recording to upload.",
        },
    )


def _script_field(label: str = "Its words (optional)") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=SCRIPT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "What callers hear, e.g. “For billing press 1, for returns press 4.” TalkAdmin "
            "shows it in the call flow and checks a menu's keys against it."
        ),
        error_messages={
            "max_length": "Keep the words to %(limit_value)d characters (these have "
            "%(show_value)d)."
        },
    )


def _reason_field(*, required: bool, help_text: str) -> forms.CharField:
    return forms.CharField(
        label="Why are you making this change?" + ("" if required else " (optional)"),
        required=required,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=help_text,
        error_messages={"required": "Say why: the audit log keeps it with the change."},
    )


def _name_field() -> forms.CharField:
    return forms.CharField(
        label="Name",
        max_length=NAME_MAX_LENGTH,
        help_text="Admins see it when they choose a greeting; callers never hear it.",
        error_messages={
            "required": "Give the greeting a name your team will recognise.",
            "max_length": "Use at most %(limit_value)d characters (this has %(show_value)d).",
        },
    )


class NewGreetingForm(forms.Form):
    name = _name_field()
    category = forms.TypedChoiceField(
        label="When callers hear it",
        coerce=int,
        error_messages={
            "required": "Choose when callers hear this greeting.",
            "invalid_choice": "Choose when callers hear this greeting from the list.",
        },
    )
    audio = _audio_field()
    script = _script_field()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self,
            "category",
            [("", "Choose…"), *((str(i), label) for i, label in category_choices())],
        )


class RecordingForm(forms.Form):
    audio = _audio_field()
    reason = _reason_field(
        required=False,
        help_text="Needed when the greeting is played somewhere: callers hear the new "
        "recording at once.",
    )


class RenameForm(forms.Form):
    name = _name_field()


class ScriptForm(forms.Form):
    script = _script_field("Write or change its words")


class DeleteForm(forms.Form):
    reason = _reason_field(
        required=True,
        help_text="Kept in the audit log. Zendesk deletes the recording: it cannot be undone.",
    )
