from django.apps import AppConfig


class JudgeConfig(AppConfig):
    name = "oversight.judge"
    label = "judge"
    verbose_name = "Model judge"
    default_auto_field = "django.db.models.BigAutoField"
