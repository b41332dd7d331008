from django.apps import AppConfig


class TalkAdminConfig(AppConfig):
    name = "talkadmin"
    verbose_name = "TalkAdmin"

    def ready(self) -> None:
        from talkadmin import sign_in  # noqa: F401 - connects the audit of sign-in pauses
