"""The delivery job, on the `webhooks` queue (oversight.jobs enqueues it with its cause)."""

from django_tasks import task

from .delivery import deliver_lane


@task(queue_name="webhooks")
def deliver(delivery_ids: list[int]) -> str:
    """Send the due deliveries of each named delivery's lane, in order (see delivery.py)."""
    return "; ".join(deliver_lane(delivery_id) for delivery_id in delivery_ids)
