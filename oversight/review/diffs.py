"""Diffs between two points of a task's trajectory: the draft, any seq, the final."""

from oversight.core.diff import diff_for, side_by_side
from oversight.core.numbers import parse_count
from oversight.traces import selectors as traces
from oversight.traces.models import Submission
from oversight.workspace.models import Task

DRAFT, FINAL = "draft", "final"
VIEWS = ("inline", "side")

BAD_POINT = "'{name}' must be 'draft', 'final' or an event number from 0 to {last}; got '{value}'."
NO_FINAL = "This task has no submitted final yet; compare with an event number instead."
BAD_VIEW = "view must be 'inline' or 'side'; got '{value}'."


class DiffError(ValueError):
    """A diff request that names a point the trajectory does not have."""


def resolve_point(task: Task, name: str, value: str, last: int) -> tuple[str | int, str]:
    """Return (the point, its text) for 'draft', 'final' or a seq."""
    value = (value or "").strip()
    if value == DRAFT:
        return DRAFT, traces.draft_text(task)
    if value == FINAL:
        final = (Submission.objects.filter(task=task).order_by("-round")
                 .values_list("text", flat=True).first())
        if final is None:
            raise DiffError(NO_FINAL)
        return FINAL, final
    seq = parse_count(value)
    if seq is not None and seq <= last:
        return seq, traces.text_at(task, seq)
    raise DiffError(BAD_POINT.format(name=name, last=last, value=value))


def task_diff(task: Task, *, from_: str = DRAFT, to: str = FINAL, view: str = "inline") -> dict:
    """Return the diff of the task's text between two points, as segments or side-by-side rows."""
    if view not in VIEWS:
        raise DiffError(BAD_VIEW.format(value=view))
    last = traces.last_seq(task)
    start, old = resolve_point(task, "from", from_, last)
    end, new = resolve_point(task, "to", to, last)
    kind = task.project.kind
    segments = diff_for(kind, old, new)
    result = {
        "from": start, "to": end, "view": view, "mode": "line" if kind == "code" else "word",
        "inserted": sum(len(t) for op, t in segments if op == "insert"),
        "deleted": sum(len(t) for op, t in segments if op == "delete"),
    }
    if view == "side":
        result["rows"] = side_by_side(segments)
    else:
        result["segments"] = [{"op": op, "text": text} for op, text in segments]
    return result
