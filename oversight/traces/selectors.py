"""Reads of the trace: text at any seq, events in order, notes with their versions."""

from contextlib import closing

from oversight.core.anchors import orphaned_notes
from oversight.core.provenance import provenance_at
from oversight.core.replay import text_at as replay_text_at
from oversight.core.trajectory import Event

from .models import Checkpoint, EditEvent, Note

EVENT_FIELDS = ("seq", "server_ms", "author__username", "client_id", "round", "kind",
                "inferred_kind", "ops", "evidence")


def caught_up(task):
    """Record what the task's log holds beyond its events (the recorder follows the log off
    the relay path, so a live room's newest edits may not be events yet); return the task.

    Readers of a task's events call this first. An update the recorder cannot turn into
    an event is logged and left: the reader sees the events so far (submission refuses).
    """
    from .log import RecordingFailed, record

    try:
        record(task.pk)
    except RecordingFailed:
        pass
    return task


def caught_up_tasks(tasks) -> None:
    """caught_up for every task of a queryset whose log is ahead (one query finds them)."""
    from .log import RecordingFailed, record_behind

    try:
        record_behind(tasks)
    except RecordingFailed:
        pass


def last_seq(task) -> int:
    """Return the trajectory's length: the seq of its newest event (0 when none)."""
    last = EditEvent.objects.filter(task=task).order_by("-seq").values_list("seq", flat=True)
    return last.first() or 0


def draft_text(task) -> str:
    draft = getattr(task, "draft", None)
    return draft.text if draft else ""


def text_at(task, seq: int) -> str:
    """Return the text right after event `seq` (0: the draft), from the nearest checkpoint."""
    checkpoint = (Checkpoint.objects.filter(task=task, seq__lte=seq).order_by("-seq")
                  .values_list("seq", "text").first())
    base_seq, text = checkpoint if checkpoint else (0, draft_text(task))
    rows = (EditEvent.objects.filter(task=task, seq__gt=base_seq, seq__lte=seq)
            .order_by("seq").values("seq", "ops").iterator(chunk_size=1000))
    with closing(rows):  # a replay that fails midway must not leave the cursor open
        return replay_text_at(seq, base_seq, text, rows)


def iter_events(task, first_ms: int | None = None):
    """Yield the task's events as core Events in seq order; t_ms counts from the first event."""
    rows = (EditEvent.objects.filter(task=task).order_by("seq").values_list(*EVENT_FIELDS)
            .iterator(chunk_size=2000))
    for seq, server_ms, author, client, round_, kind, inferred, ops, evidence in rows:
        if first_ms is None:
            first_ms = server_ms
        yield Event(seq=seq, t_ms=server_ms - first_ms, author=author or "", client=client,
                    round=round_, kind=kind, inferred_kind=inferred, ops=ops,
                    evidence=evidence or None)


def provenance_runs(task, seq: int) -> list[dict]:
    """Return the runs of origins of the text right after event `seq` (0: the draft)."""
    draft = getattr(task, "draft", None)
    first_ms = first_event_ms(task)
    events = (e for e in iter_events(task, first_ms) if e.seq <= seq)
    return provenance_at(draft.text if draft else "", events, seq,
                         draft_author=draft.model if draft else "").runs()


def first_event_ms(task) -> int | None:
    return (EditEvent.objects.filter(task=task).order_by("seq")
            .values_list("server_ms", flat=True).first())


def notes_of(task, include_withdrawn: bool = True):
    notes = Note.objects.filter(task=task).select_related("author").prefetch_related("versions")
    if not include_withdrawn:
        notes = notes.filter(withdrawn=False)
    return notes.order_by("seq", "id")


def orphaned_note_ids(task, notes) -> set[int]:
    """Return the ids of notes all of whose quoted text was deleted by later events."""
    spans = [(n.pk, n.seq, n.start, n.end) for n in notes if n.end > n.start]
    if not spans:
        return set()
    rows = (EditEvent.objects.filter(task=task, seq__gt=min(s[1] for s in spans))
            .order_by("seq").values_list("seq", "ops").iterator(chunk_size=2000))
    return orphaned_notes(spans, rows)
