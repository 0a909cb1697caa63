"""The settings a task is worked under: its project's, unless something overrides them per task.

One owner for "what applies to this task": the editor, model help, the notes rule, the
green-tests rule, review scoring and draft generation all ask `settings_for(task)`
instead of reading the project. Apps above the workspace (experiments) register an
override source here; the workspace never imports them.

`tasks_created` is sent inside the creating transaction with the new tasks (their
assignees already stored), so a receiver's rows commit or roll back with them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.dispatch import Signal

from .models import Task

# Sent as tasks_created.send(sender=Project, project=..., tasks=[...]).
tasks_created = Signal()

# The settings an override may replace, and nothing else.
OVERRIDABLE = ("draft_model", "draft_temperature", "model_help", "notes_per_changed_chars",
               "require_green_tests", "rubric")


@dataclass(frozen=True)
class TaskSettings:
    model_help: str
    notes_per_changed_chars: int
    require_green_tests: bool
    rubric: list = field(default_factory=list)
    draft_model: str = ""  # blank: the configured provider's model
    draft_temperature: float | None = None  # None: the provider's default

    def principle_keys(self) -> list[str]:
        return [p["key"] for p in self.rubric or []]


_sources: list[Callable[[Task], dict]] = []


def register_override_source(source: Callable[[Task], dict]) -> None:
    """Add a function task -> {setting: value} consulted by `settings_for` (idempotent)."""
    if source not in _sources:
        _sources.append(source)


def settings_for(task: Task) -> TaskSettings:
    """The settings in force for the task: the project's, overridden by every source's."""
    project = task.project
    values = {"model_help": project.model_help,
              "notes_per_changed_chars": project.notes_per_changed_chars,
              "require_green_tests": project.require_green_tests,
              "rubric": project.rubric or []}
    for source in _sources:
        values.update({k: v for k, v in source(task).items() if k in OVERRIDABLE})
    return TaskSettings(**values)
