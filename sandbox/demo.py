"""The demo account: Northwind Outfitters' support lines, the same on every start.

An outdoor-gear retailer with support in the US, the UK and Ireland: four IVRs (a three-level
"Main support line" with "press 9 to go back" loops, a simple "Sales & orders", an "Ireland &
EU line" and an unassigned "Holiday closure"), twelve phone numbers with varied settings, a
support team's groups (one deleted), greetings of every category (built-in string ids and
custom integer ids), schedules, two addresses, a digital line and numbers to provision.
Phone numbers use ranges reserved for fiction (555-01xx in North America, Ofcom's drama ranges).
"""

from __future__ import annotations

from typing import Any

from sandbox.demo_numbers import add_phone_numbers, available_numbers
from sandbox.state import SandboxState, empty_account

DAY = 24 * 60


def _weekdays(start_hour: int, end_hour: int) -> list[dict[str, int]]:
    """Monday to Friday intervals in minutes since Sunday 00:00, as Zendesk stores them."""
    return [
        {"start_time": day * DAY + start_hour * 60, "end_time": day * DAY + end_hour * 60}
        for day in range(1, 6)
    ]


def demo_account() -> dict[str, Any]:
    """The demo account's records, in the shape SandboxState.load takes."""
    state = SandboxState(empty_account())
    groups = {
        name: state.add_group(name, description=description)["id"]
        for name, description in [
            ("Customer Support", "First line for every caller"),
            ("Technical Support", "Product troubleshooting, tier 2"),
            ("Billing", "Invoices, payments and refunds"),
            ("Returns & Exchanges", "Returns, exchanges and warranty claims"),
            ("Sales", "New orders and quotes"),
            ("VIP Accounts", "Named account managers for wholesale customers"),
            ("Soporte en Español", "Spanish-speaking agents"),
            ("Enterprise Onboarding", "New wholesale partners"),
            ("After-hours On-call", "Urgent issues outside business hours"),
        ]
    }
    state.add_group("Legacy Escalations", deleted=True, description="Merged into Technical Support")

    # Zendesk's default greetings come with every account (empty_account); these are its own,
    # each with a short recording committed under sandbox/recordings/.
    greeting = {
        name: state.add_greeting(name, category_id=category, recording=recording)["id"]
        for name, category, recording in [
            ("Welcome to Northwind Outfitters", 5, "welcome-to-northwind.mp3"),
            ("Orders and billing menu", 5, "orders-and-billing.mp3"),
            ("Technical support menu", 5, "technical-support.mp3"),
            ("Hardware and repairs menu", 5, "hardware-and-repairs.mp3"),
            ("Sales welcome", 5, "sales-welcome.mp3"),
            ("Ireland and EU welcome", 5, "ireland-and-eu-welcome.mp3"),
            ("Holiday closure announcement", 5, "holiday-closure.mp3"),
            ("After-hours voicemail", 1, "after-hours-voicemail.mp3"),
            ("Acoustic hold music", 3, "acoustic-hold-music.mp3"),
            ("Callback offer", 6, "callback-offer.mp3"),
            ("Recording notice, press 3 to opt out", 8, "recording-notice-opt-out.mp3"),
        ]
    }

    schedules = {
        "US Pacific": state.add_schedule(
            "US Pacific business hours",
            time_zone="Pacific Time (US & Canada)",
            intervals=_weekdays(8, 18),
        )["id"],
        "US Eastern": state.add_schedule(
            "US Eastern business hours",
            time_zone="Eastern Time (US & Canada)",
            intervals=_weekdays(9, 17),
        )["id"],
        "UK": state.add_schedule(
            "UK business hours", time_zone="London", intervals=_weekdays(9, 17)
        )["id"],
        "IE": state.add_schedule(
            "Ireland business hours", time_zone="Dublin", intervals=_weekdays(8, 16)
        )["id"],
    }
    state.add_address(
        name="Northwind Outfitters Ireland Ltd",
        street="12 Grand Canal Quay",
        zip="D02 XY45",
        city="Dublin",
        country_code="IE",
        provider_reference="AD4f1c2b9e07d54a3c8e6b1d2f0a9c7e51",
    )
    state.add_address(
        name="Northwind Outfitters UK Ltd",
        street="48 Ancoats Street",
        zip="M4 6DE",
        city="Manchester",
        country_code="GB",
        provider_reference="AD9b3e7f1a2c4d6e8f0a1b3c5d7e9f1a2b",
    )
    state.add_address(
        name="Northwind Outfitters GmbH",
        street="Torstraße 109",
        zip="10119",
        city="Berlin",
        country_code="DE",
        provider_reference="AD2c7e9a4b6d8f0e1a3c5b7d9f2e4a6c8b",
    )

    # Every line is Northwind Outfitters' (default_phone_number's brand_id) until one is moved.
    state.add_brand(
        "Northwind Outfitters", brand_id=360_001_234_567, subdomain="northwind", default=True
    )
    state.add_brand("Northwind Repairs", brand_id=360_001_234_999, subdomain="northwind-repairs")
    numbers = add_phone_numbers(state, groups, greeting, schedules)
    _ivrs(state, groups, greeting, numbers)
    line = {
        "id": state.new_id(),
        "nickname": "Website call button",
        "line_type": "digital",
        "country_code": None,
        "external": False,
        "priority": 0,
        "brand_id": 360_001_234_567,
        "group_ids": [groups["Customer Support"]],
        "default_group_id": groups["Customer Support"],
        "recorded": True,
        "transcription": False,
        "call_recording_consent": "always",
    }
    state.digital_lines[line["id"]] = line
    state.available_numbers = available_numbers()
    return state.to_json()


