"""Names typed in Zendesk (IVRs, menus, groups, greetings, phone-number nicknames) that carry
markup, quotes, right-to-left controls or sheer length are shown as plain text on every page
that shows them.

A page that shows names from Zendesk adds itself to HOSTILE_PAGES, e.g. the IVR list:

    HOSTILE_PAGES.append(
        HostilePage("IVR list", lambda scene: [("/ivrs/", [i["name"] for i in scene.account.ivrs])])
    )

`scene.account` holds the seeded sandbox records (tests/security/hostile_names.py),
`scene.change_sets` recorded changes to the hostile numbers, `scene.users` users whose display
names are hostile too.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import pytest

import audit
import talk
from audit.actor import Actor
from audit.models import ChangeSet
from core.roles import VIEWER
from ivr.engine.document import menu_key_for_id
from ivr.services.drafts import open_draft
from talkadmin.accounts import create_user
from tests.security.hostile_names import (
    HOSTILE_NAMES,
    HostileAccount,
    assert_shown_as_text,
    seed_hostile_names,
)

pytestmark = pytest.mark.django_db


@dataclass
class Scene:
    account: HostileAccount
    change_sets: list[ChangeSet]
    users: list


@dataclass(frozen=True)
class HostilePage:
    """A page that shows names: `visits(scene)` gives (url, names it must show) pairs."""

    name: str
    visits: Callable[[Scene], Iterable[tuple[str, Sequence[str]]]]
    persona: str = "viewer"  # who opens it: viewer, editor or admin

    def __str__(self) -> str:
        return self.name


def _change_set_pages(scene: Scene) -> Iterable[tuple[str, Sequence[str]]]:
    groups = scene.account.groups
    for index, change_set in enumerate(scene.change_sets):
        old, new = groups[index], groups[(index + 1) % len(groups)]
        yield f"/audit/{change_set.pk}/", [change_set.target_name, old["name"], new["name"]]


def _ivr_pages(scene: Scene) -> Iterable[tuple[str, Sequence[str]]]:
    first = scene.account.ivrs[0]
    names = [first["name"], *(m["name"] for m in scene.account.menus)]
    yield f"/ivrs/{first['id']}/", [*names, *(g["name"] for g in scene.account.groups)]


def _ivr_draft_pages(scene: Scene) -> Iterable[tuple[str, Sequence[str]]]:
    """The first hostile IVR's draft, its forms and its publish page, as an editor sees them."""
    first = scene.account.ivrs[0]
    draft = open_draft(ivr_id=first["id"], actor=Actor.system("test set-up"))
    main = menu_key_for_id(next(m["id"] for m in draft.document["menus"] if m["default"]))
    menus = [m["name"] for m in scene.account.menus]
    groups = [g["name"] for g in scene.account.groups]
    base = f"/ivrs/{first['id']}"
    yield f"{base}/", [first["name"], *menus, *groups]
    yield f"{base}/draft/menus/{main}/routes/0/", [*menus, *groups]
    for menu in scene.account.menus:
        yield f"{base}/draft/menus/{menu_key_for_id(menu['id'])}/", [menu["name"]]
    yield f"{base}/publish/", [first["name"], *menus, *groups]


