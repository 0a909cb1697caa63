"""Generate a task's draft with a provider: the draft is stored only if the provider delivers."""

from typing import Protocol

from django.db import IntegrityError, transaction

from .models import Draft, Task
from .providers import GeneratedDraft, OpenAICompatibleProvider, provider_from_settings
from .services import DRAFT_EXISTS, DraftExists, draft_create
from .task_settings import settings_for

DOCUMENT_STARTED = ("Task {task} was opened in the editor without a draft; a draft added now "
                    "would not be the text its writers started from.")


class DraftProvider(Protocol):
    def generate(self, prompt: str) -> GeneratedDraft: ...


class DocumentStarted(ValueError):
    pass


def _refuse_if_drafted_or_started(task: Task) -> None:
    if Draft.objects.filter(task=task).exists():
        raise DraftExists(DRAFT_EXISTS.format(task=task))
    # The editor stores the draft as checkpoint 0 when it first opens a task's document.
    if task.checkpoints.exists():
        raise DocumentStarted(DOCUMENT_STARTED.format(task=task))


def provider_for(task: Task) -> OpenAICompatibleProvider:
    """The configured provider, with the draft model and temperature in force for the task."""
    in_force = settings_for(task)
    provider = provider_from_settings(model=in_force.draft_model)
    if in_force.draft_temperature is not None:
        provider.temperature = in_force.draft_temperature
    return provider


def draft_generate(*, task: Task, provider: DraftProvider) -> Draft:
    """Ask the provider for the task's draft and store it; on any failure store nothing."""
    _refuse_if_drafted_or_started(task)
    # The provider call may take a minute: it must not hold a transaction (SQLite locks writers).
    generated = provider.generate(task.prompt)
    try:
        with transaction.atomic():
            _refuse_if_drafted_or_started(task)
            return draft_create(task=task, text=generated.text, model=generated.model,
                                params=generated.params, source=Draft.GENERATED)
    except IntegrityError as exc:  # another request stored a draft in the meantime
        raise DraftExists(DRAFT_EXISTS.format(task=task)) from exc
