from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit log"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from audit.after_migrate import after_migrate
        from audit.describe import set_built_in_describers
        from audit.tasks import close_change_sets_of_lost_run
        from audit.vocabulary import BUILT_IN_DESCRIBERS
        from core.worker.signals import task_run_lost

        task_run_lost.connect(close_change_sets_of_lost_run, dispatch_uid="audit-lost-run")
        set_built_in_describers(BUILT_IN_DESCRIBERS)
        post_migrate.connect(after_migrate, sender=self)
