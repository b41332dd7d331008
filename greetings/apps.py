from django.apps import AppConfig


class GreetingsConfig(AppConfig):
    name = "greetings"
    verbose_name = "Greetings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        import audit
        from greetings.services.audit_words import describe_greeting_change

        # The audit pages describe greeting change sets in the greeting's own words.
        audit.register_describer(audit.TargetType.GREETING, describe_greeting_change)
