"""Writes of the model judge: request critiques of a round, run them, version the template."""

import logging
import time

from django.db import transaction
from django.utils import timezone
from django_tasks import task as job

from oversight.core.judge import (
    CRITIQUE_SCHEMA,
    DEFAULT_TEMPLATE,
    CritiqueParseError,
    check_template,
    critique_messages,
    parse_critique,
    repair_messages,
)
from oversight.jobs import enqueue
from oversight.traces.models import Submission
from oversight.webhooks.events import CRITIQUE_COMPLETED, emit_task_event
from oversight.workspace.access import is_manager
from oversight.workspace.models import Project, Task
from oversight.workspace.providers import ProviderError, provider_from_settings
from oversight.workspace.task_settings import settings_for

from .models import JudgeTemplate, ModelCritique

log = logging.getLogger(__name__)

NOT_MANAGER = "Only the project's leads and admins may change or re-run the model judge."
NOTHING_SUBMITTED = "This task has no submitted final to critique yet."
NO_RUBRIC = "The project has no rubric principles to critique against."
UNUSABLE_ANSWER = "The model's answer could not be used, even after one repair request: {error}"
UNAVAILABLE = "Critique unavailable: {reason}"

RESPONSE_FORMAT = {"type": "json_schema",
                   "json_schema": {"name": "critique", "strict": True, "schema": CRITIQUE_SCHEMA}}


class JudgeError(ValueError):
    """A refused judge action, with a message the user can act on."""


class JudgeForbidden(JudgeError):
    """The user's role does not allow the action (HTTP 403)."""


def template_in_force(project: Project) -> tuple[int, str]:
    """Return (version, body) of the project's newest template; (0, built-in) when it has none."""
    latest = JudgeTemplate.objects.filter(project=project).order_by("-version").first()
    return (latest.version, latest.body) if latest else (0, DEFAULT_TEMPLATE)


def template_save(*, project: Project, user, body: str) -> JudgeTemplate | None:
    """Store `body` as the project's next template version (nothing when it is unchanged)."""
    if not is_manager(user, project):
        raise JudgeForbidden(NOT_MANAGER)
    try:
        check_template(body)
    except ValueError as exc:
        raise JudgeError(str(exc)) from exc
    version, current = template_in_force(project)
    if body == current:
        return None
    with transaction.atomic():
        return JudgeTemplate.objects.create(project=project, version=version + 1, body=body,
                                            created_by=user)


def _reset(critique: ModelCritique, requested_by) -> ModelCritique:
    critique.status, critique.error, critique.answer = ModelCritique.QUEUED, "", ""
    critique.principles, critique.attempts, critique.latency_ms = [], 0, None
    critique.finished_at, critique.requested_by = None, requested_by
    critique.save()
    enqueue(critique_run, critique.pk)
    return critique


def _request(task: Task, round_: int, target: str, requested_by, *,
             rerun: bool) -> ModelCritique | None:
    critique, created = ModelCritique.objects.get_or_create(
        task=task, round=round_, target=target, defaults={"requested_by": requested_by})
    if created or rerun:
        return _reset(critique, requested_by)
    return None


def critiques_request(*, task: Task, round_: int, requested_by=None,
                      rerun: bool = False) -> list[ModelCritique]:
    """Queue the critiques of a round's final and of the draft; `rerun` starts them afresh.

    The draft is critiqued once per task (it never changes) unless re-run; its row
    carries the round that asked for it.
    """
    with transaction.atomic():
        queued = [_request(task, round_, ModelCritique.FINAL, requested_by, rerun=rerun)]
        draft = ModelCritique.objects.filter(task=task, target=ModelCritique.DRAFT).first()
        if draft is None or rerun:
            queued.append(_request(task, draft.round if draft else round_, ModelCritique.DRAFT,
                                   requested_by, rerun=rerun))
    return [c for c in queued if c is not None]


def critiques_on_submit(*, task: Task, round_: int) -> None:
    """Queue the critiques of a just-submitted round if the project asks for them."""
    if task.project.ai_critique and settings_for(task).rubric:
        critiques_request(task=task, round_=round_)


