from django.apps import AppConfig


class PhoneNumbersConfig(AppConfig):
    name = "numbers"
    verbose_name = "Phone numbers"
