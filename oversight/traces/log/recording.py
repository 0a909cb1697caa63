"""Turn the room document's observed changes into edit events and checkpoints.

pycrdt reports Text deltas in UTF-8 bytes; events count code points. The
conversion needs the text of that moment, so the recorder follows it with a
TextTracker, whose cost per change does not grow with the document.
"""

from dataclasses import dataclass, field

from oversight.core.kinds import infer_kind
from oversight.core.replay import CHECKPOINT_EVERY
from oversight.core.tracker import TextTracker


@dataclass
class Recorder:
    """Follows the document's text and builds the rows that record its changes."""

    task_id: int
    text: str
    last_seq: int
    checkpoint_every: int = CHECKPOINT_EVERY
    observed: list = field(default_factory=list)
    error: Exception | None = None

    def __post_init__(self):
        self.tracker = TextTracker(self.text)

    def follow(self, text) -> None:
        """Observe a pycrdt Text at the binding level.

        pycrdt's Text.observe wraps every event in Python objects (target, path,
        delta copies): a tenth of a busy room's time. The binding's event already
        carries the delta as plain lists and dicts.
        """
        # Keep the subscription: dropping it unsubscribes.
        self._subscription = text.integrated.observe(self.on_text_event)

    def on_text_event(self, event) -> None:
        """Observe callback: convert the delta while the text before it is known."""
        try:
            self.observed.append(self.tracker.observe(event.delta, unit="utf8"))
        except Exception as exc:  # raised from Rust, this would be lost: keep it for take()
            self.error = exc

    def take(self) -> list[list[dict]]:
        """Return the code-point ops of the last applied update's changes (usually one)."""
        if self.error is not None:
            error, self.error = self.error, None
            raise error
        changes, self.observed = self.observed, []
        # A change that leaves the text as it was (text typed and erased before it
        # reached the server) is no edit: its update stays in the log, with no event.
        return [ops for ops in changes if any("insert" in op or "delete" in op for op in ops)]

    def current_text(self) -> str:
        return str(self.tracker)

    def event_row(self, ops: list[dict], *, author_id, client_id: int, server_ms: int,
                  round: int, reported_kind: str,
                  evidence: dict | None = None) -> tuple[tuple, tuple | None]:
        """Return the event row (and a checkpoint row every N events) for one change.

        Rows are tuples in store's column order: the batch insert is raw SQL.
        """
        self.last_seq += 1
        event = (self.task_id, self.last_seq, round, author_id, client_id, server_ms,
                 reported_kind[:40], infer_kind(ops), ops, evidence)
        checkpoint = None
        if self.last_seq % self.checkpoint_every == 0:
            checkpoint = (self.task_id, self.last_seq, self.current_text())
        return event, checkpoint
