"""The document as the update log holds it: the newest snapshot and every update after it.

This is the text people saw (the rooms relay exactly what was stored, in stored
order), rebuilt from the database alone, independently of the recorded events.
"""

from contextlib import closing

from pycrdt import Doc, Text

from ..models import DocSnapshot, DocState, DocUpdate
from .store import TEXT_NAME


class LogUnreadable(ValueError):
    """A stored snapshot or update that pycrdt refuses."""


def stored_text(task_id: int) -> str | None:
    """Return the text of the document rebuilt from its stored log; None if it has no log.

    Every stored update counts, even past the counter: a row the counter does not
    cover is still something the log claims people saw.
    """
    if not DocState.objects.filter(task_id=task_id, last_position__gt=0).exists():
        return None
    return str(stored_document(task_id).get(TEXT_NAME, type=Text))


def stored_document(task_id: int) -> Doc:
    """Return the document rebuilt from its newest snapshot and every later stored update."""
    doc = Doc()
    doc.get(TEXT_NAME, type=Text)
    snapshot = (DocSnapshot.objects.filter(task_id=task_id).order_by("-position")
                .values_list("position", "state").first())
    after = 0
    if snapshot:
        after = snapshot[0]
        _apply(doc, snapshot[1], f"the snapshot at position {after}")
    rows = (DocUpdate.objects.filter(task_id=task_id, position__gt=after).order_by("position")
            .values_list("position", "data").iterator(chunk_size=1000))
    with closing(rows):  # an update that fails midway must not leave the cursor open
        for position, data in rows:
            _apply(doc, data, f"update {position}")
    return doc


def _apply(doc: Doc, data, what: str) -> None:
    try:
        doc.apply_update(bytes(data))
    except Exception as exc:  # pycrdt raises plain ValueError/RuntimeError from Rust
        raise LogUnreadable(f"{what} does not apply: {exc}") from exc
