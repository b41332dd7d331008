"""Getting a new phone number: search what Zendesk offers, then provision one, audited.

    search = NumberSearch(country="GB", kind=LOCAL)
    found = search_numbers(search)
    number = provision_number(search=search, token=found[0].token, address_id=address.id,
                              actor=actor, reason="A line for the London office")

Zendesk hands out numbers by `token` from a search. Provisioning searches again with the same
criteria and takes the number from that answer (its price, its address rule), so nothing the
browser sends is trusted but the token. A number that needs an address is provisioned with the
`provider_reference` of one of the account's addresses that fits its rule; a number that needs a
verified business cannot be provisioned through the API at all (Zendesk's document says so), and
the refusal is explained in those words. Releasing and history: numbers/services/releasing.py and
numbers/services/history.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError

import audit
import mirror.services as mirror
import talk
from audit.actor import Actor
from audit.recording import ReasonRequired
from numbers.countries import country_name
from talk.errors import Invalid, TalkError, Unavailable
from talk.resources import Address, AvailablePhoneNumber, PhoneNumber

ANY, LOCAL, TOLL_FREE = "any", "local", "toll_free"
# Countries where area codes can be searched (Zendesk: "US and Canada only").
AREA_CODE_COUNTRIES = frozenset({"US", "CA"})
# What each address rule of Zendesk's search answer asks of the admin, in plain words.
ADDRESS_RULES = {
    "none": "No address needed",
    "any": "Needs an address (anywhere)",
    "local": "Needs an address in {country}",
    "foreign": "Needs an address outside {country}",
}
# Words in a refusal that mean "this number needs a verified business" (Zendesk's exact wording
# is not documented; these cover the phrasings seen for regulatory requirements).
_VERIFICATION_WORDS = ("business verification", "verified business", "regulatory", "bundle")
ADMIN_CENTER_NUMBERS = "Admin Center > Channels > Talk and email > Talk > Lines"


class BusinessVerificationRequired(Invalid):
    """Zendesk refused the number because it needs a verified business: the API cannot do it."""

    @classmethod
    def from_refusal(cls, error: Invalid) -> BusinessVerificationRequired:
        return cls(
            error.description,
            status=error.status,
            code=error.code,
            details=error.details,
            request_id=error.request_id,
            method=error.method,
            path=error.path,
        )

    @property
    def user_message(self) -> str:
        return (
            "Zendesk only gives this number to a business it has verified, and that cannot be "
            "done through TalkAdmin (Zendesk's API does not support it). Nothing was changed. "
            f"Get this number in Zendesk's own {ADMIN_CENTER_NUMBERS}, which guides you "
            "through the verification, or choose another number here."
        )


@dataclass(frozen=True)
class NumberSearch:
    """What the admin is looking for: `kind` is ANY, LOCAL or TOLL_FREE."""

    country: str
    kind: str = ANY
    area_code: str = ""
    contains: str = ""

    @property
    def country_name(self) -> str:
        return country_name(self.country)


def address_rule(available: AvailablePhoneNumber) -> str:
    """The number's address requirement in words: "Needs an address in United Kingdom"."""
    rule = ADDRESS_RULES.get(available.address_requirements or "none", ADDRESS_RULES["any"])
    return rule.format(country=country_name(available.country_code))


def address_need(available: AvailablePhoneNumber) -> str:
    """The rule as the end of a sentence: "needs an address in United Kingdom"."""
    rule = address_rule(available)
    return rule[0].lower() + rule[1:]


def number_kind(available: AvailablePhoneNumber | PhoneNumber) -> str:
    return "Toll-free" if available.toll_free else "Local"


def capabilities_words(available: AvailablePhoneNumber) -> str:
    """ "Calls and texts", "Calls only"."""
    abilities = available.capabilities or {}
    can = [
        word for key, word in (("sms", "texts"), ("mms", "picture messages")) if abilities.get(key)
    ]
    if not can:
        return "Calls only"
    return "Calls and " + " and ".join(can)


def search_numbers(search: NumberSearch) -> list[AvailablePhoneNumber]:
    """The numbers Zendesk offers for `search` (a read: nothing is audited)."""
    toll_free = {ANY: None, LOCAL: False, TOLL_FREE: True}[search.kind]
    return talk.get_client().search_available_numbers(
        country=search.country,
        area_code=search.area_code or None,
        contains=search.contains or None,
        toll_free=toll_free,
    )


def find_offered(search: NumberSearch, token: str) -> AvailablePhoneNumber:
    """The number `token` stands for, as Zendesk offers it now; ValidationError on "token" when
    it is no longer on offer (someone took it, or the token expired)."""
    for available in search_numbers(search):
        if token and available.token == token:
            return available
    raise ValidationError(
        {
            "token": [
                "Zendesk no longer offers this number (someone may have taken it). "
                "Nothing was changed: search again and choose another."
            ]
        }
    )


