"""Focus-lost intervals of the editor's window: stored as reported, read for the record."""

from oversight.core.evidence import on_server_clock

from .models import FocusLoss

MAX_PER_TASK = 10_000  # more is a flood, not attention: the rest are dropped


def record_focus_loss(*, task_id: int, author_id: int, client_id: int, lost_ms: int,
                      back_ms: int, sent_ms: int, server_ms: int) -> bool:
    """Store one interval a writer's window lost focus (client clock); False if dropped."""
    if FocusLoss.objects.filter(task_id=task_id).count() >= MAX_PER_TASK:
        return False
    lost, back = on_server_clock(lost_ms, back_ms, sent_ms, server_ms)
    FocusLoss.objects.create(task_id=task_id, author_id=author_id, client_id=client_id,
                             lost_ms=lost, back_ms=back)
    return True


def focus_rows(task_ids: list[int]) -> dict[int, list[tuple]]:
    """Return {task id: its (author, client, lost_ms, back_ms) intervals, oldest first}."""
    rows: dict[int, list[tuple]] = {}
    for task_id, *row in (FocusLoss.objects.filter(task_id__in=task_ids)
                          .order_by("task_id", "lost_ms", "id")
                          .values_list("task_id", "author__username", "client_id", "lost_ms",
                                       "back_ms")):
        rows.setdefault(task_id, []).append(tuple(row))
    return rows


def focus_record(rows: list[tuple], first_ms: int | None) -> list[dict]:
    """Return the v1 `focus` records of a task's intervals, on its events' clock.

    Times are ms since the first event (negative before it); with no event, since
    the first interval.
    """
    if not rows:
        return []
    base = rows[0][2] if first_ms is None else first_ms
    return [{"author": author or "", "client": client, "lost_t_ms": lost - base,
             "back_t_ms": back - base} for author, client, lost, back in rows]
