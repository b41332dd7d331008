from django.apps import AppConfig


class PhoneNumbersConfig(AppConfig):
    name = "numbers"
    verbose_name = "Phone numbers"

    def ready(self) -> None:
        import audit
        from numbers.audit_describer import describe_phone_number_change

        # The audit pages describe phone-number change sets in the catalogue's own words.
        audit.register_describer(audit.TargetType.PHONE_NUMBER, describe_phone_number_change)
