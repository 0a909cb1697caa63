"""The events webhooks carry, and the one call that emits them where they happen.

Emitting writes a `Delivery` row per subscribed webhook and enqueues its job in the
caller's transaction (oversight.jobs): if the cause rolls back, nothing is sent; if it
commits, the job sends after the commit. No request ever waits on a receiver.

To emit a new event from another app (verifiers, critiques), add its name to EVENTS
and call, inside the transaction that records it:

    emit_task_event("verifier.completed", task=task, data={"verifier": ..., "passed": ...})

`data` must be JSON-serialisable; the payload's other keys are filled in here.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from .delivery import deliveries_create

TASK_IMPORTED = "task.imported"
TASK_SUBMITTED = "task.submitted"
TASK_REVIEWED = "task.reviewed"
TASK_APPROVED = "task.approved"
TASK_CHANGES_REQUESTED = "task.changes_requested"
TASK_REJECTED = "task.rejected"
VERIFIER_COMPLETED = "verifier.completed"
CRITIQUE_COMPLETED = "critique.completed"
TEST = "webhook.test"

# What a lead may subscribe to, in the order the page lists them.
EVENTS = (TASK_IMPORTED, TASK_SUBMITTED, TASK_REVIEWED, TASK_APPROVED, TASK_CHANGES_REQUESTED,
          TASK_REJECTED, VERIFIER_COMPLETED, CRITIQUE_COMPLETED)

# A review's verdict → the event that names it (beside task.reviewed).
VERDICT_EVENTS = {"approve": TASK_APPROVED, "request_changes": TASK_CHANGES_REQUESTED,
                  "reject": TASK_REJECTED}


def absolute(path: str) -> str:
    return settings.PUBLIC_BASE_URL + path


def task_url(task_id: int) -> str:
    return absolute(reverse("task-detail", kwargs={"pk": task_id}))


def export_url(*, project_slug: str, task_id: int, round: int) -> str:
    """The export of one task's record of one round (GET /api/export/ filters)."""
    return absolute(reverse("export") + f"?project={project_slug}&task={task_id}&round={round}")


def task_payload(event: str, *, project_slug: str, task_id: int | None, round: int | None,
                 data: dict) -> dict:
    """The body's keys except `delivered_at`, which each attempt stamps."""
    return {"event": event, "project": project_slug, "task_id": task_id, "round": round,
            "data": data}


def _task_data(task, data: dict | None) -> dict:
    return {"task_url": task_url(task.pk), "external_id": task.external_id,
            "status": task.status, **(data or {})}


def emit_task_event(event: str, *, task, data: dict | None = None) -> int:
    """Queue `event` about `task` for the project's webhooks that want it; return how many."""
    return emit_many(event, tasks=[task], data=data)


def emit_many(event: str, *, tasks, data: dict | None = None) -> int:
    """Queue one `event` per task (all of one project), e.g. a batch of imported tasks."""
    tasks = list(tasks)
    if not tasks:
        return 0
    if event not in EVENTS:
        raise ValueError(f"Unknown webhook event '{event}'; add it to EVENTS first.")
    project = tasks[0].project
    payloads = [(task.pk, task_payload(event, project_slug=project.slug, task_id=task.pk,
                                       round=task.round, data=_task_data(task, data)))
                for task in tasks]
    return len(deliveries_create(project_id=project.pk, event=event, payloads=payloads))


def submission_data(submission) -> dict:
    """What `task.submitted` says of the frozen final."""
    return {"submission_id": submission.pk, "sha256": submission.sha256,
            "submitted_by": submission.submitted_by.username, "events": submission.events}


def emit_review(*, task, review) -> int:
    """A verdict: `task.reviewed` with it, then the event that names it, in that order."""
    data = {"review_id": review.pk, "verdict": review.verdict, "scores": review.scores,
            "reviewer": review.reviewer.username, "comment": review.comment}
    sent = emit_task_event(TASK_REVIEWED, task=task, data=data)
    extra = {}
    if review.verdict == "approve":
        extra["export_url"] = export_url(project_slug=task.project.slug, task_id=task.pk,
                                         round=review.round)
    return sent + emit_task_event(VERDICT_EVENTS[review.verdict], task=task,
                                  data={**data, **extra})
