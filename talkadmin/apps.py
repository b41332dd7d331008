from django.apps import AppConfig


class TalkAdminConfig(AppConfig):
    name = "talkadmin"
    verbose_name = "TalkAdmin"
