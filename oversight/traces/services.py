"""Writes on the trace: reasoning notes and their versions, and submission of the final."""

import math
import time

from django.db import transaction

from oversight.core.trajectory import sha256_text
from oversight.webhooks.events import TASK_SUBMITTED, emit_task_event, submission_data
from oversight.workspace import status as task_status
from oversight.workspace.access import can_edit_task
from oversight.workspace.models import Task
from oversight.workspace.realtime import announce
from oversight.workspace.services import task_transition
from oversight.workspace.task_settings import settings_for

from . import integrity, selectors
from .errors import TraceError, TraceMismatch  # noqa: F401  (callers catch them here)
from .models import Note, NoteVersion, Submission

MAX_NOTE_CHARS = 10_000

NOT_EDITABLE = "This task is {status}: notes and submissions are closed."
NOT_ALLOWED = "Only the task's writers and the project's leads may do this."
NOT_AUTHOR = "Only the note's author may change it."
EMPTY_BODY = "A note needs a body: say why you made the change."
BODY_TOO_LONG = f"A note may hold at most {MAX_NOTE_CHARS} characters."
BAD_PRINCIPLE = "Unknown rubric principle '{principle}'; expected one of: {keys}."
BAD_RANGE = "The range {start}–{end} is outside the text at seq {seq} ({length} characters)."
BAD_SEQ = "seq {seq} is beyond the trajectory's {last} events."
QUOTE_MISMATCH = "The quote does not match the text at {start}–{end} at seq {seq}."
NOTES_MISSING = ("This project asks for one note per {per} changed characters: "
                 "{changed} changed characters need {needed} notes, you wrote {have}.")


def _now_ms() -> int:
    return int(time.time() * 1000)


def _check_writable(task: Task, user) -> None:
    if not task.is_editable:
        raise TraceError(NOT_EDITABLE.format(status=task.get_status_display().lower()))
    if not can_edit_task(user, task):
        raise TraceError(NOT_ALLOWED)


def _check_body(body: str, principle: str, task: Task) -> None:
    if not body or not body.strip():
        raise TraceError(EMPTY_BODY)
    if len(body) > MAX_NOTE_CHARS:
        raise TraceError(BODY_TOO_LONG)
    keys = task.project.principle_keys()
    if principle and principle not in keys:
        raise TraceError(BAD_PRINCIPLE.format(principle=principle, keys=", ".join(keys)))


def note_create(*, task: Task, author, body: str, start: int, end: int, quote: str | None = None,
                principle: str = "", anchor: dict | None = None, seq: int | None = None) -> Note:
    """Anchor a reasoning note to a range of the text as it stands at `seq` (default: now)."""
    _check_writable(task, author)
    _check_body(body, principle, task)
    selectors.caught_up(task)  # the note's seq and quote are of the text as now stored
    last = selectors.last_seq(task)
    seq = last if seq is None else seq
    if not 0 <= seq <= last:
        raise TraceError(BAD_SEQ.format(seq=seq, last=last))
    text = selectors.text_at(task, seq)
    if not 0 <= start <= end <= len(text):
        raise TraceError(BAD_RANGE.format(start=start, end=end, seq=seq, length=len(text)))
    if quote is not None and quote != text[start:end]:
        # The writer's editor may be a few keystrokes ahead of what is stored: find the
        # quote where it now stands, nearest the offsets given.
        found = _nearest_occurrence(text, quote, start)
        if found is None:
            raise TraceError(QUOTE_MISMATCH.format(start=start, end=end, seq=seq))
        start, end = found, found + len(quote)
    now = _now_ms()
    with transaction.atomic():
        note = Note.objects.create(
            task=task, author=author, server_ms=now, round=task.round, seq=seq,
            quote=text[start:end], start=start, end=end, anchor=anchor or {},
            principle=principle, body=body)
        NoteVersion.objects.create(note=note, body=body, principle=principle, server_ms=now)
        announce(task.doc_id, {"t": "notes"})
    return note


def _nearest_occurrence(text: str, quote: str, near: int) -> int | None:
    best, at = None, text.find(quote) if quote else -1
    while at != -1:
        if best is None or abs(at - near) < abs(best - near):
            best = at
        at = text.find(quote, at + 1)
    return best


