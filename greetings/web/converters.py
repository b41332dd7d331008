"""Greeting ids in addresses: the account's own are numbers, Zendesk's defaults words
("voicemail_en", "callback-confirmation_en")."""


class GreetingIdConverter:
    regex = r"[0-9]+|[A-Za-z][A-Za-z0-9_-]*"

    def to_python(self, value: str) -> int | str:
        return int(value) if value.isdigit() else value

    def to_url(self, value: int | str) -> str:
        return str(value)
