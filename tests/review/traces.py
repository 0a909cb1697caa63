"""Build recorded trajectories for review tests without an editor: events, notes, submissions."""

import datetime as dt

from oversight.core.delta import apply_ops
from oversight.core.kinds import infer_kind
from oversight.review.writer_summary import refresh_task_writers
from oversight.traces import selectors
from oversight.traces.models import EditEvent, Submission
from oversight.traces.services import note_create, task_submit
from tests.logs import log_edits

START_MS = 1_800_000_000_000


class Recorder:
    """Append events to a task's trajectory as a given author, on a fake clock."""

    def __init__(self, task, start_ms: int = START_MS):
        self.task = task
        self.seq = selectors.last_seq(task)
        self.text = selectors.text_at(task, self.seq)
        last = EditEvent.objects.filter(task=task).order_by("-seq").first()
        self.now = last.server_ms if last else start_ms

    def edit(self, author, ops: list[dict], kind: str = "input.type", after_ms: int = 500):
        self.now += after_ms
        self.seq += 1
        EditEvent.objects.create(task=self.task, seq=self.seq, round=self.task.round,
                                 author=author, server_ms=self.now, kind=kind,
                                 inferred_kind=infer_kind(ops), ops=ops)
        log_edits(self.task, author, [ops], server_ms=self.now, kind=kind)
        self.text = apply_ops(self.text, ops)
        return self

    def type(self, author, text: str, at: int | None = None, after_ms: int = 300):
        """Type `text` one character at a time at `at` (default: the end)."""
        at = len(self.text) if at is None else at
        for i, char in enumerate(text):
            self.edit(author, [{"retain": at + i}, {"insert": char}] if at + i else
                      [{"insert": char}], after_ms=after_ms)
        return self

    def paste(self, author, text: str, at: int | None = None, after_ms: int = 500):
        at = len(self.text) if at is None else at
        return self.edit(author, ([{"retain": at}] if at else []) + [{"insert": text}],
                         kind="input.paste", after_ms=after_ms)

    def delete(self, author, start: int, count: int, after_ms: int = 300):
        return self.edit(author, ([{"retain": start}] if start else []) + [{"delete": count}],
                         kind="delete.backward", after_ms=after_ms)


def note(task, author, quote: str, body: str = "Because the draft was wrong here."):
    """Write a note on the first occurrence of `quote` in the current text."""
    text = selectors.text_at(task, selectors.last_seq(task))
    start = text.index(quote)
    return note_create(task=task, author=author, body=body, start=start,
                       end=start + len(quote))


def submit(task, writer, when: dt.datetime | None = None) -> Submission:
    """Submit the task as `writer`; `when` back-dates the submission."""
    submission = task_submit(task=task, user=writer)
    if when is not None:
        Submission.objects.filter(pk=submission.pk).update(submitted_at=when)
        submission.refresh_from_db()
    # The API's submission counts it in the writer's dashboard summary (then storing its
    # signals refreshes it again); the service alone does not, so do what both add up to.
    refresh_task_writers(task)
    return submission


def careful_work(task, writer, words: str = " The sky is blue because air scatters blue light.",
                 note_on: str = "scatters"):
    """Type a sentence, explain it in a note, and submit."""
    Recorder(task).type(writer, words, after_ms=1500)  # over a minute of steady typing
    note(task, writer, note_on)
    return submit(task, writer)


def pasted_work(task, writer, text: str = " " + "Copied from somewhere else entirely. " * 3):
    """Paste a block without a note, and submit."""
    Recorder(task).paste(writer, text)
    return submit(task, writer)
