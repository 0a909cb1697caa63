"""A model's critique of a text against rubric principles: prompt, answer shape, parser.

The answer is asked for as JSON of exactly one shape,
`{"principles": [{"key", "score": 1-5, "critique", "quotes": [...]}]}`; `parse_critique`
accepts it tolerantly (code fences, prose around the object, a score given as "4")
and refuses anything else with a message that can be sent back to the model once as a
repair request.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

SCORES = (1, 2, 3, 4, 5)
MAX_CRITIQUE_CHARS = 4000
MAX_QUOTES = 8

# The JSON schema of the answer, for providers that support response_format.
CRITIQUE_SCHEMA = {
    "type": "object",
    "properties": {
        "principles": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "key": {"type": "string"},
                    "score": {"type": "integer", "minimum": 1, "maximum": 5},
                    "critique": {"type": "string"},
                    "quotes": {"type": "array", "items": {"type": "string"}},
                },
                "required": ["key", "score", "critique", "quotes"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["principles"],
    "additionalProperties": False,
}

DEFAULT_TEMPLATE = """You review a response written for the prompt below, against each principle \
of a rubric. For every principle give a score from 1 (fails it badly) to 5 (meets it fully), \
a short critique (at most three sentences: what is wrong or what is good, concretely), and \
quotes: short passages copied exactly from the response that support your critique (may be empty).

## Prompt
{prompt}

## Principles
{principles}

## Response to review
{text}

Answer with JSON only, exactly of this shape:
{{"principles": [{{"key": "<principle key>", "score": 1-5, "critique": "...", "quotes": ["..."]}}]}}
with one entry for each principle key listed above."""

TEMPLATE_FIELDS = ("prompt", "principles", "text")

NOT_JSON = "The answer is not a JSON object."
NO_PRINCIPLES = 'The answer has no "principles" list.'
ENTRY_SHAPE = 'Entry {n} of "principles" needs "key", "score", "critique" and "quotes".'
UNKNOWN_KEY = "Entry {n} names principle {key!r}, which is not in the rubric ({keys})."
BAD_SCORE = "The score of {key!r} must be an integer from 1 to 5, not {score!r}."
DUPLICATE_KEY = "Principle {key!r} appears twice."
MISSING_KEYS = "No critique for principle(s): {keys}."
BAD_TEMPLATE = ("The template must be text using only the fields {{prompt}}, {{principles}} "
                "and {{text}} (double any other braces): {error}")
REPAIR_REQUEST = ("Your answer could not be used: {error} Answer again with JSON only, exactly "
                  'of the shape {{"principles": [{{"key", "score", "critique", "quotes"}}]}}, '
                  "one entry per principle: {keys}.")


class CritiqueParseError(ValueError):
    """The model's answer is not a usable critique; the message says why."""


@dataclass(frozen=True, slots=True)
class PrincipleCritique:
    """The model's view of one principle: score, critique and the quotes that support it.

    `spans` are the code-point ranges of the quotes found in the reviewed text (a quote
    the model did not copy exactly is kept in `quotes` but has no span).
    """

    key: str
    score: int
    critique: str
    quotes: list[str] = field(default_factory=list)
    spans: list[list[int]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"key": self.key, "score": self.score, "critique": self.critique,
                "quotes": list(self.quotes), "spans": [list(s) for s in self.spans]}


def check_template(template: str) -> None:
    """Refuse a template that cannot be filled (unknown fields, unbalanced braces)."""
    try:
        template.format(**{name: "" for name in TEMPLATE_FIELDS})
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(BAD_TEMPLATE.format(error=exc)) from exc


def principles_block(rubric: list[dict]) -> str:
    """Return the rubric as the prompt lists it: one `key`: name — question line each."""
    return "\n".join(f"- `{p['key']}`: {p.get('name', p['key'])} — {p.get('question', '')}"
                     for p in rubric)


def critique_messages(*, template: str, prompt: str, text: str, rubric: list[dict]) -> list[dict]:
    """Return the chat messages that ask for a critique of `text`."""
    content = template.format(prompt=prompt, principles=principles_block(rubric), text=text)
    return [{"role": "user", "content": content}]


def repair_messages(messages: list[dict], answer: str, error: str,
                    keys: list[str]) -> list[dict]:
    """Return the conversation that asks the model once to fix an unusable answer."""
    return [*messages, {"role": "assistant", "content": answer},
            {"role": "user", "content": REPAIR_REQUEST.format(error=error, keys=", ".join(keys))}]


_FENCE = re.compile(r"^```[a-zA-Z0-9_-]*\s*\n?(.*?)\n?```\s*$", re.DOTALL)


def _json_object(answer: str) -> dict:
    """Return the JSON object in the answer: bare, fenced, or the outermost {...} in prose."""
    text = answer.strip()
    fenced = _FENCE.match(text)
    if fenced:
        text = fenced.group(1).strip()
    candidates = [text]
    start, end = text.find("{"), text.rfind("}")
    if 0 <= start < end:
        candidates.append(text[start:end + 1])
    for candidate in candidates:
        try:
            value = json.loads(candidate)
        except (ValueError, RecursionError):
            continue
        if isinstance(value, dict):
            return value
    raise CritiqueParseError(NOT_JSON)


def _score(value, key: str) -> int:
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value not in SCORES:
        raise CritiqueParseError(BAD_SCORE.format(key=key, score=value))
    return value


def quote_spans(text: str, quotes: list[str]) -> list[list[int]]:
    """Return the [start, end) of each quote's first occurrence in `text` (code points)."""
    spans = []
    for quote in quotes:
        at = text.find(quote) if quote else -1
        if at >= 0:
            spans.append([at, at + len(quote)])
    return spans


def _entry(item, n: int, keys: list[str], text: str) -> PrincipleCritique:
    if not isinstance(item, dict) or not {"key", "score", "critique"} <= item.keys():
        raise CritiqueParseError(ENTRY_SHAPE.format(n=n))
    key = item["key"]
    if key not in keys:
        raise CritiqueParseError(UNKNOWN_KEY.format(n=n, key=key, keys=", ".join(keys)))
    critique = item["critique"]
    quotes = item.get("quotes") or []
    if not isinstance(critique, str) or not isinstance(quotes, list):
        raise CritiqueParseError(ENTRY_SHAPE.format(n=n))
    quotes = [q for q in quotes if isinstance(q, str) and q.strip()][:MAX_QUOTES]
    return PrincipleCritique(key=key, score=_score(item["score"], key),
                             critique=critique.strip()[:MAX_CRITIQUE_CHARS], quotes=quotes,
                             spans=quote_spans(text, quotes))


def parse_critique(answer: str, *, keys: list[str], text: str) -> list[PrincipleCritique]:
    """Return one critique per rubric key, in rubric order, or raise CritiqueParseError."""
    body = _json_object(answer)
    items = body.get("principles")
    if not isinstance(items, list):
        raise CritiqueParseError(NO_PRINCIPLES)
    found: dict[str, PrincipleCritique] = {}
    for n, item in enumerate(items, start=1):
        entry = _entry(item, n, keys, text)
        if entry.key in found:
            raise CritiqueParseError(DUPLICATE_KEY.format(key=entry.key))
        found[entry.key] = entry
    missing = [k for k in keys if k not in found]
    if missing:
        raise CritiqueParseError(MISSING_KEYS.format(keys=", ".join(missing)))
    return [found[k] for k in keys]
