"""The delivery job, on the `webhooks` queue (oversight.jobs enqueues it with its cause)."""

from django_tasks import task

from .delivery import deliver_lane


@task(queue_name="webhooks")
def deliver(delivery_id: int) -> str:
    """Send `delivery_id`'s lane's due deliveries in order (see delivery.py)."""
    return deliver_lane(delivery_id)
