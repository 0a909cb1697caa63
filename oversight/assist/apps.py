from django.apps import AppConfig


class AssistConfig(AppConfig):
    name = "oversight.assist"
    label = "assist"
    default_auto_field = "django.db.models.BigAutoField"
