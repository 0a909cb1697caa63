"""Where pasted text came from: the task's own text, or outside it.

Text is known when it is in the draft, the prompt, a model-help response or what
was inserted earlier in the session (a cut and paste moves the task's own text).
A paste is judged by its shingles (overlapping 12-character pieces, case and
runs of whitespace ignored): external when fewer than half are known, so a
quoted passage with a few words changed still counts as the task's own. A paste
that is not external takes the source that holds most of its shingles.
"""

SHINGLE = 12
EXTERNAL_MAX_COVERAGE = 0.5
MOMENTS = 5

# The sources of a paste (an event's `paste_source`), in the order ties are decided.
DRAFT = "draft"
PROMPT = "prompt"
MODEL_HELP = "model_help"
TASK = "task"  # text inserted earlier in the session: moved or copied within the task
EXTERNAL = "external"
UNKNOWN = "unknown"  # under 12 characters: too short to tell
SOURCES = (DRAFT, PROMPT, MODEL_HELP, TASK, EXTERNAL)
PASTE_SOURCES = (*SOURCES, UNKNOWN)


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def _shingles(text: str) -> list[str]:
    return [text[i:i + SHINGLE] for i in range(len(text) - SHINGLE + 1)]


class KnownText:
    """The shingles of everything the session had seen, by source; inserts join lazily.

    `texts` are (source, text) pairs (a bare string counts as the prompt's).
    """

    def __init__(self, texts):
        self.by_source: dict[str, set[str]] = {}
        for item in texts:
            source, text = (PROMPT, item) if isinstance(item, str) else item
            self.by_source.setdefault(source, set()).update(_shingles(_normal(text)))
        self.by_source.setdefault(TASK, set())
        self._pending: list[str] = []
        self._tail = ""

    def inserted(self, text: str) -> None:
        self._pending.append(text)

    def _flush(self) -> None:
        if self._pending:
            # Inserts join in event order: typing stays contiguous, as in the text.
            joined = self._tail + _normal("".join(self._pending))
            self.by_source[TASK].update(_shingles(joined))
            self._tail, self._pending = joined[-(SHINGLE - 1):], []

    def source_of(self, pasted: str) -> str | None:
        """Return the paste's source (one of SOURCES), or None when too short to tell."""
        self._flush()
        grams = _shingles(_normal(pasted))
        if not grams:
            return None
        sets = [(s, self.by_source[s]) for s in SOURCES if s in self.by_source]
        known = sum(any(g in grams_of for _, grams_of in sets) for g in grams)
        if known / len(grams) < EXTERNAL_MAX_COVERAGE:
            return EXTERNAL
        # Most shingles wins; ties go to the earlier source (the draft before the task).
        return max(sets, key=lambda item: sum(g in item[1] for g in grams))[0]

    def is_external(self, pasted: str) -> bool:
        """Tell whether a paste is mostly text the session had not seen."""
        return self.source_of(pasted) == EXTERNAL
