from django.apps import AppConfig


class OverlapConfig(AppConfig):
    name = "oversight.overlap"
    label = "overlap"
    verbose_name = "Overlap: sibling tasks, agreement and rankings"
