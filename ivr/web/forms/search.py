from django import forms

from core.forms import search_field


class IvrSearchForm(forms.Form):
    """The IVR list's search box; an empty search lists every IVR."""

    q = search_field("Search by IVR name or phone number")
