"""Provenance of every code point: where each character of the text at a seq came from.

Origins: `draft` (the model's draft the edits start from), `typed`, `pasted`,
`model.assist` (an accepted model suggestion), and `other` (dropped or moved text,
undo/redo re-insertions, and whatever a client calls an edit that is neither).
The reported kind decides; a client that reports none (a stock client) gets the
inferred kind's verdict between typed and pasted, as kinds.category decides it.

Every code point keeps the seq of the event that inserted it (0: the draft), one
machine int in a compact array followed by the core's one delta walker (`core.tags`,
which gold uses too). Runs are merged from the seqs only when asked for.
"""

from collections.abc import Iterable
from itertools import groupby

from .delta import DeltaError
from .kinds import PASTED, TYPED, UNDONE, category
from .tags import beyond, constant, splice
from .trajectory import Event

DRAFT = "draft"
MODEL_ASSIST = "model.assist"
OTHER = "other"
ORIGINS = (DRAFT, TYPED, PASTED, MODEL_ASSIST, OTHER)

# Reported kinds that bring text from elsewhere in the document or outside a paste.
OTHER_EVENTS = frozenset({"input.drop", "move.drop"})

BEYOND = "event seq {seq} reaches code point {end}, beyond the text ({size} code points)"
SEQ_GAP = "expected event seq {expected}, got {got}"


class ProvenanceError(ValueError):
    """The events do not fit the text they are applied to, or skip a seq."""


def event_origin(reported: str, inferred: str) -> str:
    """Return the origin of the text an event inserts."""
    if reported == MODEL_ASSIST or reported.startswith(MODEL_ASSIST + "."):
        return MODEL_ASSIST
    if reported in OTHER_EVENTS:
        return OTHER
    kind = category(reported, inferred)
    if kind in (TYPED, PASTED):
        return kind
    # An undo restores text whose first origin this event does not carry; a "delete"
    # that inserts is a client's oddity: neither is the writer's typing nor a paste.
    return OTHER if kind == UNDONE or reported else TYPED


def _event_fields(event: Event | dict) -> tuple:
    if isinstance(event, Event):
        return event.seq, event.ops, event.author, event.kind, event.inferred_kind, event.t_ms
    return (event["seq"], event["ops"], event.get("author", ""), event.get("kind", ""),
            event.get("inferred_kind", ""), event.get("t_ms", 0))


class Provenance:
    """The text's per-code-point insert seqs, following events one by one."""

    def __init__(self, draft_size: int, draft_author: str = ""):
        self.seqs = constant(draft_size, 0, "I")  # all 0: the draft
        self.origin = [DRAFT]  # by seq
        self.author = [draft_author]
        self.t_ms = [0]

    @property
    def last_seq(self) -> int:
        return len(self.origin) - 1

    def apply(self, event: Event | dict) -> None:
        """Follow one event (the next seq); raise ProvenanceError if it does not fit."""
        seq, ops, author, reported, inferred, t_ms = _event_fields(event)
        if seq != len(self.origin):
            raise ProvenanceError(SEQ_GAP.format(expected=len(self.origin), got=seq))
        end = beyond(self.seqs, ops)
        if end is not None:
            raise ProvenanceError(BEYOND.format(seq=seq, end=end, size=len(self.seqs)))
        splice(self.seqs, ops, seq)
        self.origin.append(event_origin(reported, inferred))
        self.author.append(author)
        self.t_ms.append(t_ms)

    def runs(self) -> list[dict]:
        """Return the text's runs of one origin and author, in code points, end exclusive.

        Each run also names the first and last seq that inserted one of its code points
        and their times (ms on the trajectory's clock): when it was written.
        """
        origin, author, t_ms = self.origin, self.author, self.t_ms
        out, start = [], 0
        # The key of a code point is its (origin, author); runs are maximal stretches.
        for (o, a), group in groupby(self.seqs, key=lambda s: (origin[s], author[s])):
            members = list(group)
            first, last = min(members), max(members)
            out.append({"start": start, "end": start + len(members), "origin": o, "author": a,
                        "first_seq": first, "last_seq": last,
                        "first_t_ms": t_ms[first], "last_t_ms": t_ms[last]})
            start += len(members)
        return out

    def counts(self) -> dict[str, int]:
        """Return how many code points of the text have each origin."""
        per_seq: dict[int, int] = {}
        for seq, group in groupby(self.seqs):
            per_seq[seq] = per_seq.get(seq, 0) + sum(1 for _ in group)
        counts = dict.fromkeys(ORIGINS, 0)
        for seq, n in per_seq.items():
            counts[self.origin[seq]] += n
        return counts


def provenance_at(draft: str, events: Iterable[Event | dict], seq: int | None = None, *,
                  draft_author: str = "") -> Provenance:
    """Follow the events from the draft up to `seq` (None: all of them)."""
    tracker = Provenance(len(draft), draft_author)
    for event in events:
        if seq is not None and _event_fields(event)[0] > seq:
            break
        try:
            tracker.apply(event)
        except (KeyError, TypeError, DeltaError) as error:
            raise ProvenanceError(str(error)) from error
    if seq is not None and tracker.last_seq < seq:
        raise ProvenanceError(SEQ_GAP.format(expected=tracker.last_seq + 1, got=seq))
    return tracker


def final_shares(counts: dict[str, int]) -> dict[str, float]:
    """Return the metrics: each origin's share of the text's code points (0 when empty)."""
    total = sum(counts.values())
    share = (lambda n: n / total) if total else (lambda n: 0.0)
    return {"final_share_draft": share(counts[DRAFT]),
            "final_share_typed": share(counts[TYPED]),
            "final_share_pasted": share(counts[PASTED]),
            "final_share_model": share(counts[MODEL_ASSIST])}


SHARE_KEYS = tuple(final_shares(dict.fromkeys(ORIGINS, 0)))
