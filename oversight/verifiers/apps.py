from django.apps import AppConfig


class VerifiersConfig(AppConfig):
    name = "oversight.verifiers"
    label = "verifiers"
    default_auto_field = "django.db.models.BigAutoField"
