from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "oversight.review"
    label = "review"

    def ready(self):
        from django.db.models.signals import post_save

        from oversight.traces.models import Submission

        from .metrics import register_submission

        # Every submission has its queue row from the moment it is made, whatever path
        # made it (submit, import, tests): the queue is then driven by these rows.
        post_save.connect(register_submission, sender=Submission,
                          dispatch_uid="review-register-submission")
