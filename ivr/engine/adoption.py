"""Creates whose answer was lost: what TalkAdmin sent, and finding what Zendesk made of it.

Zendesk sometimes makes a menu or a route while its answer never arrives (a 500 after applying,
a read timeout, a dropped connection), or the process that sent it dies while it waits. So a
publish notes each create before sending it (`SentCreate`, kept with the draft) and forgets it
once Zendesk has answered either way. A create still noted is one whose answer never came:

- `find_made_menu` looks in the IVR as Zendesk holds it now for a menu matching what was sent
  (same name, same greeting) among the menus TalkAdmin did not know;
- `find_made_route` for a route of the menu it was sent to, with that keypress, action and
  options;
- `adopt_lost_creates` does both for every noted create and gives the draft the menus found
  (their Zendesk ids), so publishing again fills them in instead of creating them twice. Every
  noted create is settled by one clean read: found (adopted), or not made.

Pure logic: no database, no network.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ivr.engine.document import IvrDocument, Route, menu_key_for_id
from ivr.engine.edit import rekey_menu
from ivr.engine.plan import Operation, OperationKind

CreateKind = Literal["menu", "route"]


@dataclass(frozen=True, slots=True)
class SentCreate:
    """A create TalkAdmin sent to Zendesk, as it was sent, until Zendesk's answer settles it."""

    kind: CreateKind
    menu_key: str  # the draft's key of the menu created, or of the menu holding the route
    sentence: str  # the operation's sentence ("A new menu 'Billing' is added, ...")
    change_set_id: int | None = None  # the change set whose call sent it
    name: str = ""  # a menu's name
    greeting_id: int | str | None = None  # a menu's greeting
    menu_id: int | None = None  # a route: the Zendesk id of the menu it was sent to
    keypress: str = ""  # a route's key
    action: str = ""  # a route's action
    options: Mapping[str, Any] = field(default_factory=dict)  # a route's options, as sent

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind,
            "menu_key": self.menu_key,
            "sentence": self.sentence,
            "change_set_id": self.change_set_id,
        }
        if self.kind == "menu":
            data.update(name=self.name, greeting_id=self.greeting_id)
        else:
            data.update(
                menu_id=self.menu_id,
                keypress=self.keypress,
                action=self.action,
                options=dict(self.options),
            )
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "SentCreate":
        kind: CreateKind = "menu" if data.get("kind") == "menu" else "route"
        greeting = data.get("greeting_id")
        menu_id = data.get("menu_id")
        change_set_id = data.get("change_set_id")
        options = data.get("options")
        return cls(
            kind=kind,
            menu_key=str(data.get("menu_key") or ""),
            sentence=str(data.get("sentence") or ""),
            change_set_id=change_set_id if isinstance(change_set_id, int) else None,
            name=str(data.get("name") or ""),
            greeting_id=greeting if isinstance(greeting, int | str) else None,
            menu_id=menu_id if isinstance(menu_id, int) else None,
            keypress=str(data.get("keypress") or ""),
            action=str(data.get("action") or ""),
            options=dict(options) if isinstance(options, Mapping) else {},
        )

    def same(self, other: "SentCreate") -> bool:
        """Whether both note the same create (the change set aside)."""
        return self.to_json() | {"change_set_id": None} == other.to_json() | {"change_set_id": None}


def sent_create(
    operation: Operation,
    *,
    body: Mapping[str, Any],
    menu_id: int | None,
    change_set_id: int | None,
) -> SentCreate | None:
    """What a create operation asks Zendesk to make (None for other operations).

    `body` is the JSON about to be sent (with menu ids filled in); `menu_id` the Zendesk id of
    the menu a route goes into."""
    if operation.kind is OperationKind.CREATE_MENU:
        menu = body.get("ivr_menu") or {}
        return SentCreate(
            kind="menu",
            menu_key=operation.menu_key or "",
            sentence=operation.sentence,
            change_set_id=change_set_id,
            name=str(menu.get("name") or ""),
            greeting_id=menu.get("greeting_id"),
        )
    if operation.kind is OperationKind.CREATE_ROUTE:
        route = body.get("ivr_route") or {}
        return SentCreate(
            kind="route",
            menu_key=operation.menu_key or "",
            sentence=operation.sentence,
            change_set_id=change_set_id,
            menu_id=menu_id,
            keypress=str(route.get("keypress") or ""),
            action=str(route.get("action") or ""),
            options=dict(route.get("options") or {}),
        )
    return None


