"""Quality signals of one trajectory: how much changed, how, how fast, with what reasoning.

Times are event times in ms (`Event.t_ms`); a "gap" is the time between two
consecutive events. Pauses over 2 s delimit P-bursts, as in writing research.
"""

from array import array

from .delta import DeltaError, ops_inserted
from .kinds import PASTED, TYPED, category
from .levenshtein import levenshtein
from .trajectory import Event

DEFAULT_THRESHOLDS = {
    "rubber_stamp_changed_share": 0.02,
    "rubber_stamp_active_seconds": 60,
    "paste_heavy_share": 0.5,
    "no_reasoning_min_changed_chars": 200,
    "burst_only_min_typed_share": 0.1,
}

IDLE_GAP_MS = 120_000  # a longer gap is time away from the task, not work
PAUSE_MS = 2_000  # a longer gap ends a P-burst

DELETE_BEYOND = "event seq {seq} deletes beyond the text"


def changed_share(draft: str, final_text: str) -> float:
    """Return the Levenshtein distance from draft to final per draft code point."""
    # Exact, and independent of machine load (diff-match-patch's diff has a time limit).
    return levenshtein(draft, final_text) / max(1, len(draft))


def _gaps(events: list[Event]) -> list[int]:
    return [b.t_ms - a.t_ms for a, b in zip(events, events[1:], strict=False)]


def active_seconds(events: list[Event]) -> float:
    """Return the time spent editing: the sum of gaps between events of at most 120 s."""
    return sum(g for g in _gaps(events) if g <= IDLE_GAP_MS) / 1000


def mean_p_burst(events: list[Event]) -> float:
    """Return the mean typed characters per P-burst (bursts without typing left out)."""
    return _mean_p_burst([e.t_ms for e in events],
                         [len(ops_inserted(e.ops)) if category(e.kind, e.inferred_kind) == TYPED
                          else 0 for e in events])


def _mean_p_burst(times: list[int], typed_chars: list[int]) -> float:
    """mean_p_burst from each event's time and typed characters (0 when not typed)."""
    bursts, current, previous = [], 0, None
    for t_ms, typed in zip(times, typed_chars, strict=True):
        if previous is not None and t_ms - previous > PAUSE_MS:
            bursts.append(current)
            current = 0
        current += typed
        previous = t_ms
    bursts.append(current)
    typed = [b for b in bursts if b]
    return sum(typed) / len(typed) if typed else 0.0


class _Authorship:
    """Who inserted each code point of the current text (0: the draft or unknown).

    One small int per code point in a compact array: an edit is one memmove of
    the array (about 2 µs per 100 KB), cheap enough for 260k events.
    """

    def __init__(self, size: int):
        self.codes = bytearray(size)
        self.ids: dict[str, int] = {}

    def code_of(self, author: str) -> int:
        if not author:
            return 0
        if author not in self.ids:
            self.ids[author] = len(self.ids) + 1
            if len(self.ids) == 256:  # one byte no longer holds every author
                self.codes = array("I", list(self.codes))
        return self.ids[author]

    def _run(self, code: int, n: int):
        if isinstance(self.codes, bytearray):
            return bytes((code,)) * n
        return array("I", (code,)) * n

    def apply(self, seq: int, ops: list[dict], author: str) -> bool:
        """Apply one event; tell whether it deleted something its own author inserted."""
        code, pos, revised = self.code_of(author), 0, False
        for op in ops:
            if "retain" in op:
                pos += op["retain"]
            elif "insert" in op:
                n = len(op["insert"])
                self.codes[pos:pos] = self._run(code, n)
                pos += n
            elif "delete" in op:
                end = pos + op["delete"]
                if end > len(self.codes):
                    raise DeltaError(DELETE_BEYOND.format(seq=seq))
                if code and not revised and code in self.codes[pos:end]:
                    revised = True
                del self.codes[pos:end]
        return revised


def self_revisions(draft: str, events: list[Event]) -> int:
    """Count events that delete characters their own author inserted earlier."""
    authorship = _Authorship(len(draft))
    return sum(authorship.apply(e.seq, e.ops, e.author) for e in events)


def _flags(s: dict, typed_inserted: int, t: dict) -> list[str]:
    changed = s["chars_inserted"] + s["chars_deleted"]
    flags = []
    if (s["changed_share"] < t["rubber_stamp_changed_share"]
            or s["active_seconds"] < t["rubber_stamp_active_seconds"]):
        flags.append("rubber_stamp")
    if s["paste_share"] > t["paste_heavy_share"]:
        flags.append("paste_heavy")
    if s["notes"] == 0 and changed >= t["no_reasoning_min_changed_chars"]:
        flags.append("no_reasoning")
    inserted = s["chars_inserted"]
    if inserted and typed_inserted / inserted < t["burst_only_min_typed_share"]:
        flags.append("burst_only")
    return sorted(flags)


def compute_signals(draft: str, final_text: str, events: list[Event], notes_count: int,
                    opened_ms: int | None, submitted_ms: int | None,
                    thresholds: dict | None = None) -> dict:
    """Return the trajectory's quality signals and the flags its thresholds raise."""
    events = list(events)
    t = {**DEFAULT_THRESHOLDS, **(thresholds or {})}
    inserted = deleted = pasted = largest_paste = typed = 0
    # One pass over the events, each op read once (as ops_inserted / ops_deleted_count
    # and is_paste / category would read them, with the same results).
    typed_chars = []
    for e in events:
        n = 0
        for op in e.ops:
            if "insert" in op:
                n += len(op["insert"])
            if "delete" in op:
                deleted += op["delete"]
        inserted += n
        kind = category(e.kind, e.inferred_kind)
        if kind == PASTED:
            pasted += n
            largest_paste = max(largest_paste, n)
        elif kind == TYPED:
            typed += n
        typed_chars.append(n if kind == TYPED else 0)
    times = [e.t_ms for e in events]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    changed = inserted + deleted
    signals = {
        "changed_share": changed_share(draft, final_text),
        "chars_inserted": inserted,
        "chars_deleted": deleted,
        "active_seconds": sum(g for g in gaps if g <= IDLE_GAP_MS) / 1000,
        "events": len(events),
        "paste_share": pasted / inserted if inserted else 0.0,
        "largest_paste": largest_paste,
        "pauses_over_2s": sum(1 for g in gaps if g > PAUSE_MS),
        "mean_p_burst": _mean_p_burst(times, typed_chars),
        "self_revisions": self_revisions(draft, events),
        "notes": notes_count,
        "notes_per_1k_changed": notes_count / changed * 1000 if changed else 0.0,
        "open_to_submit_seconds": (None if opened_ms is None or submitted_ms is None
                                   else (submitted_ms - opened_ms) / 1000),
    }
    signals["flags"] = _flags(signals, typed, t)
    return signals


# The order compute_signals writes its fields in: a record's `metrics` keeps it.
SIGNAL_KEYS = tuple(compute_signals("", "", [], 0, None, None))
