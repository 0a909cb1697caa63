from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "oversight.workspace"
    label = "workspace"
