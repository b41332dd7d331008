"""The forms of the IVR editor: the IVR's name, a menu, a route; and the publish reason.

Each form checks what the admin typed and turns it into the arguments of one ivr.engine.edit
function; the edit itself (a key already taken, a duplicate menu name) is refused by
ivr.engine.edit, whose EditError names the field its message belongs beside. Choices come from the
draft and the account's lookups, by name: never a bare id on screen.
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.urls import reverse

from core import phone
from core.forms import PlayableSelect, counted, reason_field, set_choices
from ivr.engine.destinations import (
    Destination,
    GoToMenu,
    QueueForGroups,
    TextBack,
    TransferToNumber,
    UnknownAction,
    Voicemail,
)
from ivr.engine.document import DEFAULT_KEYPRESS, KEYPRESSES, IvrDocument, Menu, Route
from ivr.engine.lookups import IVR_GREETING_CATEGORY, Lookups
from ivr.engine.wording import quoted
from ivr.services.lifecycle import MAX_NAME_LENGTH
from ivr.web.converters import KEYPRESS_FOR_TOKEN, keypress_token
from ivr.web.forms.admin import NAME_TOO_LONG_FIELD

TEXT_MAX_LENGTH = 300
NO_GREETING = ""


# The action chooser, in the words a caller's experience is told in.
ACTION_CHOICES = (
    ("group", "Put the caller through to a group of agents"),
    ("voicemail", "Let the caller leave a voicemail"),
    ("menu", "Go to another menu"),
    ("phone_number", "Transfer the call to an outside number"),
    ("textback", "Send the caller a text message (the call ends)"),
)
# Which of the form's fields each action uses (the others are ignored and hidden).
ACTION_FIELDS = {
    "group": ("group_ids",),
    "voicemail": ("voicemail_group",),
    "menu": ("menu_key",),
    "phone_number": ("phone_number",),
    "textback": ("sms_text", "sending_number"),
}
# A route whose action TalkAdmin does not know (UnknownAction) offers to keep it as it is.
KEEP_ACTION = "keep"
# Where ivr.engine.edit's EditError fields land on the route form.
ROUTE_ERROR_FIELDS = {
    "keypress": "keypress",
    "action": "action",
    "menu_key": "menu_key",
    "name": "new_menu_name",  # a new menu made from the key's form
}
# The "Menu" choice that makes a new menu for the key, named in the key's own form.
NEW_MENU = "new"


def key_label(keypress: str) -> str:
    if keypress == DEFAULT_KEYPRESS:
        return "No key or a wrong key"
    return keypress


def outside_number_problem(typed: str) -> tuple[str, str]:
    """(the number in E.164 form, "") or (what was typed, what is wrong with it)."""
    try:
        return phone.parse_e164(typed), ""
    except phone.InvalidNumber as invalid:
        problem, message = invalid.problem, invalid.message
    if problem is phone.Problem.EMPTY:
        return "", "Type the outside number to transfer callers to."
    if problem is phone.Problem.NOT_INTERNATIONAL:
        return typed, (
            "Start with + and the country code, for example +1 415 555 0123 or +44 20 7946 0321."
        )
    if problem is phone.Problem.MALFORMED:
        return typed, (
            "This is not a whole international number: after + and the country code it "
            "needs 7 to 15 digits, and only digits."
        )
    return typed, f"This is not a number that can be called. {message}"


class IvrNameForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    name = counted(
        forms.CharField(
            label="IVR name",
            max_length=MAX_NAME_LENGTH,
            error_messages={"required": "The IVR needs a name.", "max_length": NAME_TOO_LONG_FIELD},
        )
    )


class MenuForm(forms.Form):
    """A menu's name and greeting (adding a menu, or changing one)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    name = counted(
        forms.CharField(
            label="Menu name",
            max_length=MAX_NAME_LENGTH,
            help_text="Admins see it; callers hear the greeting, not the name.",
            error_messages={"required": "A menu needs a name.", "max_length": NAME_TOO_LONG_FIELD},
        )
    )
    greeting = forms.ChoiceField(label="Greeting callers hear", required=False)

    def __init__(self, *args, lookups: Lookups, menu: Menu | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        greetings = sorted(
            (g for g in lookups.greetings.values() if g.can_play_in_a_menu),
            key=lambda g: g.name.casefold(),
        )
        choices = [(NO_GREETING, "No greeting of its own (Zendesk's default)")]
        choices += [
            (str(g.id), g.name if not g.pending else f"{g.name} (no recording yet)")
            for g in greetings
        ]
        self.current = menu.greeting_id if menu is not None else None
        if self.current is not None and str(self.current) not in {v for v, _ in choices}:
            # Not one a menu can be given here (a built-in one, another kind, or gone): kept
            # choosable under its Zendesk name, so saving the form leaves it as it is.
            choices.append((str(self.current), current_greeting_label(self.current, lookups)))
        set_choices(self, "greeting", choices)
        # The picker plays the chosen greeting (TalkAdmin relays it: greetings:audio).
        self.fields["greeting"].widget = PlayableSelect(
            audio_urls={
                str(g.id): reverse("greetings:audio", args=[g.id]) for g in greetings if g.playable
            },
            attrs={
                "data-greeting-picker": "",
                "data-greeting-category": str(IVR_GREETING_CATEGORY),
            },
            choices=choices,
        )

    def greeting_id(self) -> int | str | None:
        """The greeting chosen: the menu's own as it is (a built-in one has a text id), or one
        of the account's IVR greetings, or None."""
        value = self.cleaned_data.get("greeting") or NO_GREETING
        if self.current is not None and value == str(self.current):
            return self.current
        return int(value) if value.isdigit() else None


def current_greeting_label(greeting_id: int | str, lookups: Lookups) -> str:
    """How the menu form names a greeting it keeps but does not offer."""
    greeting = lookups.greetings.get(greeting_id)
    if greeting is None:
        return "The greeting it has now (no longer in Zendesk)"
    if isinstance(greeting.id, str):
        return f"Zendesk's built-in greeting {quoted(greeting.name)} (as it is now)"
    return f"{greeting.name} (not an IVR greeting; as it is now)"


@dataclass(frozen=True)
class KeyChoice:
    """One key of the route form's keypress picker."""

    token: str
    keypress: str
    label: str
    taken: bool  # another route of this menu has it
    checked: bool


class RouteForm(forms.Form):
    """A route: which key, what happens, and only the fields that action needs."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    keypress = forms.ChoiceField(
        label="Key the caller presses",
        choices=[(keypress_token(k), key_label(k)) for k in KEYPRESSES],
        error_messages={"required": "Choose the key callers press."},
    )
    action = forms.ChoiceField(
        label="What happens then",
        choices=ACTION_CHOICES,
        error_messages={"required": "Choose what happens when callers press this key."},
    )
    group_ids = forms.MultipleChoiceField(
        label="Groups",
        required=False,
        help_text="The first group chosen answers first.",
    )
    voicemail_group = forms.ChoiceField(label="Group that gets the voicemail", required=False)
    menu_key = forms.ChoiceField(label="Menu", required=False)
    new_menu_name = forms.CharField(
        label="Name of the new menu",
        required=False,
        max_length=128,
        help_text="Admins see it; callers hear the greeting, not the name.",
    )
    new_menu_greeting = forms.ChoiceField(label="Greeting callers hear in it", required=False)
    phone_number = forms.CharField(
        label="Outside number",
        required=False,
        max_length=40,
        help_text="International format: + then the country code, e.g. +1 415 555 0123.",
    )
    sms_text = forms.CharField(
        label="Text message",
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    sending_number = forms.ChoiceField(label="Sent from the number", required=False)

    def __init__(
        self,
        *args,
        document: IvrDocument,
        menu: Menu,
        lookups: Lookups,
        route: Route | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.menu = menu
        self.route = route
        if route is not None and isinstance(route.destination, UnknownAction):
            # Kept, options and all, unless the admin chooses another action.
            keep = (
                f"Keep what it does now: an action TalkAdmin cannot edit ({quoted(route.action)})"
            )
            set_choices(self, "action", [(KEEP_ACTION, keep), *ACTION_CHOICES])
        groups = sorted(
            (g for g in lookups.groups.values() if not g.deleted), key=lambda g: g.name.casefold()
        )
        set_choices(self, "group_ids", [(str(g.id), g.name) for g in groups])
        set_choices(
            self,
            "voicemail_group",
            [("", "Choose a group")] + [(str(g.id), g.name) for g in groups],
        )
        set_choices(
            self,
            "menu_key",
            [("", "Choose a menu")]
            + [
                (m.key, f"{m.name} (this menu)" if m.key == menu.key else m.name)
                for m in document.menus
            ]
            + [(NEW_MENU, "A new menu…")],
        )
        greetings = sorted(
            (g for g in lookups.greetings.values() if g.can_play_in_a_menu),
            key=lambda g: g.name.casefold(),
        )
        set_choices(
            self,
            "new_menu_greeting",
            [(NO_GREETING, "No greeting of its own (Zendesk's default)")]
            + [(str(g.id), g.name) for g in greetings],
        )
        numbers = sorted(lookups.phone_numbers.values(), key=lambda n: n.label.casefold())
        texting = [n for n in numbers if n.sms_capable] or numbers
        set_choices(
            self,
            "sending_number",
            [("", "Choose a number")] + [(str(n.id), n.label) for n in texting],
        )

    def key_choices(self) -> list[KeyChoice]:
        """Every key with whether it is free in this menu (the route's own key is free)."""
        chosen = self["keypress"].value()
        own = self.route.keypress if self.route is not None else None
        choices = []
        for keypress in KEYPRESSES:
            taken = self.menu.route(keypress) is not None and keypress != own
            token = keypress_token(keypress)
            choices.append(KeyChoice(token, keypress, key_label(keypress), taken, token == chosen))
        return choices

    def clean_phone_number(self) -> str:
        typed = self.cleaned_data.get("phone_number", "")
        if self.data.get("action") != "phone_number":
            return typed
        number, problem = outside_number_problem(typed)
        if problem:
            raise forms.ValidationError(problem)
        return number

    def clean(self) -> dict[str, Any]:
        data = self.cleaned_data
        action = data.get("action")
        if action == "group" and not data.get("group_ids"):
            self.add_error("group_ids", "Choose at least one group to put callers through to.")
        elif action == "voicemail" and not data.get("voicemail_group"):
            self.add_error("voicemail_group", "Choose the group whose agents get the voicemail.")
        elif action == "menu" and not data.get("menu_key"):
            self.add_error("menu_key", "Choose the menu callers go to.")
        elif action == "menu" and data.get("menu_key") == NEW_MENU:
            data["new_menu_name"] = " ".join((data.get("new_menu_name") or "").split())
            if not data["new_menu_name"]:
                self.add_error("new_menu_name", "Name the new menu callers go to.")
        elif action == "textback":
            if not (data.get("sms_text") or "").strip():
                self.add_error("sms_text", "Type the text message callers receive.")
            if not data.get("sending_number"):
                self.add_error("sending_number", "Choose the number the text is sent from.")
        return data

    @property
    def makes_new_menu(self) -> bool:
        """The key leads to a new menu, made with it (name and greeting in this form)."""
        data = self.cleaned_data
        return data.get("action") == "menu" and data.get("menu_key") == NEW_MENU

    def new_menu_greeting_id(self) -> int | None:
        value = self.cleaned_data.get("new_menu_greeting") or NO_GREETING
        return int(value) if value.isdigit() else None

    @property
    def keypress_value(self) -> str:
        return KEYPRESS_FOR_TOKEN[self.cleaned_data["keypress"]]

    def destination(self) -> Destination | None:
        """Where the route now sends callers; None: as it does now (an action kept as it is)."""
        data = self.cleaned_data
        match data["action"]:
            case "keep":
                return None
            case "group":
                return QueueForGroups(tuple(int(g) for g in data["group_ids"]))
            case "voicemail":
                return Voicemail((int(data["voicemail_group"]),))
            case "menu":
                return GoToMenu(data["menu_key"])
            case "phone_number":
                return TransferToNumber(data["phone_number"])
            case _:
                return TextBack(data["sms_text"].strip(), int(data["sending_number"]))

    @classmethod
    def initial_for(cls, route: Route | None, *, version: int, keypress: str = "") -> dict:
        """The form's starting values: the route as it is, or a free key for a new one."""
        if route is None:
            return {"version": version, "keypress": keypress}
        initial = {
            "version": version,
            "keypress": keypress_token(route.keypress),
            "action": route.action,
        }
        if isinstance(route.destination, UnknownAction):
            initial["action"] = KEEP_ACTION
        match route.destination:
            case QueueForGroups(group_ids):
                initial["group_ids"] = [str(g) for g in group_ids]
            case Voicemail(group_ids):
                initial["voicemail_group"] = str(group_ids[0]) if group_ids else ""
            case GoToMenu(menu_key):
                initial["menu_key"] = menu_key or ""
            case TransferToNumber(phone_number):
                initial["phone_number"] = phone_number
            case TextBack(sms_text, sending_number_id):
                initial["sms_text"] = sms_text
                initial["sending_number"] = str(sending_number_id or "")
        return initial


def first_free_key(menu: Menu) -> str:
    """The key a new route starts on: the first free one in keypad order."""
    for keypress in KEYPRESSES:
        if menu.route(keypress) is None:
            return keypress_token(keypress)
    return ""


class PublishForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = reason_field(
        help_text="Kept in the audit log with the change, for whoever reviews it later.",
        required_message="Say why you are publishing: the audit log keeps it.",
    )
    overwrite = forms.BooleanField(required=False, widget=forms.HiddenInput)
    # With `overwrite`: the conflicts as the admin saw them (PublishPreview.conflicts_seen).
    conflicts_seen = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    # "Keep both": the same-name menus as the admin saw them (PublishPreview.keep_both).
    keep_both = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)


def menu_title(menu: Menu) -> str:
    return quoted(menu.name or "(no name)")
