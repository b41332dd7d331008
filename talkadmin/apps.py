from django.apps import AppConfig


class TalkAdminConfig(AppConfig):
    name = "talkadmin"
    verbose_name = "TalkAdmin"

    def ready(self) -> None:
        from dialpad.pacing import use_shared_budget
        from talkadmin import sign_in  # noqa: F401 - connects the audit of sign-in pauses
        from talkadmin.rate_budgets import dialpad_budget

        use_shared_budget(dialpad_budget)  # dialpad/ may not import talk/'s budget itself
