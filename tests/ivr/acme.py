"""A realistic account for the IVR engine's tests: Acme's support line, as Zendesk returns it.

Main menu (heard first): 1 -> the menu 'Billing', 2 -> the group 'Tier 1', 3 -> a text message,
0 -> an outside number, default -> voicemail for 'Support'.
Billing: 1 -> the group 'Billing', 2 -> voicemail for 'Billing', 9 -> back to 'Main menu',
default -> the group 'Billing'.
"""

from typing import Any

from ivr.engine.document import IvrDocument
from ivr.engine.lookups import Lookups

IVR_ID = 360001
MAIN_MENU_ID = 100
BILLING_MENU_ID = 200
MAIN = f"m:{MAIN_MENU_ID}"
BILLING = f"m:{BILLING_MENU_ID}"

SUPPORT, TIER_1, BILLING_GROUP, TIER_2, OLD_TEAM = 10, 11, 12, 13, 14
WELCOME, BILLING_OPTIONS, HOLIDAY_NOTICE, HOLD_MUSIC = 501, 502, 503, 504
MAIN_LINE, SALES_LINE, UK_LINE, WEB_LINE = 31, 32, 33, 34


def route_json(
    route_id: int, keypress: str, action: str, option_text: str | None = "", **options: Any
) -> dict[str, Any]:
    """A route as Zendesk returns it; option_text "" means "Zendesk's usual label"."""
    return {
        "action": action,
        "greeting": None,
        "id": route_id,
        "keypress": keypress,
        "option_text": option_text,
        "options": options,
        "overflow_options": [],
    }


def menu_json(
    menu_id: int,
    name: str,
    routes: list[dict[str, Any]],
    *,
    default: bool = False,
    greeting_id: int | str | None = None,
) -> dict[str, Any]:
    return {
        "default": default,
        "greeting_id": greeting_id,
        "id": menu_id,
        "name": name,
        "routes": routes,
    }


def ivr_json(
    menus: list[dict[str, Any]],
    *,
    name: str = "Acme support",
    phone_number_ids: tuple[int, ...] = (MAIN_LINE,),
) -> dict[str, Any]:
    return {
        "id": IVR_ID,
        "menus": menus,
        "name": name,
        "phone_number_ids": list(phone_number_ids),
        "phone_number_names": ["Main line"] if MAIN_LINE in phone_number_ids else [],
    }


def acme_ivr_json() -> dict[str, Any]:
    return ivr_json(
        [
            menu_json(
                MAIN_MENU_ID,
                "Main menu",
                [
                    route_json(1001, "1", "menu", "Billing", menu_id=BILLING_MENU_ID),
                    route_json(1002, "2", "group", "Tier 1", group_ids=[TIER_1]),
                    route_json(
                        1003,
                        "3",
                        "textback",
                        None,
                        sms_text="Track your order at acme.example/track",
                        textback_phone_number_id=MAIN_LINE,
                    ),
                    route_json(1004, "0", "phone_number", None, phone_number="+442079460958"),
                    route_json(1005, "default", "voicemail", "Support", group_ids=[SUPPORT]),
                ],
                default=True,
                greeting_id=WELCOME,
            ),
            menu_json(
                BILLING_MENU_ID,
                "Billing",
                [
                    route_json(2001, "1", "group", "Billing", group_ids=[BILLING_GROUP]),
                    route_json(2002, "2", "voicemail", "Billing", group_ids=[BILLING_GROUP]),
                    route_json(2003, "9", "menu", "Main menu", menu_id=MAIN_MENU_ID),
                    route_json(2004, "default", "group", "Billing", group_ids=[BILLING_GROUP]),
                ],
                greeting_id=BILLING_OPTIONS,
            ),
        ]
    )


def acme_ivr() -> IvrDocument:
    return IvrDocument.from_zendesk(acme_ivr_json())


def acme_lookups(number_changes: dict[int, dict[str, Any]] | None = None) -> Lookups:
    """Acme's groups, greetings and numbers; `number_changes` edits numbers' JSON by id."""
    numbers = {
        MAIN_LINE: {
            "id": MAIN_LINE,
            "name": "Main line",
            "nickname": "Main line",
            "number": "+15105550100",
            "display_number": "+1 (510) 555-0100",
            "capabilities": {"sms": True, "mms": False, "voice": True},
            "sms_enabled": True,
            "line_type": "phone",
            "ivr_id": IVR_ID,
            "call_recording_consent": "always",
            "settings": {"callback_from_queue": False},
        },
        SALES_LINE: {
            "id": SALES_LINE,
            "name": "Sales line",
            "number": "+15105550101",
            "display_number": "+1 (510) 555-0101",
            "capabilities": {"sms": True, "voice": True},
            "sms_enabled": False,
            "line_type": "phone",
            "ivr_id": None,
        },
        UK_LINE: {
            "id": UK_LINE,
            "name": "+44 20 7946 0000",
            "number": "+442079460000",
            "display_number": "+44 20 7946 0000",
            "capabilities": {"sms": False, "voice": True},
            "sms_enabled": False,
            "line_type": "phone",
            "ivr_id": None,
        },
        WEB_LINE: {
            "id": WEB_LINE,
            "name": "Website calls",
            "number": "",
            "line_type": "digital",
            "ivr_id": None,
        },
    }
    for number_id, changes in (number_changes or {}).items():
        numbers[number_id].update(changes)
    return Lookups.from_zendesk(
        groups=[
            {"id": SUPPORT, "name": "Support", "deleted": False},
            {"id": TIER_1, "name": "Tier 1", "deleted": False},
            {"id": BILLING_GROUP, "name": "Billing", "deleted": False},
            {"id": TIER_2, "name": "Tier 2", "deleted": False},
            {"id": OLD_TEAM, "name": "Old team", "deleted": True},
        ],
        greetings=[
            {"id": WELCOME, "name": "Welcome to Acme", "category_id": 5, "pending": False},
            {"id": BILLING_OPTIONS, "name": "Billing options", "category_id": 5},
            {"id": HOLIDAY_NOTICE, "name": "Holiday notice", "category_id": 5, "pending": True},
            {"id": HOLD_MUSIC, "name": "Hold music", "category_id": 4},
            {"id": "ivr_none", "name": "No IVR greeting", "category_id": 5},
            {"id": "voicemail_en", "name": "Default voicemail", "category_id": 1},
        ],
        phone_numbers=list(numbers.values()),
    )
