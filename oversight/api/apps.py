from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "oversight.api"
    label = "api"

    def ready(self):
        from . import authentication  # noqa: F401  (registers the schema's token scheme)
