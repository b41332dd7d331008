"""Countries by name: admins read "Ireland", not "IE"."""

# Where Zendesk Talk sells numbers most often, by name; the form lists these.
COUNTRIES: dict[str, str] = {
    "AU": "Australia", "AT": "Austria", "BE": "Belgium", "BR": "Brazil", "CA": "Canada",
    "CL": "Chile", "CZ": "Czechia", "DK": "Denmark", "FI": "Finland", "FR": "France",
    "DE": "Germany", "HK": "Hong Kong", "HU": "Hungary", "IE": "Ireland", "IL": "Israel",
    "IT": "Italy", "JP": "Japan", "LT": "Lithuania", "MX": "Mexico", "NL": "Netherlands",
    "NZ": "New Zealand", "NO": "Norway", "PL": "Poland", "PT": "Portugal", "PR": "Puerto Rico",
    "RO": "Romania", "SG": "Singapore", "SK": "Slovakia", "ZA": "South Africa", "ES": "Spain",
    "SE": "Sweden", "CH": "Switzerland", "GB": "United Kingdom", "US": "United States",
}  # fmt: skip


def country_name(code: str | None) -> str:
    """The country's name, or its code when TalkAdmin does not know the name."""
    return COUNTRIES.get((code or "").upper(), code or "")
