"""Finding what a create whose answer was lost made: only what matches what was sent, and only
what TalkAdmin did not know already (ivr.engine.adoption, pure)."""

from dataclasses import replace

from ivr.engine.adoption import SentCreate, adopt_lost_creates, find_made_menu, find_made_route
from ivr.engine.document import IvrDocument, menu_key_for_id
from ivr.engine.edit import add_menu

BASE = {
    "id": 7,
    "name": "Line",
    "menus": [
        {
            "id": 100,
            "name": "Main menu",
            "default": True,
            "greeting_id": None,
            "routes": [
                {"id": 1, "keypress": "1", "action": "group", "options": {"group_ids": [5]}}
            ],
        }
    ],
}
BILLING = SentCreate(kind="menu", menu_key="new:b", sentence="A new menu 'Billing' is added.",
                     change_set_id=12, name="Billing", greeting_id=501)  # fmt: skip


def live_with(*menus: dict) -> dict:
    return {**BASE, "menus": [*BASE["menus"], *menus]}


def test_a_noted_create_survives_being_kept_as_json():
    route = SentCreate(kind="route", menu_key="m:100", sentence="Press 2 ...", menu_id=100,
                       keypress="2", action="menu", options={"menu_id": 200})  # fmt: skip
    for create in (BILLING, route):
        assert SentCreate.from_json(create.to_json()) == create
        assert create.same(SentCreate.from_json({**create.to_json(), "change_set_id": 99}))


def test_only_an_unknown_menu_with_the_name_and_greeting_sent_is_the_one_made():
    menus = [
        {"id": 150, "name": "Billing", "greeting_id": 501},  # known already (say, in the base)
        {"id": 160, "name": "Billing", "greeting_id": 502},  # another greeting
        {"id": 170, "name": "billing", "greeting_id": 501},  # another spelling
        {"id": 180, "name": "Billing", "greeting_id": 501},
    ]
    assert find_made_menu(BILLING, menus, known_ids={100, 150})["id"] == 180
    assert find_made_menu(BILLING, menus[:3], known_ids={100, 150}) is None


def test_a_route_counts_as_made_only_with_the_keypress_action_and_options_sent():
    live = IvrDocument.from_zendesk(BASE)
    sent = SentCreate(kind="route", menu_key="m:100", sentence="", menu_id=100, keypress="1",
                      action="group", options={"group_ids": [5]})  # fmt: skip
    assert find_made_route(sent, live).id == 1
    other = replace(sent, options={"group_ids": [6]})
    assert find_made_route(other, live) is None


def test_adopting_gives_the_drafts_new_menu_its_zendesk_id_and_settles_every_create():
    base = IvrDocument.from_zendesk(BASE)
    draft = add_menu(base, name="Billing", greeting_id=501, key="new:b")
    never = SentCreate(kind="menu", menu_key="new:x", sentence="A new menu 'Sales' is added.",
                       name="Sales")  # fmt: skip
    live_json = live_with({"id": 180, "name": "Billing", "greeting_id": 501, "routes": []})

    adoption = adopt_lost_creates(
        document=draft,
        base=base,
        live=IvrDocument.from_zendesk(live_json),
        live_menus=live_json["menus"],
        creates=[BILLING, never],
    )

    assert adoption.document.find_menu("new:b") is None
    assert adoption.document.find_menu(menu_key_for_id(180)).id == 180
    assert [a.menu_id for a in adoption.adopted] == [180]
    assert adoption.adopted[0].sentence == "“A new menu 'Billing' is added” (sent by change #12)"
    assert adoption.not_made == (never,)
