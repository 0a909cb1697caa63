"""Edits written into the update log without a room: scripted demo work and test traces.

Submission proves the final against the document rebuilt from the update log, so
work recorded without an editor (a demo's scripted sessions, tests' trajectories)
logs each edit as the Yjs update a room would have stored beside its event, and
keeps the document's counters where a room would find them.
"""

from pycrdt import Text

from oversight.core.units import cp_to_utf8

from .. import selectors
from ..models import DocState, DocUpdate
from .document import stored_document
from .store import SEED_KIND, TEXT_NAME


def log_edits(task, author, edits: list[list[dict]], *, server_ms: int = 0,
              kind: str = "") -> None:
    """Append one update per edit (ops in code points), seeding the log with the draft."""
    state, _ = DocState.objects.get_or_create(task=task)
    doc, position = stored_document(task.pk), state.last_position
    text = doc.get(TEXT_NAME, type=Text)
    rows = []
    if position == 0:
        text += selectors.draft_text(task)
        rows.append(DocUpdate(task=task, position=1, author=None, client_id=0,
                              server_ms=server_ms, data=doc.get_update(),
                              reported_kind=SEED_KIND, round=task.round))
        position = 1
    for ops in edits:
        before = doc.get_state()
        apply_ops(text, ops)
        position += 1
        rows.append(DocUpdate(task=task, position=position, author=author,
                              client_id=doc.client_id, server_ms=server_ms,
                              data=doc.get_update(before), reported_kind=kind[:40],
                              round=task.round))
    DocUpdate.objects.bulk_create(rows)
    # The caller writes the events itself: the log is recorded as far as it goes.
    DocState.objects.filter(task=task).update(last_position=position, recorded_position=position,
                                              last_seq=selectors.last_seq(task))


def apply_ops(text: Text, ops: list[dict]) -> None:
    """Apply a code-point delta to a pycrdt Text (whose offsets are UTF-8 bytes)."""
    at = 0
    for op in ops:
        current = str(text)
        if "retain" in op:
            at += op["retain"]
        elif "insert" in op:
            text.insert(cp_to_utf8(current, at), op["insert"])
            at += len(op["insert"])
        else:
            del text[cp_to_utf8(current, at):cp_to_utf8(current, at + op["delete"])]
