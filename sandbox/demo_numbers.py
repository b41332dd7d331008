"""The demo account's phone numbers, and the numbers available to provision.

Numbers use ranges reserved for fiction: 555-01xx in North America, Ofcom's drama ranges in the
UK; the Irish ones are in the range Zendesk's own documentation uses.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sandbox.state import SandboxState


def add_phone_numbers(
    state: SandboxState, groups: dict[str, int], greeting: dict[str, int], schedules: dict[str, int]
) -> dict[str, int]:
    """The account's twelve numbers; returns their ids by nickname (else display number)."""
    us, gb, ie = "US", "GB", "IE"
    specs: list[dict[str, Any]] = [
        dict(
            nickname="US Main Support",
            number="+14155550134",
            display_number="+1 (415) 555-0134",
            country_code=us,
            location="CA",
            recorded=True,
            call_recording_consent="always",
            sms_enabled=True,
            group_ids=[groups["Customer Support"]],
            schedule_id=schedules["US Pacific"],
            greeting_ids=[greeting["Acoustic hold music"]],
            settings={"call_recording_delete_after": "6.months", "callback_from_queue": True},
        ),
        dict(
            nickname="US Sales (toll-free)",
            number="+18885550199",
            display_number="+1 (888) 555-0199",
            country_code=us,
            location="",
            toll_free=True,
            group_ids=[groups["Sales"]],
            schedule_id=schedules["US Eastern"],
            recorded=True,
            call_recording_consent="opt_out",
            greeting_ids=[greeting["Recording notice, press 3 to opt out"]],
            categorised_greetings={
                "1": "voicemail_en",
                "2": "available_en",
                "8": greeting["Recording notice, press 3 to opt out"],
            },
        ),
        dict(
            nickname="US Billing Direct",
            number="+12125550147",
            display_number="+1 (212) 555-0147",
            country_code=us,
            location="NY",
            group_ids=[groups["Billing"]],
            default_group_id=groups["Billing"],
            schedule_id=schedules["US Eastern"],
            settings={"voicemail": True, "maximum_queue_wait_time": 5},
        ),
        dict(
            nickname="US VIP Accounts",
            number="+13125550163",
            display_number="+1 (312) 555-0163",
            country_code=us,
            location="IL",
            group_ids=[groups["VIP Accounts"]],
            priority=5,
            settings={
                "voicemail": False,
                "priority": 5,
                "overflow_number": {"enabled": True, "number": "+13125550170"},
            },
        ),
        dict(
            nickname="US Text Line",
            number="+14155550178",
            display_number="+1 (415) 555-0178",
            country_code=us,
            location="CA",
            sms_enabled=True,
            sms_group_id=groups["Customer Support"],
            group_ids=[groups["Customer Support"]],
        ),
        dict(
            nickname="US After-hours",
            number="+16175550121",
            display_number="+1 (617) 555-0121",
            country_code=us,
            location="MA",
            group_ids=[groups["After-hours On-call"]],
            schedule_id=schedules["US Eastern"],
            transcription=True,
            greeting_ids=[greeting["After-hours voicemail"]],
            categorised_greetings={"1": greeting["After-hours voicemail"], "2": "available_en"},
            settings={
                "voicemail_outside_business_hours": True,
                "voicemail_recording_delete_after": "3.months",
            },
        ),
        dict(
            nickname="UK Support London",
            number="+442079460321",
            display_number="+44 20 7946 0321",
            country_code=gb,
            location="London",
            recorded=True,
            call_recording_consent="opt_in",
            group_ids=[groups["Customer Support"]],
            schedule_id=schedules["UK"],
            settings={"call_recording_delete_after": "1.years"},
        ),
        dict(
            nickname="UK Returns Manchester",
            number="+441614960555",
            display_number="+44 161 496 0555",
            country_code=gb,
            location="Manchester",
            group_ids=[groups["Returns & Exchanges"]],
            schedule_id=schedules["UK"],
            settings={"wrap_up_enabled": True, "wrap_up_time_limit": 120},
        ),
        dict(
            nickname="UK Freephone",
            number="+448081570123",
            display_number="+44 808 157 0123",
            country_code=gb,
            location="",
            toll_free=True,
            group_ids=[groups["Sales"]],
            capabilities={"emergency_address": False, "mms": False, "sms": False, "voice": True},
        ),
        dict(
            nickname="Ireland Support Dublin",
            number="+353766801410",
            display_number="+353 76 680 1410",
            country_code=ie,
            location="Dublin",
            recorded=True,
            group_ids=[groups["Customer Support"]],
            schedule_id=schedules["IE"],
            greeting_ids=[greeting["Callback offer"]],
            settings={"callback_from_queue": True, "callback_locale": "en"},
        ),
        dict(
            nickname="Soporte en Español",
            number="+353766801411",
            display_number="+353 76 680 1411",
            country_code=ie,
            location="Dublin",
            group_ids=[groups["Soporte en Español"]],
            schedule_id=schedules["IE"],
            call_recording_consent="never",
            settings={"callback_locale": "es"},
        ),
        dict(
            nickname=None,
            number="+353766801412",
            display_number="+353 76 680 1412",
            country_code=ie,
            location="Dublin",
            outbound_enabled=False,
            group_ids=[groups["Enterprise Onboarding"]],
        ),
    ]
    return {
        (spec.get("nickname") or spec["display_number"]): state.add_phone_number(**spec)["id"]
        for spec in specs
    }


