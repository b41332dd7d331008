from django.apps import AppConfig


class IvrConfig(AppConfig):
    name = "ivr"
    verbose_name = "IVRs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        import audit
        from ivr.services.audit_describer import describe_ivr_change

        # The audit pages describe IVR change sets with the engine's own sentences.
        audit.register_describer(audit.TargetType.IVR, describe_ivr_change)
