"""Form pieces shared by the apps' forms."""

from django import forms

SEARCH_MAX_LENGTH = 100


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
