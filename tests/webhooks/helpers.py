from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from oversight.jobs import run_pending_jobs
from oversight.webhooks.models import Delivery


def drain() -> int:
    """Run the webhooks queue's ready jobs, as a worker would."""
    return run_pending_jobs(queues=("webhooks",))


def waiting_jobs():
    return DBTaskResult.objects.filter(queue_name="webhooks", status=TaskResultStatus.READY)


def skip_backoff() -> None:
    """Make scheduled retries due now (instead of waiting out their backoff)."""
    waiting_jobs().update(run_after=timezone.now())
    Delivery.objects.filter(state=Delivery.PENDING).update(next_attempt_at=None)
