from django.apps import AppConfig


class TalkConfig(AppConfig):
    """The Talk API service layer. An app only for its tables (the shared rate budget): it has
    no views, URLs or templates."""

    name = "talk"
    verbose_name = "Talk API"
    default_auto_field = "django.db.models.BigAutoField"
