"""Reads of model-help requests: today's count for the budget, a task's for its record."""

from datetime import UTC, datetime, time

from django.utils import timezone

from .models import AssistRequest


def assist_count_today(*, user, project) -> int:
    """Return how many model-help requests the user made in the project since 00:00 UTC."""
    midnight = datetime.combine(timezone.now().astimezone(UTC).date(), time.min, tzinfo=UTC)
    return AssistRequest.objects.filter(user=user, task__project=project,
                                        created_at__gte=midnight).count()


def assists_of(task):
    return AssistRequest.objects.filter(task=task).select_related("user").order_by("id")


def assists_of_tasks(task_ids: list[int]):
    """Return the requests of these tasks in one query, by task then oldest first."""
    return (AssistRequest.objects.filter(task_id__in=task_ids).select_related("user")
            .order_by("task_id", "id"))


def assist_record(a: AssistRequest, first_ms: int | None) -> dict:
    """Return the `oversight.trajectory/v1` record of one request (`assists` item)."""
    asked_ms = int(a.created_at.timestamp() * 1000)
    return {"id": a.pk, "seq": a.seq, "t_ms": asked_ms - (first_ms or asked_ms),
            "author": a.user.username, "action": a.action, "instruction": a.instruction,
            "selection": {"start": a.start, "end": a.end, "quote": a.quote},
            "model": a.model, "params": a.params, "messages": a.messages,
            "response": a.response, "latency_ms": a.latency_ms, "outcome": a.outcome,
            "error": a.error, "result_seq": a.result_seq, "kept_text": a.kept_text}
