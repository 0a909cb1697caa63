"""Quality signals of one trajectory: how much changed, how, how fast, with what reasoning.

Times are event times in ms (`Event.t_ms`); a "gap" is the time between two
consecutive events. Pauses over 2 s delimit P-bursts, as in writing research.
"""

from array import array

from .delta import DeltaError, ops_inserted
from .flags import decide
from .kinds import PASTED, TYPED, category
from .levenshtein import levenshtein
from .paste_source import DRAFT, EXTERNAL, MODEL_HELP, PASTE_SOURCES, PROMPT, UNKNOWN, KnownText
from .rhythm import (
    FAST_RUN_MIN_CHARS,
    KEYSTROKE_MAX_CHARS,
    Rhythm,
    is_fast_run,
    may_be_reclassified,
)
from .thresholds import thresholds_in_force
from .trajectory import Event

IDLE_GAP_MS = 120_000  # a longer gap is time away from the task, not work
PAUSE_MS = 2_000  # a longer gap ends a P-burst

DELETE_BEYOND = "event seq {seq} deletes beyond the text"


def changed_share(draft: str, final_text: str) -> float:
    """Return the Levenshtein distance from draft to final per draft code point (unbounded)."""
    # Exact, and independent of machine load (diff-match-patch's diff has a time limit).
    return levenshtein(draft, final_text) / max(1, len(draft))


def changed_fraction(draft: str, final_text: str, distance: int | None = None) -> float:
    """Return the Levenshtein distance over the longer of draft and final: in [0, 1]."""
    if distance is None:
        distance = levenshtein(draft, final_text)
    return distance / max(1, len(draft), len(final_text))


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


class _Pass:
    """One pass over the events: each op read once, each insert classified once."""

    def __init__(self, draft: str, known_texts):
        """`known_texts`: (source, text) pairs a paste may come from besides the draft."""
        self.inserted = self.deleted = self.pasted = self.typed = 0
        self.pastes: list[tuple[int, int]] = []  # (size, seq)
        self.external: list[tuple[int, int, int]] = []  # (seq, size, changed through it)
        self.typed_chars: list[int] = []
        self.rhythm = Rhythm()
        self.known = KnownText(((DRAFT, draft), *known_texts))
        self._last_t: dict[str, int] = {}
        # Consecutive pastes: (seqs, texts, the source the first one's evidence gave).
        self._run: tuple[list[int], list[str], str | None] | None = None
        self.sources: dict[str, str] = {}  # str(seq) -> paste source, every pasted event
        self.untrusted: list[tuple[int, int]] = []  # (seq, inserted) of untrusted edits
        self.silent: list[tuple[int, int]] = []  # (seq, inserted) of silent inserts
        self.refocus: set[int] = set()  # seqs of first inserts after regaining focus

    def _category(self, e: Event, text: str) -> str:
        kind = category(e.kind, e.inferred_kind)
        if e.evidence and text:
            self._evidence(e, len(text))
            if e.evidence.get("silent") and kind in (TYPED, PASTED):
                return PASTED  # no key behind it: it came from somewhere, as a paste does
        if (kind == TYPED and len(text) >= FAST_RUN_MIN_CHARS  # cheap test first: most are keys
                and may_be_reclassified(e.kind)):
            last = self._last_t.get(e.author)
            if is_fast_run(text, None if last is None else e.t_ms - last):
                return PASTED
        return kind

    def _evidence(self, e: Event, n: int) -> None:
        if e.evidence.get("untrusted"):
            self.untrusted.append((e.seq, n))
        if e.evidence.get("silent"):
            self.silent.append((e.seq, n))
        if e.evidence.get("after_refocus"):
            self.refocus.add(e.seq)

    def add(self, e: Event) -> None:
        # One pass over the ops (as ops_inserted and ops_deleted_count would read them).
        text, deleted = "", 0
        for op in e.ops:
            if "insert" in op:
                text += op["insert"]
            elif "delete" in op:
                deleted += op["delete"]
        n = len(text)
        kind = self._category(e, text)
        pasted = kind == PASTED and n > 0
        if not pasted:
            self.end_run()
        self.deleted += deleted
        self.inserted += n
        if pasted:
            self.pasted += n
            self.pastes.append((n, e.seq))
            # Pastes in a row are judged together: an answer pasted in pieces is one answer.
            if self._run is None:
                given = (e.evidence or {}).get("paste_source")
                self._run = ([], [], given if given in PASTE_SOURCES else None)
            self._run[0].append(e.seq)
            self._run[1].append(text)
        else:
            self.typed += n if kind == TYPED else 0
            if n:
                self.known.inserted(text)
        if kind == TYPED and 0 < n <= KEYSTROKE_MAX_CHARS:
            self.rhythm.keystroke(e.author, e.seq, e.t_ms)
        else:
            self.rhythm.other(e.author)
        self.typed_chars.append(n if kind == TYPED else 0)
        self._last_t[e.author] = e.t_ms

    def end_run(self) -> None:
        """Judge the pastes in a row that just ended, then count them as seen."""
        if self._run is None:
            return
        seqs, texts, given = self._run
        pasted = "".join(texts)
        # An imported record's recorded source stands: the texts it was judged against
        # (its model-help responses) may not have come with it.
        source = given or self.known.source_of(pasted) or UNKNOWN
        if source == EXTERNAL:
            self.external.append((seqs[0], len(pasted), self.inserted + self.deleted))
        for seq in seqs:
            self.sources[str(seq)] = source
        self.known.inserted(pasted)
        self._run = None

    def context(self, draft: str, final_text: str) -> dict:
        """What the flag rules read beyond the signals: sizes, moments, the typed count."""
        total = self.inserted + self.deleted
        largest = max(self.external, key=lambda p: p[1], default=None)
        return {
            "draft_chars": len(draft), "final_chars": len(final_text), "typed": self.typed,
            "own_pasted": self.pasted - sum(n for _, n, _ in self.external),
            "largest_pastes": sorted(seq for _, seq in sorted(self.pastes, reverse=True)[:3]),
            "external": [seq for seq, _, _ in self.external],
            "largest_external": None if largest is None else (
                largest[0], largest[1], total - largest[2]),
            "bursts": self.rhythm.longest_bursts(),
            "untrusted": [seq for seq, _ in self.untrusted],
            "silent": [seq for seq, _ in self.silent],
            "external_after_refocus": [seq for seq, _, _ in self.external if seq in self.refocus],
        }

    def evidence_signals(self) -> dict:
        return {
            "untrusted_events": len(self.untrusted),
            "untrusted_chars": sum(n for _, n in self.untrusted),
            "silent_inserts": len(self.silent),
            "silent_chars": sum(n for _, n in self.silent),
            "refocus_inserts": len(self.refocus),
            "paste_sources": self.sources,
        }


