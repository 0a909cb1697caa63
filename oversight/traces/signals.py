"""A task's quality signals, computed by the core from its stored trace."""

from oversight.core.signals import compute_signals

from . import selectors
from .models import Submission


def task_signals(task, events, final_text: str, notes_count: int,
                 submission: Submission | None) -> dict:
    """Compute the task's quality signals with its project's thresholds."""
    # Both on the trajectory's clock: ms since its first event.
    first_ms = selectors.first_event_ms(task)
    opened_ms = submitted_ms = None
    if first_ms is not None and task.opened_at is not None:
        opened_ms = int(task.opened_at.timestamp() * 1000) - first_ms
    if first_ms is not None and submission is not None:
        submitted_ms = int(submission.submitted_at.timestamp() * 1000) - first_ms
    return compute_signals(selectors.draft_text(task), final_text, events, notes_count,
                           opened_ms, submitted_ms, task.project.thresholds(),
                           known_texts=(task.prompt,))