def addresses_for(available: AvailablePhoneNumber) -> list[Address]:
    """The account's addresses that meet the number's address rule (none: no address needed)."""
    rule = available.address_requirements or "none"
    if rule == "none":
        return []
    country = (available.country_code or "").upper()
    addresses = talk.get_client().list_addresses()

    def fits(address: Address) -> bool:
        here = (address.country_code or "").upper() == country
        return {"local": here, "foreign": not here}.get(rule, True)

    return sorted((a for a in addresses if fits(a)), key=lambda a: (a.name or "").casefold())


def address_label(address: Address) -> str:
    """ "Northwind Outfitters UK Ltd, 48 Ancoats Street, Manchester, United Kingdom"."""
    parts = [address.name, address.street, address.city, country_name(address.country_code)]
    return ", ".join(part for part in parts if part)


def provision_number(
    *,
    search: NumberSearch,
    token: str,
    address_id: int | None,
    actor: Actor,
    reason: str,
) -> PhoneNumber:
    """Add the offered number `token` to the account, in one audit change set.

    Refusals that send nothing: ReasonRequired; ValidationError on "token" (no longer offered)
    or "address" (needed and missing, or not fitting the rule). Zendesk's refusals raise
    talk.errors.TalkError, BusinessVerificationRequired when the number needs a verified
    business, after the change set has recorded them.
    """
    if not (reason or "").strip():
        raise ReasonRequired()
    available = find_offered(search, token)
    address = _chosen_address(available, address_id)
    shown = available.display_number or available.number or "the number"
    where = f" ({available.location})" if available.location else ""
    registered = f", registered to the address '{address.name}'" if address else ""
    summary = (
        f"Get the {number_kind(available).lower()} number {shown}{where} in "
        f"{country_name(available.country_code)} for {available.price or 'its price'} a month"
        f"{registered}."
    )
    with audit.change_set(
        actor=actor,
        action=audit.Action.PROVISION_PHONE_NUMBER,
        target_type=audit.TargetType.PHONE_NUMBER,
        target_id=None,  # Zendesk gives the id: set_target records it in the outcome
        target_name=shown,
        reason=reason,
        summary=summary,
        before=available.raw,
        names={"address": {address.id: address.name or ""}} if address and address.id else None,
    ) as change:
        try:
            created = talk.get_client().create_phone_number(
                token=available.token or "",
                address_sid=address.provider_reference if address else None,
            )
        except Invalid as refusal:
            # Raised inside the change set, so the log keeps the explanation, not the jargon.
            if _needs_business_verification(refusal):
                raise BusinessVerificationRequired.from_refusal(refusal) from refusal
            raise
        except Unavailable as error:
            created = _made_anyway(available, error)  # a create is never sent twice
            change.confirm_write()
        if created.id is not None:
            change.set_target(created.id)  # so the new number's history begins here
        change.set_after(created.raw)
        change.add_names({"phone_number": {created.id: created.label}} if created.id else {})
        change.set_summary(f"Got{summary[3:-1]}. Zendesk added it to the account.")
    if created.id is not None:
        mirror.record_phone_number(created.raw)  # its settings: the next sync pass reads them
    return created


def _made_anyway(available: AvailablePhoneNumber, error: Unavailable) -> PhoneNumber:
    """The new number, when a create whose answer was lost did add it; else raise `error`.

    The number was on offer, so not in the account, before: finding it there now means the
    create went through."""
    if not error.may_have_applied:
        raise error
    try:
        numbers = talk.get_client().list_phone_numbers()
    except TalkError:
        raise error from None
    found = next((n for n in numbers if n.number and n.number == available.number), None)
    if found is None:
        raise error
    return found


def _chosen_address(available: AvailablePhoneNumber, address_id: int | None) -> Address | None:
    if not available.needs_address:
        return None
    fitting = addresses_for(available)
    rule = address_need(available)
    if not fitting:
        raise ValidationError(
            {
                "address": [
                    f"This number {rule}, and your Zendesk account has no such address yet. "
                    f"Add one in Zendesk's {ADMIN_CENTER_NUMBERS} (Addresses), then come back."
                ]
            }
        )
    chosen = next((a for a in fitting if address_id is not None and a.id == address_id), None)
    if chosen is None:
        raise ValidationError(
            {"address": [f"This number {rule}: choose one of your addresses from the list."]}
        )
    return chosen


def _needs_business_verification(refusal: Invalid) -> bool:
    texts = [refusal.description, *(m for ms in refusal.details.values() for m in ms)]
    text = " ".join(texts).casefold()
    return any(words in text for words in _VERIFICATION_WORDS)
