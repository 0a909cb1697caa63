"""A task's quality signals, computed by the core from its stored trace."""

from oversight.assist.models import AssistRequest
from oversight.core.provenance import SHARE_KEYS, final_shares, provenance_at
from oversight.core.signals import SIGNAL_KEYS, compute_signals

from . import selectors
from .models import Submission

# The fields of a task's `metrics`, in their order: the signals, then the final's origins.
METRIC_KEYS = SIGNAL_KEYS + SHARE_KEYS


def task_signals(task, events, final_text: str, notes_count: int,
                 submission: Submission | None) -> dict:
    """Compute the task's quality signals with its project's thresholds."""
    events = list(events)  # read twice: by the signals and by the provenance
    # Both on the trajectory's clock: ms since its first event.
    first_ms = selectors.first_event_ms(task)
    opened_ms = submitted_ms = None
    if first_ms is not None and task.opened_at is not None:
        opened_ms = int(task.opened_at.timestamp() * 1000) - first_ms
    if first_ms is not None and submission is not None:
        submitted_ms = int(submission.submitted_at.timestamp() * 1000) - first_ms
    draft = selectors.draft_text(task)
    # What model help answered is the task's own text, not outside text, when pasted.
    model_help = tuple(AssistRequest.objects.filter(task=task).exclude(response="")
                       .order_by("id").values_list("response", flat=True))
    signals = compute_signals(draft, final_text, events, notes_count, opened_ms,
                              submitted_ms, task.project.thresholds(),
                              known_texts=(task.prompt,), model_help=model_help)
    # Shares of the text after the last event: the final once submitted (the invariant).
    signals.update(final_shares(provenance_at(draft, events).counts()))
    return signals
