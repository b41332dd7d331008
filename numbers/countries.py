"""Countries by name: admins read "Ireland", not "IE".

Names come from django-countries (every ISO 3166-1 country, kept up to date upstream), so a
number in a country TalkAdmin never listed still shows by name ("AR" is "Argentina").
PROVISIONING_COUNTRIES is TalkAdmin's own list: the codes "Get a new number" offers.
"""

from __future__ import annotations

from django_countries import Countries

# Where Zendesk Talk sells numbers most often; "Get a new number" offers these, by name.
PROVISIONING_COUNTRIES = (
    "AU", "AT", "BE", "BR", "CA", "CL", "CZ", "DK", "FI", "FR", "DE", "HK", "HU", "IE", "IL",
    "IT", "JP", "LT", "MX", "NL", "NZ", "NO", "PL", "PT", "PR", "RO", "SG", "SK", "ZA", "ES",
    "SE", "CH", "GB", "US",
)  # fmt: skip


class _Countries(Countries):
    # As admins say it (ISO's "United States of America" is long in a table's cell).
    override = {"US": "United States"}


countries = _Countries()


def country_name(code: str | None) -> str:
    """The country's name, or the code as given when it is no ISO country code."""
    return str(countries.name((code or "").upper()) or code or "") if code else ""


def provisioning_choices() -> list[tuple[str, str]]:
    """(code, name) of the countries "Get a new number" offers, by name."""
    return sorted(
        ((code, country_name(code)) for code in PROVISIONING_COUNTRIES), key=lambda c: c[1]
    )