def note_update(*, note: Note, user, body: str | None = None, principle: str | None = None,
                withdrawn: bool | None = None) -> Note:
    """Change a note's body, principle or withdrawal, keeping every earlier version."""
    _check_writable(note.task, user)
    if note.author_id != user.pk:
        raise TraceError(NOT_AUTHOR)
    body = note.body if body is None else body
    principle = note.principle if principle is None else principle
    _check_body(body, principle, note.task)
    with transaction.atomic():
        note.body, note.principle = body, principle
        if withdrawn is not None:
            note.withdrawn = withdrawn
        note.save(update_fields=["body", "principle", "withdrawn"])
        NoteVersion.objects.create(note=note, body=body, principle=principle,
                                   withdrawn=note.withdrawn, server_ms=_now_ms())
        announce(note.task.doc_id, {"t": "notes"})
    return note


def notes_missing(task: Task, changed_chars: int) -> str | None:
    """Explain what notes the project still requires before submission, or None."""
    per = settings_for(task).notes_per_changed_chars
    if not per:
        return None
    needed = math.ceil(changed_chars / per) if changed_chars else 0
    have = Note.objects.filter(task=task, withdrawn=False).count()
    if have >= needed:
        return None
    return NOTES_MISSING.format(per=per, changed=changed_chars, needed=needed, have=have)


def changed_chars(task: Task) -> int:
    from oversight.core.delta import ops_deleted_count, ops_inserted

    total = 0
    for event in selectors.iter_events(task):
        total += len(ops_inserted(event.ops)) + ops_deleted_count(event.ops)
    return total


def task_submit(*, task: Task, user, check_final=None, on_submitted=None) -> Submission:
    """Freeze the current text as this round's final; the task becomes read-only.

    `check_final(task, final_text)` may refuse the final with a message (e.g. a project
    requiring green tests); `on_submitted(task, submission)` runs in the submission's
    transaction (e.g. queueing the final's test run), both without traces knowing why.

    The task row is locked first: the editor locks it too before storing a batch,
    so no edit can land between reading the final text and closing the document.
    The recorder is caught up under that lock (the events then cover the whole log).
    Before anything else the final must be proven (integrity.prove_final): the
    document rebuilt from the update log, the replayed events and the final agree,
    or TraceMismatch refuses the submission and nothing is frozen.
    """
    # Most of the recorder's lag is recorded before the lock, in its own transactions;
    # what is left (updates stored meanwhile) is recorded under it.
    try:
        integrity.catch_up(task)
    except TraceMismatch:
        pass  # refused below, under the lock, with nothing frozen
    with transaction.atomic():
        # of=("self",): PostgreSQL refuses FOR UPDATE on the nullable side of the
        # draft's outer join; only the task row needs the lock.
        locked = (Task.objects.select_for_update(of=("self",))
                  .select_related("project", "draft").get(pk=task.pk))
        _check_writable(locked, user)
        integrity.catch_up(locked)
        last = selectors.last_seq(locked)
        final_text = integrity.final_text(locked, last)
        # The invariant first: no other check means anything for a final nobody saw.
        integrity.prove_final(locked, final_text)
        missing = notes_missing(locked, changed_chars(locked))
        if missing:
            raise TraceError(missing)
        refused = check_final(locked, final_text) if check_final else None
        if refused:
            raise TraceError(refused)
        if locked.status != task_status.IN_PROGRESS:
            task_transition(task=locked, target=task_status.IN_PROGRESS)
        task_transition(task=locked, target=task_status.SUBMITTED)
        # The final's provenance is frozen with it: every export then reads it, none replays.
        submission = Submission.objects.create(
            task=locked, round=locked.round, text=final_text, sha256=sha256_text(final_text),
            submitted_by=user, events=last, provenance=selectors.provenance_runs(locked, last))
        if on_submitted:
            on_submitted(locked, submission)
        announce(locked.doc_id, {"t": "status", "status": locked.status, "round": locked.round})
        emit_task_event(TASK_SUBMITTED, task=locked, data=submission_data(submission))
    task.status, task.round = locked.status, locked.round
    return submission