def critiques_rerun(*, task: Task, user) -> list[ModelCritique]:
    """Start the latest round's critiques afresh (a lead's action, e.g. after an outage)."""
    if not is_manager(user, task.project):
        raise JudgeForbidden(NOT_MANAGER)
    if not settings_for(task).rubric:
        raise JudgeError(NO_RUBRIC)
    latest = Submission.objects.filter(task=task).order_by("-round").first()
    if latest is None:
        raise JudgeError(NOTHING_SUBMITTED)
    return critiques_request(task=task, round_=latest.round, requested_by=user, rerun=True)


def _reviewed_text(critique: ModelCritique) -> str:
    if critique.target == ModelCritique.DRAFT:
        draft = getattr(critique.task, "draft", None)
        return draft.text if draft else ""
    return (Submission.objects.filter(task=critique.task, round=critique.round)
            .values_list("text", flat=True).first() or "")


def _ask(provider, messages: list[dict], critique: ModelCritique) -> str:
    critique.attempts += 1
    reply = provider.chat(messages, response_format=RESPONSE_FORMAT, temperature=0)
    critique.model = reply.model
    critique.answer = reply.text
    return reply.text


def _critique(critique: ModelCritique) -> None:
    """Ask the model, parse its answer (one repair request if unusable), fill `critique`."""
    task = critique.task
    rubric = settings_for(task).rubric  # an experiment's variant may set the rubric
    keys = [p["key"] for p in rubric]
    text = _reviewed_text(critique)
    critique.template_version, template = template_in_force(task.project)
    provider = provider_from_settings(model=task.project.judge_model)
    critique.model = provider.model
    messages = critique_messages(template=template, prompt=task.prompt, text=text, rubric=rubric)
    answer = _ask(provider, messages, critique)
    try:
        parsed = parse_critique(answer, keys=keys, text=text)
    except CritiqueParseError as first:
        answer = _ask(provider, repair_messages(messages, answer, str(first), keys), critique)
        try:
            parsed = parse_critique(answer, keys=keys, text=text)
        except CritiqueParseError as second:
            raise JudgeError(UNUSABLE_ANSWER.format(error=second)) from second
    critique.principles = [p.to_dict() for p in parsed]


@job(queue_name="models")
def critique_run(critique_id: int) -> str:
    """Run one queued critique; a provider failure marks it unavailable, with the reason."""
    critique = (ModelCritique.objects.select_related("task__project", "task__draft")
                .filter(pk=critique_id, status=ModelCritique.QUEUED).first())
    if critique is None:
        return "skipped"  # re-run or deleted since it was queued
    ModelCritique.objects.filter(pk=critique.pk).update(status=ModelCritique.RUNNING)
    started = time.monotonic()
    try:
        _critique(critique)
        critique.status, critique.error = ModelCritique.DONE, ""
    except (ProviderError, JudgeError) as exc:
        log.warning("critique %s of task %s unavailable: %s", critique.pk, critique.task_id, exc)
        critique.status, critique.error = ModelCritique.FAILED, UNAVAILABLE.format(reason=exc)
    critique.latency_ms = int((time.monotonic() - started) * 1000)
    critique.finished_at = timezone.now()
    with transaction.atomic():
        # A re-run may have queued this critique again meanwhile: then its result is stale.
        stored = ModelCritique.objects.filter(pk=critique.pk, status=ModelCritique.RUNNING).update(
            status=critique.status, error=critique.error, model=critique.model,
            template_version=critique.template_version, principles=critique.principles,
            answer=critique.answer, attempts=critique.attempts, latency_ms=critique.latency_ms,
            finished_at=critique.finished_at)
        if stored:
            emit_task_event(CRITIQUE_COMPLETED, task=critique.task, data=_event_data(critique))
    return critique.status


def _event_data(critique: ModelCritique) -> dict:
    """Return the `critique.completed` webhook's data: the critique's outcome and scores.

    `outcome` (done or failed), not `status`: every event's data carries the task's status.
    """
    return {"critique_id": critique.pk, "round": critique.round, "target": critique.target,
            "outcome": critique.status, "model": critique.model,
            "template_version": critique.template_version, "error": critique.error,
            "scores": {p["key"]: p["score"] for p in critique.principles}}
