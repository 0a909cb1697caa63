from django.apps import AppConfig


class ExperimentsConfig(AppConfig):
    name = "oversight.experiments"
    label = "experiments"

    def ready(self):
        # The workspace asks for overrides and announces new tasks; it never imports us.
        from oversight.workspace.task_settings import register_override_source, tasks_created

        from . import services

        register_override_source(services.variant_settings_of)
        tasks_created.connect(services.on_tasks_created, dispatch_uid="experiments-assign")
