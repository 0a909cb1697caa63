"""The player's overview of a trajectory: everything but the events, plus a small index.

The player opens a long trace from this and fetches events by seq range
(`playback.event_range`) around what it shows; it never loads the whole record.
"""

from oversight.traces import playback, selectors
from oversight.traces.models import Checkpoint, Submission
from oversight.verifiers.selectors import run_record, runs_of


def _note_records(task, first_ms: int | None) -> list[dict]:
    """Return the notes as the v1 record has them (orphaned as the notes API says)."""
    notes = list(selectors.notes_of(task))
    orphaned = selectors.orphaned_note_ids(task, notes)

    def rel(ms: int) -> int:
        return ms - (first_ms or ms)

    return [{"id": n.pk, "seq": n.seq, "t_ms": rel(n.server_ms), "author": n.author.username,
             "principle": n.principle, "quote": n.quote, "start": n.start, "end": n.end,
             "orphaned": n.orphaned or n.pk in orphaned, "body": n.body,
             "versions": [{"body": v.body, "principle": v.principle, "withdrawn": v.withdrawn,
                           "t_ms": rel(v.server_ms)} for v in n.versions.all()]}
            for n in notes]


def _final(task) -> dict | None:
    row = (Submission.objects.filter(task=task).order_by("-round")
           .values("round", "sha256", "events").first())
    return {"round": row["round"], "sha256": row["sha256"], "seq": row["events"]} if row else None


def trajectory_overview(task) -> dict:
    """Return the overview the player starts from (see docs/trajectory-format.md)."""
    last, first_ms, last_ms = playback.span(task)
    duration = (last_ms - first_ms) if last else 0
    notes = _note_records(task, first_ms)
    stride = playback.index_stride(last)
    index = playback.time_index(task, first_ms, last) if last else []
    return {
        "task_id": task.pk,
        "last_seq": last,
        "duration_ms": max([duration, *(n["t_ms"] for n in notes)], default=0),
        "last_t_ms": duration,
        "draft": {"text": selectors.draft_text(task)},
        "final": _final(task),
        "index_stride": stride,
        "index_t_ms": index,
        "bins": playback.activity_bins(index, stride, last, duration) if last else [],
        "pastes": playback.pastes(task, first_ms, last) if last else [],
        "marked": playback.marked(task, first_ms, last) if last else [],
        "focus": playback.focus(task, first_ms),
        "authors": playback.authors(task, last, first_ms) if last else [],
        "checkpoints": list(Checkpoint.objects.filter(task=task).order_by("seq")
                            .values_list("seq", flat=True)),
        "max_range": playback.MAX_RANGE,
        "notes": notes,
        "verifier_runs": [run_record(run) for run in runs_of(task)],
    }
