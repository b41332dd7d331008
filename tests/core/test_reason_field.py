"""Every form that asks why a change is made takes the same reason: up to 1,000 characters."""

import pytest
from django import forms

from audit.forms import ExportForm
from core.forms import REASON_MAX_LENGTH
from ivr.web.forms.admin import CreateIvrForm, DeleteIvrForm, ImportForm, NumbersForm
from ivr.web.forms.editor import PublishForm
from numbers.web.forms.provisioning import ProvisionForm, ReleaseForm
from numbers.web.forms.settings import SettingsForm
from talkadmin.users.forms import AddUserForm, ReasonForm, RoleForm

ASKING_A_REASON = [
    PublishForm,  # took 500 characters, half what the rest took
    CreateIvrForm,
    DeleteIvrForm,
    ImportForm,
    NumbersForm,
    ProvisionForm,
    ReleaseForm,
    SettingsForm,
    ExportForm,
    AddUserForm,
    RoleForm,
    ReasonForm,
]


@pytest.mark.parametrize("form", ASKING_A_REASON, ids=lambda form: form.__name__)
def test_the_reason_takes_1000_characters_and_refuses_more_in_plain_words(form):
    reason = form.base_fields["reason"]

    assert REASON_MAX_LENGTH == 1000
    assert reason.clean("  " + "x" * 1000 + "  ") == "x" * 1000  # trimmed first
    with pytest.raises(forms.ValidationError) as refused:
        reason.clean("x" * 1001)
    assert refused.value.messages == ["Keep the reason under 1,000 characters (this has 1001)."]
