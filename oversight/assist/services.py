"""Model help: ask (within the project's setting and the writer's budget), stream, decide.

Every request is stored before the provider is called and updated as its answer
arrives, so a failure, a dismissal or a closed tab is recorded like an acceptance.
Nothing here touches the document: an accepted suggestion reaches it as the writer's
own edit (reported kind `model.assist`), which `assist_decide` links to its request.
"""

import time
from collections.abc import Iterator

from django.utils import timezone

from oversight.core.delta import ops_inserted
from oversight.core.provenance import MODEL_ASSIST
from oversight.traces import selectors as traces
from oversight.traces.models import EditEvent
from oversight.workspace.access import can_edit_task
from oversight.workspace.models import Project, Task
from oversight.workspace.providers import OpenAICompatibleProvider, ProviderError, stream_chat
from oversight.workspace.task_settings import settings_for

from .models import AssistRequest
from .prompts import assist_messages
from .selectors import assist_count_today

HELP_OFF = "Model help is off in project '{slug}'; a lead can turn it on in its settings."
CRITIQUE_ONLY = ("Project '{slug}' allows only Critique from the model, not {action}.")
BUDGET_SPENT = ("You have used all {budget} model-help requests for today in '{slug}'; "
                "the budget renews at 00:00 UTC.")
NOT_WRITER = "Only the task's writers may ask the model for help while it is open for editing."
NOT_EDITABLE = "The task is {status}: it is not open for editing."
BAD_RANGE = "The selection {start}–{end} is outside the text at seq {seq} ({size} code points)."
BAD_SEQ = "seq must be between 0 and {last}, not {seq}."
QUOTE_DIFFERS = ("The selected text changed before the request arrived (at seq {seq} it "
                 "reads {got!r}); select it again.")
NOT_YOURS = "Only the writer who asked may decide on this suggestion."
ALREADY_DECIDED = "This suggestion was already {outcome}."
NOT_ANSWERED = "The model has not finished answering; wait for it or dismiss the request."
CANNOT_ACCEPT = "A critique cannot be inserted into the text; dismiss it when done."
NO_EDIT = ("No edit of kind model.assist by you after seq {seq} is stored yet: accept the "
           "suggestion in the editor first.")
DISCONNECTED = "The browser disconnected before the answer was complete."

DECIDED = frozenset({AssistRequest.ACCEPTED, AssistRequest.ACCEPTED_EDITED,
                     AssistRequest.DISMISSED, AssistRequest.FAILED})


