from django.apps import AppConfig


class IvrConfig(AppConfig):
    name = "ivr"
    verbose_name = "IVRs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        import audit
        from greetings.services import register_draft_uses
        from ivr.services.audit_describer import describe_ivr_change
        from ivr.services.drafts import draft_greeting_uses

        # The audit pages describe IVR change sets with the engine's own sentences.
        audit.register_describer(audit.TargetType.IVR, describe_ivr_change)
        # A greeting a draft's menu would play is not deleted from under it.
        register_draft_uses(draft_greeting_uses)
