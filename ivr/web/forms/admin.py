"""The forms of the IVR admin pages: create, delete, import, numbers, revert.

Each form checks only what it can check alone (a name typed, a file that is JSON); the
services (ivr.services.lifecycle, ivr.services.transfer, ivr.services.drafts) decide the rest and
their refusals land beside the field they concern (see ivr.web.views.admin._refusal_to_form).
"""

import json
from datetime import datetime
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from core.forms import counted, reason_field, set_choices
from ivr.services.lifecycle import MAX_NAME_LENGTH, NAME_TOO_LONG

# Django's max_length message, in the same words as the service's.
NAME_TOO_LONG_FIELD = NAME_TOO_LONG.format(limit="%(limit_value)d", length="%(show_value)d")

MAX_IMPORT_BYTES = 1_000_000  # an exported IVR of 100 menus is ~200 kB


def _reason(*, required: bool) -> forms.CharField:
    return reason_field(label="Why" if required else "Why (optional)", required=required)


def name_field(*, required: bool, label: str, help_text: str) -> forms.CharField:
    return counted(
        forms.CharField(
            label=label,
            required=required,
            max_length=MAX_NAME_LENGTH,
            help_text=help_text,
            widget=forms.TextInput(attrs={"autocomplete": "off"}),
            error_messages={
                "required": "Give the IVR a name your team will recognise.",
                "max_length": NAME_TOO_LONG_FIELD,
            },
        )
    )


class CreateIvrForm(forms.Form):
    name = name_field(
        required=True,
        label="Name",
        help_text="How your team will know it, e.g. Spring campaign line.",
    )
    reason = _reason(required=True)


class DeleteIvrForm(forms.Form):
    confirm_name = forms.CharField(
        label="Type the IVR's name to confirm",
        max_length=MAX_NAME_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Type the IVR's name exactly as shown above to confirm."},
    )
    reason = _reason(required=True)


class RevertForm(forms.Form):
    replace_draft = forms.BooleanField(required=False)


class ImportForm(forms.Form):
    """A file to import. After a refusal that is not about the file (a name taken, a draft in
    the way), the page keeps the file's content in `kept_file`, so it need not be chosen again."""

    file = forms.FileField(
        label="Exported IVR file (.json)",
        required=False,
        help_text="A file saved with “Export JSON” from TalkAdmin, or an IVR as Zendesk's API "
        "returns it.",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )
    kept_file = forms.CharField(required=False, widget=forms.HiddenInput)
    kept_file_name = forms.CharField(required=False, widget=forms.HiddenInput, max_length=255)
    reason = _reason(required=False)
    replace_draft = forms.BooleanField(
        label="Replace that draft with the imported IVR",
        required=False,
        help_text="Its unpublished changes are thrown away.",
    )

    def __init__(self, *args: Any, new_ivr: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.new_ivr = new_ivr
        if new_ivr:
            self.fields["name"] = name_field(
                required=False,
                label="Name of the new IVR (optional)",
                help_text="Leave it empty to use the name in the file.",
            )
            del self.fields["replace_draft"]
            self.order_fields(["file", "name", "reason"])

    def clean(self) -> dict[str, Any]:
        cleaned = self.cleaned_data
        upload: UploadedFile | None = cleaned.get("file")
        if upload is not None:
            cleaned["data"] = self._read(upload)
            cleaned["file_name"] = upload.name or "the file"
        elif cleaned.get("kept_file"):
            try:
                cleaned["data"] = json.loads(cleaned["kept_file"])
            except ValueError:
                self.add_error("file", "Choose the file again: the one chosen before was lost.")
            cleaned["file_name"] = cleaned.get("kept_file_name") or "the file chosen before"
        else:
            self.add_error("file", "Choose the exported IVR file to import.")
        return cleaned

    def _read(self, upload: UploadedFile) -> Any:
        if upload.size is not None and upload.size > MAX_IMPORT_BYTES:
            self.add_error(
                "file",
                f"This file is {upload.size // 1000:,} kB; an exported IVR is far smaller "
                f"(at most {MAX_IMPORT_BYTES // 1000:,} kB). Check that it is the right file.",
            )
            return None
        try:
            return json.loads(upload.read().decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError):
            self.add_error(
                "file",
                "This file is not JSON, so it is not an exported IVR. Choose the .json file "
                "that “Export JSON” saved.",
            )
            return None


class NumbersForm(forms.Form):
    phone_number_ids = forms.TypedMultipleChoiceField(
        label="Phone numbers that answer with this IVR",
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "One of the chosen numbers is no longer in Zendesk. Reload the "
            "page and choose again."
        },
    )
    move_taken = forms.BooleanField(
        label="Yes, move these numbers to this IVR",
        required=False,
    )
    reason = _reason(required=True)

    def __init__(self, *args: Any, number_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "phone_number_ids", [(i, str(i)) for i in number_ids])


class ReleasePublishForm(forms.Form):
    """Releasing a publish that did not finish: the claim as the page showed it, and why."""

    since = forms.CharField(widget=forms.HiddenInput, max_length=64)  # ISO 8601, to the µs
    reason = reason_field(
        required=True,
        help_text="Kept in the audit log, e.g. “the server was restarted mid-publish”.",
    )

    def clean_since(self) -> datetime:
        try:
            since = datetime.fromisoformat(self.cleaned_data["since"])
        except ValueError:
            raise forms.ValidationError("Reload the page: it does not say which publish.") from None
        if since.tzinfo is None:
            raise forms.ValidationError("Reload the page: it does not say which publish.")
        return since
