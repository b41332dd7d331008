from django.apps import AppConfig


class MirrorConfig(AppConfig):
    """The synced copy of the account's Talk configuration (models and services; no pages)."""

    name = "mirror"
    verbose_name = "Synced copy of Zendesk"
    default_auto_field = "django.db.models.BigAutoField"