class AssistError(Exception):
    """A refused model-help request, with the HTTP status and code to answer."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _check_allowed(task: Task, user, action: str) -> None:
    project = task.project
    if not task.is_editable:
        raise AssistError(409, "not_editable",
                          NOT_EDITABLE.format(status=task.get_status_display().lower()))
    if not can_edit_task(user, task):
        raise AssistError(403, "permission_denied", NOT_WRITER)
    model_help = settings_for(task).model_help  # an experiment's variant may set it
    if model_help == Project.MODEL_HELP_OFF:
        raise AssistError(403, "model_help_off", HELP_OFF.format(slug=project.slug))
    if model_help == Project.MODEL_HELP_CRITIQUE and action != AssistRequest.CRITIQUE:
        raise AssistError(403, "model_help_critique_only",
                          CRITIQUE_ONLY.format(slug=project.slug, action=action.title()))
    if assist_count_today(user=user, project=project) >= project.assist_daily_budget:
        raise AssistError(429, "budget_spent", BUDGET_SPENT.format(
            budget=project.assist_daily_budget, slug=project.slug))


def assist_start(*, task: Task, user, action: str, start: int, end: int,
                 provider: OpenAICompatibleProvider, instruction: str = "",
                 seq: int | None = None, quote: str | None = None) -> AssistRequest:
    """Check and store a request for help on text[start:end] at `seq` (default: now)."""
    _check_allowed(task, user, action)
    last = traces.last_seq(task)
    seq = last if seq is None else seq
    if not 0 <= seq <= last:
        raise AssistError(400, "invalid_parameter", BAD_SEQ.format(last=last, seq=seq))
    text = traces.text_at(task, seq)
    if not 0 <= start <= end <= len(text):
        raise AssistError(400, "invalid_parameter", BAD_RANGE.format(
            start=start, end=end, seq=seq, size=len(text)))
    if quote is not None and text[start:end] != quote:
        raise AssistError(409, "selection_changed", QUOTE_DIFFERS.format(
            seq=seq, got=text[start:end][:80]))
    messages = assist_messages(action=action, instruction=instruction, prompt=task.prompt,
                               text=text, start=start, end=end, rubric=settings_for(task).rubric)
    return AssistRequest.objects.create(
        task=task, user=user, action=action, instruction=instruction, seq=seq, start=start,
        end=end, quote=text[start:end], model=provider.model,
        params={"temperature": provider.temperature, "stream": True}, messages=messages)


def assist_stream(*, assist: AssistRequest,
                  provider: OpenAICompatibleProvider) -> Iterator[dict]:
    """Yield the answer's events ({"event": "delta"|"done"|"error", ...}), recording it.

    The response so far is kept on every outcome; a consumer that stops reading (a
    closed tab) leaves the request failed, with what had arrived.
    """
    began, pieces, outcome = time.monotonic(), [], None
    try:
        for piece in stream_chat(provider, assist.messages):
            if not pieces:
                assist.first_token_ms = int((time.monotonic() - began) * 1000)
            pieces.append(piece)
            yield {"event": "delta", "text": piece}
        outcome = AssistRequest.ANSWERED
    except ProviderError as exc:
        outcome, assist.error = AssistRequest.FAILED, str(exc)
    finally:
        if outcome is None:  # the consumer went away mid-answer (GeneratorExit)
            outcome, assist.error = AssistRequest.FAILED, DISCONNECTED
        assist.response, assist.outcome = "".join(pieces), outcome
        assist.latency_ms = int((time.monotonic() - began) * 1000)
        if outcome == AssistRequest.FAILED:
            assist.decided_at = timezone.now()
        assist.save(update_fields=["response", "outcome", "error", "latency_ms",
                                   "first_token_ms", "decided_at"])
    if outcome == AssistRequest.ANSWERED:
        yield {"event": "done", "id": assist.pk, "response": assist.response,
               "latency_ms": assist.latency_ms}
    else:
        yield {"event": "error", "id": assist.pk, "message": assist.error}


def _linked_edit(assist: AssistRequest) -> EditEvent:
    """Return the writer's first model.assist edit after the request not linked to another."""
    linked = (AssistRequest.objects.filter(task=assist.task, result_seq__isnull=False)
              .values("result_seq"))
    event = (EditEvent.objects.filter(task=assist.task, author=assist.user, kind=MODEL_ASSIST,
                                      seq__gt=assist.seq)
             .exclude(seq__in=linked).order_by("seq").first())
    if event is None:
        raise AssistError(409, "no_edit", NO_EDIT.format(seq=assist.seq))
    return event


def assist_decide(*, assist: AssistRequest, user, outcome: str) -> AssistRequest:
    """Record the writer's decision: `accepted` (edited or not, the edit tells) or `dismissed`."""
    if assist.user_id != user.pk:
        raise AssistError(403, "permission_denied", NOT_YOURS)
    if assist.outcome in DECIDED:
        raise AssistError(409, "already_decided",
                          ALREADY_DECIDED.format(outcome=assist.get_outcome_display().lower()))
    if outcome == AssistRequest.DISMISSED:
        assist.outcome = AssistRequest.DISMISSED
    else:
        if assist.outcome != AssistRequest.ANSWERED:
            raise AssistError(409, "not_answered", NOT_ANSWERED)
        if assist.action == AssistRequest.CRITIQUE:
            raise AssistError(409, "cannot_accept", CANNOT_ACCEPT)
        event = _linked_edit(assist)
        assist.result_seq, assist.kept_text = event.seq, ops_inserted(event.ops)
        # The edit says what the writer kept: the answer as it was, or changed first.
        assist.outcome = (AssistRequest.ACCEPTED if assist.kept_text == assist.response
                          else AssistRequest.ACCEPTED_EDITED)
    assist.decided_at = timezone.now()
    assist.save(update_fields=["outcome", "result_seq", "kept_text", "decided_at"])
    return assist