# Sandbox-only mark of an available number that needs a verified business: never shown in a
# search answer (Zendesk's search says nothing about it); provisioning one is refused.
NEEDS_BUSINESS_VERIFICATION = "_needs_business_verification"


def available_numbers() -> list[dict[str, Any]]:
    """Numbers a search can find: US (local and toll-free), GB, IE and DE, some needing an
    address, one (DE) needing a verified business."""

    def available(
        number: str,
        display: str,
        country: str,
        location: str,
        *,
        toll_free: bool = False,
        address: str = "none",
        price: str = "$1.00",
        sms: bool = True,
        business_verification: bool = False,
    ) -> dict[str, Any]:
        found = {
            "number": number,
            "display_number": display,
            "toll_free": toll_free,
            "location": location,
            "country_code": country,
            "token": hashlib.md5(number.encode(), usedforsecurity=False).hexdigest(),
            "price": price,
            "address_requirements": address,
            "capabilities": {"sms": sms, "mms": False, "voice": True},
            "nickname": None,
        }
        if business_verification:
            found[NEEDS_BUSINESS_VERIFICATION] = True
        return found

    return [
        available("+14155550142", "+1 (415) 555-0142", "US", "CA"),
        available("+14155550155", "+1 (415) 555-0155", "US", "CA"),
        available("+15105550117", "+1 (510) 555-0117", "US", "CA"),
        available("+15105550129", "+1 (510) 555-0129", "US", "CA", address="any"),
        available("+12125550185", "+1 (212) 555-0185", "US", "NY"),
        available("+18885550142", "+1 (888) 555-0142", "US", "", toll_free=True, price="$2.00"),
        available(
            "+18775550163", "+1 (877) 555-0163", "US", "", toll_free=True, price="$2.00", sms=False
        ),
        available(
            "+442079460874",
            "+44 20 7946 0874",
            "GB",
            "London",
            address="local",
            price="$1.50",
            sms=False,
        ),
        available(
            "+441614960321",
            "+44 161 496 0321",
            "GB",
            "Manchester",
            address="local",
            price="$1.50",
            sms=False,
        ),
        available(
            "+448081570456", "+44 808 157 0456", "GB", "", toll_free=True, price="$3.00", sms=False
        ),
        available(
            "+353766801420",
            "+353 76 680 1420",
            "IE",
            "Dublin",
            address="local",
            price="$2.50",
            sms=False,
        ),
        available(
            "+353766801421",
            "+353 76 680 1421",
            "IE",
            "Dublin",
            address="local",
            price="$2.50",
            sms=False,
        ),
        available(
            "+3531800555012",
            "+353 1800 555 012",
            "IE",
            "",
            toll_free=True,
            address="foreign",
            price="$4.00",
            sms=False,
        ),
        # Germany's local numbers need a verified business, which the API cannot supply.
        available(
            "+493055501077",
            "+49 30 5550 1077",
            "DE",
            "Berlin",
            address="local",
            price="$3.50",
            sms=False,
            business_verification=True,
        ),
    ]
