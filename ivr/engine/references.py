"""Moving an IVR document to another IVR or account: its groups, greetings and numbers by name.

`fit_to_ivr` makes an imported document the desired state of a given Zendesk IVR: its first
menu becomes that IVR's default menu (Zendesk decides which menu callers hear first), menus
named like one of that IVR's menus take its place (so they are changed, not deleted and
created), and the rest become new menus.

An exported IVR names every group, greeting and sending number it uses (`ExportNames`). On
import, `map_references` points each one at this account's group or greeting of the same name
(ignoring case), and a text-back's sending number at this account's number with the same
digits. What cannot be found is left out, never pointed at an unrelated id, and reported in a
plain sentence; lint then asks for a replacement before the IVR can be published. Pure logic.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from ivr.engine.destinations import QueueForGroups, TextBack, Voicemail
from ivr.engine.document import IvrDocument, Menu, Route, new_menu_key
from ivr.engine.edit import rekey_menu
from ivr.engine.frozen_json import EMPTY
from ivr.engine.lookups import Lookups
from ivr.engine.wording import keypress_subject, quoted


@dataclass(frozen=True)
class ExportNames:
    """What the exported IVR's ids stood for in the account it came from."""

    groups: dict[int, str] = field(default_factory=dict)
    greetings: dict[int | str, str] = field(default_factory=dict)
    numbers: dict[int, str] = field(default_factory=dict)  # id -> E.164 number
    number_names: dict[int, str] = field(default_factory=dict)


def map_references(
    document: IvrDocument, *, names: ExportNames | None, lookups: Lookups
) -> tuple[IvrDocument, list[str]]:
    """The document with this account's ids, and a sentence for each reference left out.

    `names` None: the file carried no names (a raw Zendesk IVR), so an id is kept only when
    this account has it too.
    """
    mapper = _Mapper(names, lookups)
    menus = tuple(mapper.menu(menu) for menu in document.menus)
    return replace(document, menus=menus), mapper.unmapped


class _Mapper:
    def __init__(self, names: ExportNames | None, lookups: Lookups) -> None:
        self.names = names
        self.lookups = lookups
        self.unmapped: list[str] = []
        self.groups_by_name = _by_name(
            (group.name, group.id) for group in lookups.groups.values() if not group.deleted
        )
        self.greetings_by_name = _by_name(
            (greeting.name, greeting.id)
            for greeting in lookups.greetings.values()
            if greeting.can_play_in_a_menu
        )
        self.numbers_by_digits = {
            number.number: number.id for number in lookups.phone_numbers.values() if number.number
        }

    def menu(self, menu: Menu) -> Menu:
        greeting_id = menu.greeting_id
        if greeting_id is not None:
            greeting_id = self.greeting(greeting_id, menu)
        routes = tuple(self.route(route, menu) for route in menu.routes)
        return replace(menu, greeting_id=greeting_id, routes=routes)

    def greeting(self, greeting_id: int | str, menu: Menu) -> int | str | None:
        if self.names is None or isinstance(greeting_id, str):
            # Built-in greetings ("ivr_none") are the same in every account.
            if greeting_id in self.lookups.greetings:
                return greeting_id
            name = None
        else:
            name = self.names.greetings.get(greeting_id)
            found = self.greetings_by_name.get(_key(name)) if name else None
            if found is not None:
                return found
        what = f"the greeting {quoted(name)}" if name else "a greeting"
        self.unmapped.append(
            f"The menu {quoted(menu.name)} played {what}, which this account does not have: "
            "it has no greeting for now; choose one before publishing."
        )
        return None

    def route(self, route: Route, menu: Menu) -> Route:
        destination = route.destination
        subject = f"{keypress_subject(route.keypress)} in menu {quoted(menu.name)}"
        if isinstance(destination, QueueForGroups | Voicemail):
            group_ids = tuple(
                mapped
                for group_id in destination.group_ids
                if (mapped := self.group(group_id, subject)) is not None
            )
            destination = replace(destination, group_ids=group_ids)
        elif isinstance(destination, TextBack) and destination.sending_number_id is not None:
            sender = self.sending_number(destination.sending_number_id, subject)
            destination = replace(destination, sending_number_id=sender)
        # Ids and Zendesk's labels belong to the IVR the route came from.
        return replace(route, destination=destination, id=None, read_only=EMPTY)

    def group(self, group_id: int, subject: str) -> int | None:
        if self.names is None:
            group = self.lookups.groups.get(group_id)
            if group is not None and not group.deleted:
                return group_id
            name = None
        else:
            name = self.names.groups.get(group_id)
            found = self.groups_by_name.get(_key(name)) if name else None
            if found is not None:
                return found
        what = f"the group {quoted(name)}" if name else "a group"
        self.unmapped.append(
            f"{subject} went to {what}, which this account does not have: "
            "it is left out; choose a group before publishing."
        )
        return None

    def sending_number(self, number_id: int, subject: str) -> int | None:
        if self.names is None:
            if number_id in self.lookups.phone_numbers:
                return number_id
            digits = None
        else:
            digits = self.names.numbers.get(number_id)
            found = self.numbers_by_digits.get(digits) if digits else None
            if found is not None:
                return found
        shown = (self.names.number_names.get(number_id) if self.names else None) or digits
        what = f"from {shown}" if shown else "from a number"
        self.unmapped.append(
            f"{subject} sent a text message {what}, which is not one of this account's numbers: "
            "choose a sending number before publishing."
        )
        return None


