from django.apps import AppConfig


class WorkerConfig(AppConfig):
    name = "core.worker"
    label = "worker"
    verbose_name = "Background worker"
    default_auto_field = "django.db.models.BigAutoField"
