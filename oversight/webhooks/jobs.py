"""The delivery job, on the `webhooks` queue (oversight.jobs enqueues it with its cause)."""

from django_tasks import task

from .delivery import deliver_lane


@task(queue_name="webhooks")
def deliver(delivery_ids: list[int] | int) -> str:
    """Send the due deliveries of each named delivery's lane, in order (see delivery.py)."""
    if isinstance(delivery_ids, int):  # jobs enqueued before deliveries shared jobs
        delivery_ids = [delivery_ids]
    return "; ".join(deliver_lane(delivery_id) for delivery_id in delivery_ids)