HOSTILE_PAGES: list[HostilePage] = [
    HostilePage(
        "audit log",
        lambda scene: [("/audit/", [cs.target_name for cs in scene.change_sets])],
    ),
    HostilePage(
        "audit log searched for a name",
        lambda scene: [
            (f"/audit/?text={cs.target_name[:20]}", [cs.target_name]) for cs in scene.change_sets
        ],
    ),
    HostilePage("change set", _change_set_pages),
    HostilePage(
        "phone number list",
        lambda scene: [
            (
                f"/numbers/?ivr={scene.account.ivrs[0]['id']}",
                [n["nickname"] for n in scene.account.phone_numbers]
                + [scene.account.ivrs[0]["name"]],
            )
        ],
    ),
    HostilePage(
        "phone number page",
        lambda scene: [
            (
                f"/numbers/{number['id']}/",
                [number["nickname"], group["name"], scene.account.ivrs[0]["name"]],
            )
            for number, group in zip(scene.account.phone_numbers, scene.account.groups, strict=True)
        ],
    ),
    HostilePage(
        "phone number routing form",
        lambda scene: [
            (
                f"/numbers/{scene.account.phone_numbers[0]['id']}/settings/routing/",
                [g["name"] for g in scene.account.groups] + [i["name"] for i in scene.account.ivrs],
            )
        ],
        persona="editor",
    ),
    HostilePage(
        "phone number greetings form",
        lambda scene: [
            (
                f"/numbers/{scene.account.phone_numbers[0]['id']}/settings/greetings/",
                [g["name"] for g in scene.account.greetings],
            )
        ],
        persona="editor",
    ),
    HostilePage(
        "IVR list", lambda scene: [("/ivrs/", [ivr["name"] for ivr in scene.account.ivrs])]
    ),
    HostilePage("IVR page", _ivr_pages),
    HostilePage("IVR draft, its forms and publish page", _ivr_draft_pages, persona="editor"),
    HostilePage(
        "users",
        lambda scene: [("/users/", [user.get_full_name() for user in scene.users])],
        persona="admin",
    ),
    HostilePage(
        "IVR history",
        lambda scene: [
            (f"/ivrs/{ivr['id']}/history/", [ivr["name"]]) for ivr in scene.account.ivrs
        ],
    ),
    HostilePage(
        "IVR phone numbers",
        lambda scene: [
            (
                f"/ivrs/{scene.account.ivrs[1]['id']}/numbers/",
                [
                    scene.account.ivrs[0]["name"],  # the IVR the numbers answer with now
                    scene.account.ivrs[1]["name"],
                    *[number["nickname"] for number in scene.account.phone_numbers],
                ],
            )
        ],
        persona="editor",
    ),
    HostilePage(
        "IVR delete",
        lambda scene: [
            (
                f"/ivrs/{scene.account.ivrs[0]['id']}/delete/",
                [
                    scene.account.ivrs[0]["name"],
                    *[number["nickname"] for number in scene.account.phone_numbers],
                ],
            )
        ],
        persona="admin",
    ),
    HostilePage(
        "IVR import",
        lambda scene: [(f"/ivrs/{ivr['id']}/import/", [ivr["name"]]) for ivr in scene.account.ivrs],
        persona="editor",
    ),
    HostilePage(
        "release a number",
        lambda scene: [
            (
                f"/numbers/{number['id']}/release/",
                [number["nickname"], group["name"], scene.account.ivrs[0]["name"]],
            )
            for number, group in zip(scene.account.phone_numbers, scene.account.groups, strict=True)
        ],
        persona="admin",
    ),
    HostilePage(
        "number history",
        lambda scene: [
            (f"/numbers/{number['id']}/history/", [number["nickname"], change_set.summary])
            for number, change_set in zip(
                scene.account.phone_numbers, scene.change_sets, strict=True
            )
        ],
    ),
]


def _record_number_changes(account: HostileAccount, actor: Actor) -> list[ChangeSet]:
    """Each hostile number's default group changes to the next hostile group, as an admin
    would through TalkAdmin: a change set with the names as Zendesk returned them."""
    client = talk.get_client()
    groups = account.groups
    names = {"group": {group["id"]: group["name"] for group in groups}}
    change_sets = []
    for index, number in enumerate(account.phone_numbers):
        new_group = groups[(index + 1) % len(groups)]
        before = client.get_phone_number(number["id"]).raw
        with audit.change_set(
            actor=actor,
            action=audit.Action.UPDATE_PHONE_NUMBER,
            target_type=audit.TargetType.PHONE_NUMBER,
            target_id=number["id"],
            target_name=number["nickname"],
            summary=f"Change the default group of {number['nickname']}",
            reason=f"Asked for by {HOSTILE_NAMES[index]}",
            before=before,
            names=names,
        ) as change:
            after = client.update_phone_number(
                number["id"],
                {
                    "group_ids": [groups[index]["id"], new_group["id"]],
                    "default_group_id": new_group["id"],
                },
            )
            change.set_after(after.raw)
        change_sets.append(change.change_set)
    return change_sets


@pytest.fixture
def scene(sandbox, admin) -> Scene:
    account = seed_hostile_names(sandbox.state)
    change_sets = _record_number_changes(account, Actor.for_user(admin))
    users = [
        create_user(
            username=f"hostile{index}",
            password="a perfectly long passphrase",
            role=VIEWER,
            display_name=name[:140],  # a user's name is at most 150 characters
            actor=Actor.system("test set-up"),
        )
        for index, name in enumerate(HOSTILE_NAMES)
    ]
    return Scene(account=account, change_sets=change_sets, users=users)


@pytest.mark.parametrize("page", HOSTILE_PAGES, ids=str)
def test_hostile_names_are_shown_as_plain_text(request, scene, page):
    client = request.getfixturevalue(f"as_{page.persona}")
    visits = list(page.visits(scene))
    assert visits, f"{page.name} names no URL to visit"
    for url, names in visits:
        response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        assert_shown_as_text(response.content.decode(), names, where=url)


def test_the_check_catches_a_name_shown_as_markup():
    """The check itself: a page that pastes a name into its HTML unescaped fails it."""
    for name in HOSTILE_NAMES[:3]:
        with pytest.raises(AssertionError):
            assert_shown_as_text(f"<main><p>{name}</p></main>", [name], where="a careless page")
    with pytest.raises(AssertionError, match="right-to-left"):
        assert_shown_as_text(f"<p>{HOSTILE_NAMES[3]}</p>", [HOSTILE_NAMES[3]], where="a page")
    assert_shown_as_text(
        f"<p><bdi>{HOSTILE_NAMES[3]}</bdi> &lt;b&gt;</p>", [HOSTILE_NAMES[3]], where="a page"
    )
