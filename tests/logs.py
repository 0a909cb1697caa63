"""Store a test's edits in the task's update log too, as the editor's rooms would have.

Tests build trajectories without an editor (tests/factories.add_edits,
tests/review/traces.Recorder). Submission proves the final against the document
rebuilt from the update log, so those helpers log each edit as a Yjs update beside
its event, and keep the document's counters where a room would find them.
"""

from pycrdt import Doc, Text

from oversight.core.units import cp_to_utf8
from oversight.traces import selectors
from oversight.traces.log import SEED_KIND, TEXT_NAME
from oversight.traces.models import DocSnapshot, DocState, DocUpdate


def log_edits(task, author, edits: list[list[dict]], *, server_ms: int = 0,
              kind: str = "") -> None:
    """Append one update per edit (ops in code points), seeding the log with the draft."""
    state, _ = DocState.objects.get_or_create(task=task)
    doc, position = _stored_document(task), state.last_position
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
    DocState.objects.filter(task=task).update(last_position=position,
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


def _stored_document(task) -> Doc:
    doc = Doc()
    doc.get(TEXT_NAME, type=Text)
    snapshot = (DocSnapshot.objects.filter(task=task).order_by("-position")
                .values_list("position", "state").first())
    after = 0
    if snapshot:
        after = snapshot[0]
        doc.apply_update(bytes(snapshot[1]))
    for data in (DocUpdate.objects.filter(task=task, position__gt=after)
                 .order_by("position").values_list("data", flat=True)):
        doc.apply_update(bytes(data))
    return doc