def compute_signals(draft: str, final_text: str, events: list[Event], notes_count: int,
                    opened_ms: int | None, submitted_ms: int | None,
                    thresholds: dict | None = None, known_texts: tuple[str, ...] = (),
                    model_help: tuple[str, ...] = ()) -> dict:
    """Return the trajectory's quality signals and the flags its thresholds raise.

    `known_texts`: text besides the draft a paste may come from without being
    external (the prompt); `model_help`: the model-help responses the writer saw.
    """
    events = list(events)
    t = thresholds_in_force(thresholds)
    scan = _Pass(draft, (*((PROMPT, x) for x in known_texts),
                         *((MODEL_HELP, x) for x in model_help)))
    for e in events:
        scan.add(e)
    scan.end_run()
    times = [e.t_ms for e in events]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    changed = scan.inserted + scan.deleted
    distance = levenshtein(draft, final_text)
    signals = {
        "changed_share": distance / max(1, len(draft)),
        "chars_inserted": scan.inserted,
        "chars_deleted": scan.deleted,
        "active_seconds": sum(g for g in gaps if g <= IDLE_GAP_MS) / 1000,
        "events": len(events),
        "paste_share": scan.pasted / scan.inserted if scan.inserted else 0.0,
        "largest_paste": max((n for n, _ in scan.pastes), default=0),
        "pauses_over_2s": sum(1 for g in gaps if g > PAUSE_MS),
        "mean_p_burst": _mean_p_burst(times, scan.typed_chars),
        "self_revisions": self_revisions(draft, events),
        "notes": notes_count,
        "notes_per_1k_changed": notes_count / changed * 1000 if changed else 0.0,
        "open_to_submit_seconds": (None if opened_ms is None or submitted_ms is None
                                   else (submitted_ms - opened_ms) / 1000),
        "flags": [],
        "changed_fraction": changed_fraction(draft, final_text, distance),
        **scan.rhythm.summary(),
        "external_paste_chars": sum(n for _, n, _ in scan.external),
        **scan.evidence_signals(),
    }
    signals["flags"], signals["flag_reasons"], signals["flag_moments"] = decide(
        signals, scan.context(draft, final_text), t)
    return signals


# Bumped when a signal's definition or a flag rule changes: stored results go stale.
SIGNALS_VERSION = 3

# The order compute_signals writes its fields in: a record's `metrics` keeps it.
SIGNAL_KEYS = tuple(compute_signals("", "", [], 0, None, None))
