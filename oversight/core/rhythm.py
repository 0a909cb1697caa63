"""Typing rhythm: keystroke intervals within bursts, and inserts too fast for a hand.

A person's inter-key intervals spread widely (fast digraphs, slower word and
sentence boundaries: the 90th percentile is several times the 10th); a program
typing at a constant rate, or with a machine's uniform or Gaussian jitter, keeps
them in a narrow band, and can type far faster than anyone does.
"""

import statistics
from dataclasses import dataclass, field

# One insert of at least this many non-space characters, arriving faster than
# FAST_RUN_MS_PER_CHAR per character after its author's previous edit, was not typed by
# hand (30 ms a character is 400 words a minute), whatever the client reported.
FAST_RUN_MIN_CHARS = 4
FAST_RUN_MS_PER_CHAR = 30
KEYSTROKE_MAX_CHARS = 2  # a keystroke inserts a character (two: a bracket pair)
BURST_GAP_MS = 2_000  # a longer gap ends a burst (the P-burst pause)
MOMENTS = 3  # the player links to the starts of the longest bursts


def is_fast_run(inserted: str, gap_ms: int | None) -> bool:
    """Tell whether one insert came faster than a hand types it (gap: since its author's last)."""
    solid = len(inserted) - sum(c.isspace() for c in inserted)
    return (gap_ms is not None and solid >= FAST_RUN_MIN_CHARS
            and gap_ms < solid * FAST_RUN_MS_PER_CHAR)


def may_be_reclassified(reported: str) -> bool:
    """Plain typing (or no report) may be a disguised paste; completions and IME are not."""
    return reported in ("", "input", "input.type")


@dataclass
class Rhythm:
    """Collects keystroke intervals per author, in event order."""

    intervals: list[int] = field(default_factory=list)
    _last: dict = field(default_factory=dict)  # author -> (t_ms, seq of the burst's start)
    _bursts: dict = field(default_factory=dict)  # start seq -> keystrokes in the burst

    def keystroke(self, author: str, seq: int, t_ms: int) -> None:
        previous = self._last.get(author)
        if previous is not None and 0 <= t_ms - previous[0] <= BURST_GAP_MS:
            self.intervals.append(t_ms - previous[0])
            start = previous[1]
        else:
            start = seq
        self._bursts[start] = self._bursts.get(start, 0) + 1
        self._last[author] = (t_ms, start)

    def other(self, author: str) -> None:
        """A non-keystroke edit ends its author's burst."""
        self._last.pop(author, None)

    def summary(self) -> dict:
        n = len(self.intervals)
        if n < 2:
            return {"typing_intervals": n, "typing_median_ms": None, "typing_dispersion": None}
        deciles = statistics.quantiles(self.intervals, n=10)
        return {"typing_intervals": n,
                "typing_median_ms": float(statistics.median(self.intervals)),
                "typing_dispersion": deciles[8] / max(deciles[0], 1.0)}

    def longest_bursts(self) -> list[int]:
        longest = sorted(self._bursts.items(), key=lambda item: -item[1])[:MOMENTS]
        return sorted(seq for seq, _ in longest)
