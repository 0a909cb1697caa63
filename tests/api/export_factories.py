"""Tasks with whole trajectories for export tests: events, notes, submissions and reviews.

Events are stored the way the editor stores them: seq gapless from 1, ops in code points
derived from consecutive texts; a submission's text is the replay of its round's events.
"""

import itertools
import json

from oversight.core.kinds import infer_kind
from oversight.core.replay import replay
from oversight.core.trajectory import sha256_text
from oversight.review.models import Review
from oversight.traces.models import EditEvent, Note, NoteVersion, Submission
from oversight.workspace import status as task_status
from tests.core.helpers import ops_from_diff
from tests.factories import make_task

DRAFT = "The sky is violet because air scatters violet light most 🌍."
PASTE = " (Rayleigh scattering, 1871)"
ROUND_2 = ["The sky looks blue: air scatters short wavelengths, and our eyes favour blue 🌍."]


def typing(text: str, at: int, word: str) -> list[str]:
    """Return the texts after each code point of `word` is typed at `at`."""
    return [text[:at] + word[:i] + text[at:] for i in range(1, len(word) + 1)]


def _round_1() -> list[str]:
    at = DRAFT.index("violet")
    deleted = DRAFT[:at] + DRAFT[at + len("violet"):]
    texts = [DRAFT, deleted, *typing(deleted, at, "blue")]
    end = texts[-1].index(" 🌍")
    texts.append(texts[-1][:end] + PASTE + texts[-1][end:])
    texts.append(texts[-1] + " e\u0301 👩\u200d🔬")  # combining mark and a ZWJ sequence
    return texts


ROUND_1 = _round_1()  # a deletion, four typed code points, a paste, a composed insert
SCORES = {"serves-the-need": 5, "no-extras": 4, "factual": 5}
START_MS = 1_764_000_000_000


def _kind(ops: list[dict]) -> str:
    inferred = infer_kind(ops)
    return {"typed": "input.type", "paste-like": "input.paste",
            "deleted": "delete.backward"}.get(inferred, "")


def _last_event(task) -> tuple[int, int]:
    last = EditEvent.objects.filter(task=task).order_by("-seq").first()
    return (last.seq, last.server_ms) if last else (0, START_MS)


def add_events(task, author, texts: list[str], *, round_: int = 1, gap_ms: int = 1_500) -> str:
    """Store the edits turning texts[0] into each next text, after the task's last event."""
    seq, ms = _last_event(task)
    events = []
    for before, after in itertools.pairwise(texts):
        seq, ms = seq + 1, ms + gap_ms
        ops = ops_from_diff(before, after)
        events.append(EditEvent(task=task, seq=seq, round=round_, author=author,
                                client_id=1000 + author.pk, server_ms=ms,
                                kind=_kind(ops), inferred_kind=infer_kind(ops), ops=ops))
    EditEvent.objects.bulk_create(events)
    return texts[-1]


def submit(task, writer) -> Submission:
    """Freeze the replay of the task's events as the final of its current round."""
    events = list(EditEvent.objects.filter(task=task).order_by("seq").values("seq", "ops"))
    text = replay(task.draft.text, events)
    return Submission.objects.create(task=task, round=task.round, text=text,
                                     sha256=sha256_text(text), submitted_by=writer,
                                     events=len(events))


def review(task, reviewer, verdict: str = Review.APPROVE, scores: dict | None = None,
           **fields) -> Review:
    """Store a verdict on the task's current round (created_at may be given, for filters)."""
    created_at = fields.pop("created_at", None)
    row = Review.objects.create(task=task, reviewer=reviewer, round=task.round, verdict=verdict,
                                scores=SCORES if scores is None else scores, **fields)
    if created_at is not None:  # auto_now_add ignores a value given to create()
        Review.objects.filter(pk=row.pk).update(created_at=created_at)
        row.refresh_from_db()
    return row


def add_note(task, author, *, seq: int, quote: str, text: str, body: str,
             principle: str = "factual") -> Note:
    """Anchor a note on `quote` in `text`, the document as it was at `seq`."""
    start = text.index(quote)
    note = Note.objects.create(task=task, author=author, server_ms=_last_event(task)[1] + 500,
                               round=task.round,
                               seq=seq, quote=quote, start=start, end=start + len(quote),
                               principle=principle, body=body)
    NoteVersion.objects.create(note=note, body=body, principle=principle,
                               server_ms=note.server_ms)
    return note


def make_trajectory(project, writer, reviewer, *, status: str = task_status.APPROVED,
                    scores: dict | None = None, rounds: int = 1, note: bool = True,
                    texts: list[str] | None = None, gap_ms: int = 1_500):
    """Return a task of `project` whose trajectory reached `status` (in `rounds` rounds)."""
    texts = texts or ROUND_1
    task = make_task(project, draft_text=texts[0], assignees=[writer])
    if status == task_status.OPEN:
        return task
    add_events(task, writer, texts, gap_ms=gap_ms)
    if note:
        add_note(task, writer, seq=len(texts) - 1, quote="Rayleigh", text=texts[-1],
                 body="Name the effect: violet scatters more, but the sky looks blue to us.")
    if rounds == 2:
        submit(task, writer)
        review(task, reviewer, Review.REQUEST_CHANGES, scores={"factual": 2},
               comment="Say why it looks blue.")
        task.round = 2
        add_events(task, writer, [texts[-1], *ROUND_2], round_=2)
    if status in (task_status.IN_PROGRESS, task_status.CHANGES_REQUESTED):
        task.status = status
        task.save(update_fields=["status", "round"])
        return task
    submit(task, writer)
    if status == task_status.APPROVED:
        review(task, reviewer, Review.APPROVE, scores=scores)
    elif status == task_status.REJECTED:
        review(task, reviewer, Review.REJECT, scores=scores)
    task.status = status
    task.save(update_fields=["status", "round"])
    return task


def read_body(response) -> bytes:
    """Return a streaming response's whole body."""
    return b"".join(response.streaming_content)


def read_jsonl(data: bytes) -> list[dict]:
    """Parse JSONL bytes, one record per line; every line must end with a newline."""
    text = data.decode("utf-8")
    assert text == "" or text.endswith("\n")
    return [json.loads(line) for line in text.split("\n") if line]