def find_made_menu(
    create: SentCreate, menus: Iterable[Mapping[str, Any]], *, known_ids: Iterable[int]
) -> dict[str, Any] | None:
    """The menu (Zendesk's JSON) that `create` made, among `menus` as Zendesk lists them now.

    Only a menu TalkAdmin did not know (`known_ids`: the menus it had read or created) with the
    name and greeting that were sent can be it; of several, the newest (Zendesk's ids grow)."""
    known = set(known_ids)
    found = [
        dict(menu)
        for menu in menus
        if isinstance(menu.get("id"), int)
        and menu["id"] not in known
        and menu.get("name") == create.name
        and menu.get("greeting_id") == create.greeting_id
    ]
    return max(found, key=lambda menu: menu["id"]) if found else None


def find_made_route(create: SentCreate, live: IvrDocument) -> Route | None:
    """The route `create` made: in the menu it was sent to, with that keypress, action and
    options (Zendesk's read-only fields aside), if Zendesk holds it now."""
    if create.menu_id is None:
        return None
    menu = live.find_menu(menu_key_for_id(create.menu_id))
    route = menu.route(create.keypress) if menu is not None else None
    if route is None:
        return None
    sent = _route_as_sent(create)
    return route if sent is not None and route.same_configuration(sent) else None


@dataclass(frozen=True, slots=True)
class Adopted:
    """A create whose answer was lost, and what Zendesk holds that it made."""

    create: SentCreate
    menu_id: int | None = None  # the menu made, or the menu holding the route made
    route_id: int | None = None

    @property
    def sentence(self) -> str:
        """ "“A new menu 'Billing' is added, ...” (change #12)", for the audit log."""
        by = f" (sent by change #{self.create.change_set_id})" if self.create.change_set_id else ""
        return f"“{self.create.sentence.rstrip('.')}”{by}"


@dataclass(frozen=True, slots=True)
class Adoption:
    document: IvrDocument  # the draft, its adopted menus keyed by their Zendesk ids
    adopted: tuple[Adopted, ...] = ()
    not_made: tuple[SentCreate, ...] = ()  # noted creates Zendesk does not hold: never made

    @property
    def settled(self) -> bool:
        return bool(self.adopted or self.not_made)


def adopt_lost_creates(
    *,
    document: IvrDocument,
    base: IvrDocument,
    live: IvrDocument,
    live_menus: Sequence[Mapping[str, Any]],
    creates: Sequence[SentCreate],
) -> Adoption:
    """Settle every noted create against the IVR as Zendesk holds it now (`live`, and its menus'
    JSON `live_menus`): a menu found gets its Zendesk id in the draft (`document`); a route
    found needs nothing more (the draft and Zendesk agree on it); the rest were never made."""
    known = {menu.id for menu in (*base.menus, *document.menus) if menu.id is not None}
    adopted: list[Adopted] = []
    not_made: list[SentCreate] = []
    for create in creates:
        if create.kind == "menu":
            made = find_made_menu(create, live_menus, known_ids=known)
            menu = document.find_menu(create.menu_key)
            if made is None:
                not_made.append(create)
                continue
            known.add(made["id"])
            if menu is not None and menu.id is None:
                document = rekey_menu(
                    document,
                    old_key=menu.key,
                    new_key=menu_key_for_id(made["id"]),
                    menu_id=made["id"],
                )
            adopted.append(Adopted(create, menu_id=made["id"]))
        else:
            route = find_made_route(create, live)
            if route is None:
                not_made.append(create)
            else:
                adopted.append(Adopted(create, menu_id=create.menu_id, route_id=route.id))
    return Adoption(document=document, adopted=tuple(adopted), not_made=tuple(not_made))


def _route_as_sent(create: SentCreate) -> Route | None:
    """The route `create` sent, read as Zendesk would return it."""
    sent = {
        "id": 1,
        "name": "sent",
        "menus": [
            {
                "id": create.menu_id,
                "name": "",
                "routes": [
                    {
                        "keypress": create.keypress,
                        "action": create.action,
                        "options": dict(create.options),
                    }
                ],
            }
        ],
    }
    try:
        menu = IvrDocument.from_zendesk(sent).menus[0]
    except ValueError:
        return None
    return menu.route(create.keypress)