def _by_name[Identity](pairs: Iterable[tuple[str, Identity]]) -> dict[str, Identity]:
    found: dict[str, Identity] = {}
    for name, identity in sorted(pairs, key=lambda pair: str(pair[1])):
        found.setdefault(_key(name), identity)
    return found


def _key(name: object) -> str:
    return " ".join(str(name).split()).casefold()


def fit_to_ivr(document: IvrDocument, *, live: IvrDocument, name: str) -> IvrDocument:
    """The document as the desired state of the Zendesk IVR `live`, called `name`."""
    imported_first = document.default_menu or (document.menus[0] if document.menus else None)
    live_first = live.default_menu
    others = {_key(menu.name): menu for menu in live.menus if not menu.default}
    targets: dict[str, Menu | None] = {}
    for menu in document.menus:
        if menu is imported_first and live_first is not None:
            targets[menu.key] = live_first
        else:
            targets[menu.key] = others.pop(_key(menu.name), None)
    # Through temporary keys: the file's keys may be this IVR's keys for other menus.
    temporary = {menu.key: new_menu_key() for menu in document.menus}
    for old_key, key in temporary.items():
        document = rekey_menu(document, old_key=old_key, new_key=key)
    for old_key, target in targets.items():
        key = target.key if target is not None else new_menu_key()
        document = rekey_menu(document, old_key=temporary[old_key], new_key=key)
    menus = []
    for menu in document.menus:
        target = live.find_menu(menu.key)
        menus.append(
            replace(
                menu,
                id=target.id if target is not None else None,
                default=target is not None and target.default,
            )
        )
    return replace(
        document,
        id=live.id,
        name=name,
        menus=tuple(menus),
        phone_number_ids=live.phone_number_ids,
        phone_number_names=live.phone_number_names,
        extra=live.extra,
    )


@dataclass(frozen=True)
class Referenced:
    """The ids an IVR document refers to outside itself."""

    group_ids: tuple[int, ...]
    greeting_ids: tuple[int | str, ...]
    number_ids: tuple[int, ...]  # text-back sending numbers


def referenced_ids(document: IvrDocument) -> Referenced:
    groups: dict[int, None] = {}
    greetings: dict[int | str, None] = {}
    numbers: dict[int, None] = {}
    for menu in document.menus:
        if menu.greeting_id is not None:
            greetings[menu.greeting_id] = None
        for route in menu.routes:
            destination = route.destination
            if isinstance(destination, QueueForGroups | Voicemail):
                groups.update(dict.fromkeys(destination.group_ids))
            elif isinstance(destination, TextBack) and destination.sending_number_id is not None:
                numbers[destination.sending_number_id] = None
    return Referenced(tuple(groups), tuple(greetings), tuple(numbers))
