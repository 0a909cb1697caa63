"""Where pasted text came from: the task's own text, or outside it.

Text is known when it is in the draft, the prompt, a model-help response or what
was inserted earlier in the session (a cut and paste moves the task's own text).
A paste is judged by its shingles (overlapping 12-character pieces, case and
runs of whitespace ignored): external when fewer than half are known, so a
quoted passage with a few words changed still counts as the task's own.
"""

SHINGLE = 12
EXTERNAL_MAX_COVERAGE = 0.5
MOMENTS = 5


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def _shingles(text: str) -> list[str]:
    return [text[i:i + SHINGLE] for i in range(len(text) - SHINGLE + 1)]


class KnownText:
    """The shingles of everything the session had seen; inserted text joins lazily."""

    def __init__(self, texts):
        self.grams: set[str] = set()
        for text in texts:
            self.grams.update(_shingles(_normal(text)))
        self._pending: list[str] = []
        self._tail = ""

    def inserted(self, text: str) -> None:
        self._pending.append(text)

    def _flush(self) -> None:
        if self._pending:
            # Inserts join in event order: typing stays contiguous, as in the text.
            joined = self._tail + _normal("".join(self._pending))
            self.grams.update(_shingles(joined))
            self._tail, self._pending = joined[-(SHINGLE - 1):], []

    def is_external(self, pasted: str) -> bool:
        """Tell whether a paste is mostly text the session had not seen."""
        self._flush()
        grams = _shingles(_normal(pasted))
        if not grams:
            return False  # too short to tell
        known = sum(g in self.grams for g in grams)
        return known / len(grams) < EXTERNAL_MAX_COVERAGE
