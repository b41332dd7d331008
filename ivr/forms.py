from django import forms

SEARCH_MAX_LENGTH = 100


class IvrSearchForm(forms.Form):
    """The IVR list's search box; an empty search lists every IVR."""

    q = forms.CharField(
        label="Search by IVR name or phone number",
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
