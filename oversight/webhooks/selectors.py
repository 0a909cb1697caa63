"""Reads of webhooks: a project's webhooks and a webhook's deliveries with their attempts."""

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import Attempt, Delivery, Webhook


def webhooks_of(*, project) -> QuerySet[Webhook]:
    """The project's webhooks, each with how many deliveries are still undone or failed."""
    return (Webhook.objects.filter(project=project)
            .annotate(undone=Count("deliveries", filter=Q(deliveries__state__in=Delivery.UNDONE)),
                      failed=Count("deliveries", filter=Q(deliveries__state=Delivery.FAILED)))
            .order_by("id"))


def webhook_get(*, webhook_id: int) -> Webhook | None:
    return Webhook.objects.select_related("project").filter(pk=webhook_id).first()


def deliveries_of(*, webhook: Webhook) -> QuerySet[Delivery]:
    """The webhook's deliveries, newest first, with their attempts in order."""
    return (Delivery.objects.filter(webhook=webhook)
            .prefetch_related(Prefetch("attempts", queryset=Attempt.objects.order_by("number")))
            .order_by("-id"))


def delivery_get(*, webhook: Webhook, delivery_id: int) -> Delivery | None:
    return Delivery.objects.filter(webhook=webhook, pk=delivery_id).first()
