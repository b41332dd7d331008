from typing import Any

from django import forms
from django.contrib.auth.password_validation import password_validators_help_texts

from core.forms import reason_field
from core.roles import ROLES, ROLES_BY_KEY, Role

NO_ROLE = "none"
ROLE_CHOICES = [(role.key, role.name) for role in ROLES] + [(NO_ROLE, "No role")]
CHOOSE_A_ROLE = {"invalid_choice": "Choose one of the roles in the list."}


def role_from_choice(choice: str) -> Role | None:
    return None if choice == NO_ROLE else ROLES_BY_KEY[choice]


def _reason() -> forms.CharField:
    return reason_field(
        label="Why (optional)", required=False, help_text="", widget=forms.TextInput()
    )


class AddUserForm(forms.Form):
    display_name = forms.CharField(
        label="Display name",
        max_length=300,
        help_text="Shown in TalkAdmin and in the audit log, e.g. Ana Silva.",
    )
    username = forms.CharField(
        label="Username",
        max_length=150,
        help_text="What they type to sign in: letters, digits and @ . + - _ only.",
        widget=forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        error_messages={"invalid": "Enter an email address like ana@example.com."},
    )
    role = forms.ChoiceField(
        label="Role", choices=ROLE_CHOICES, initial="viewer", error_messages=CHOOSE_A_ROLE
    )
    # Never written back into a page, even after a validation error: a password is a secret.
    password = forms.CharField(
        label="Initial password",
        strip=False,
        help_text=" ".join(password_validators_help_texts()),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label="Initial password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    reason = _reason()

    def clean(self) -> dict[str, Any]:
        cleaned = self.cleaned_data
        password, again = cleaned.get("password"), cleaned.get("password_again")
        if password and again and password != again:
            self.add_error("password_again", "The two passwords differ; type the same one twice.")
        return cleaned


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=ROLE_CHOICES, error_messages=CHOOSE_A_ROLE)
    reason = _reason()


class ReasonForm(forms.Form):
    reason = _reason()
