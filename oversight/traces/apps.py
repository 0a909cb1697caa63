from django.apps import AppConfig


class TracesConfig(AppConfig):
    name = "oversight.traces"
    label = "traces"
