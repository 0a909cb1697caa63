from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "oversight.review"
    label = "review"