def _ivrs(
    state: SandboxState, groups: dict[str, int], greeting: dict[str, int], numbers: dict[str, int]
) -> None:
    def group(name: str) -> dict[str, Any]:
        return {"group_ids": [groups[name]]}

    main = state.add_ivr("Main support line")
    home = state.default_menu(main["id"])
    home["greeting_id"] = greeting["Welcome to Northwind Outfitters"]
    orders = state.add_menu(
        main["id"], "Orders & billing", greeting_id=greeting["Orders and billing menu"]
    )
    tech = state.add_menu(
        main["id"], "Technical support", greeting_id=greeting["Technical support menu"]
    )
    hardware = state.add_menu(
        main["id"], "Hardware & repairs", greeting_id=greeting["Hardware and repairs menu"]
    )
    text_line = numbers["US Text Line"]
    for menu, keypress, action, options in [
        (home, "1", "menu", {"menu_id": orders["id"]}),
        (home, "2", "menu", {"menu_id": tech["id"]}),
        (home, "3", "voicemail", group("Customer Support")),
        (
            home,
            "4",
            "textback",
            {
                "sms_text": "Track your order at northwind.example/track",
                "textback_phone_number_id": text_line,
            },
        ),
        (home, "0", "group", group("Customer Support")),
        (home, "default", "group", group("Customer Support")),
        (orders, "1", "group", group("Billing")),
        (
            orders,
            "2",
            "group",
            {"group_ids": [groups["Returns & Exchanges"]], "tags": ["ivr_returns"]},
        ),
        (orders, "3", "group", group("Sales")),
        (orders, "9", "menu", {"menu_id": home["id"]}),
        (orders, "default", "group", group("Billing")),
        (tech, "1", "menu", {"menu_id": hardware["id"]}),
        (tech, "2", "group", group("Technical Support")),
        (tech, "9", "menu", {"menu_id": home["id"]}),
        (tech, "default", "group", group("Technical Support")),
        (
            hardware,
            "1",
            "group",
            {"group_ids": [groups["Technical Support"], groups["Returns & Exchanges"]]},
        ),
        (hardware, "2", "phone_number", {"phone_number": "+14155550188"}),
        (hardware, "9", "menu", {"menu_id": tech["id"]}),
        (hardware, "*", "menu", {"menu_id": home["id"]}),
        (hardware, "default", "group", group("Technical Support")),
    ]:
        state.add_route(menu["id"], keypress, action, options)
    for name in ("US Main Support", "UK Support London"):
        state.phone_numbers[numbers[name]]["ivr_id"] = main["id"]

    sales = state.add_ivr("Sales & orders")
    sales_menu = state.default_menu(sales["id"])
    sales_menu["greeting_id"] = greeting["Sales welcome"]
    state.add_route(sales_menu["id"], "1", "group", group("Sales"))
    state.add_route(sales_menu["id"], "2", "group", group("Billing"))
    state.add_route(sales_menu["id"], "default", "group", group("Sales"))
    state.phone_numbers[numbers["US Sales (toll-free)"]]["ivr_id"] = sales["id"]

    ireland = state.add_ivr("Ireland & EU line")
    ireland_menu = state.default_menu(ireland["id"])
    ireland_menu["greeting_id"] = greeting["Ireland and EU welcome"]
    state.add_route(ireland_menu["id"], "1", "group", group("Customer Support"))
    state.add_route(ireland_menu["id"], "2", "group", group("Soporte en Español"))
    state.add_route(ireland_menu["id"], "3", "voicemail", group("Customer Support"))
    state.add_route(ireland_menu["id"], "default", "group", group("Customer Support"))
    state.phone_numbers[numbers["Ireland Support Dublin"]]["ivr_id"] = ireland["id"]

    holiday = state.add_ivr("Holiday closure")
    holiday_menu = state.default_menu(holiday["id"])
    holiday_menu["greeting_id"] = greeting["Holiday closure announcement"]
    state.add_route(
        holiday_menu["id"],
        "1",
        "textback",
        {
            "sms_text": "We are closed for the holidays. Reply here and we will text you back.",
            "textback_phone_number_id": text_line,
        },
    )
    state.add_route(holiday_menu["id"], "default", "voicemail", group("After-hours On-call"))
