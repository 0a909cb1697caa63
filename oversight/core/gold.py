"""Gold tasks: drafts with planted flaws, which flaws a writer caught, and how often gold is due.

A flaw is a span [start, end) of the draft, in code points, with a short description
(and, for code with a verifier, optionally the name of the planted failing test).
A flaw is *caught* when the submitted final changed its span: following every event
from the draft, some character of the span is gone from the final (deleted or
replaced) or text sits strictly inside it (between two of its characters). Text
typed at either edge is outside the span, and an edit undone before submitting
leaves the span as it was: the final is what is judged. A flaw with a `test` also
needs that test to pass on the final.
"""

from array import array
from collections.abc import Iterable

from .tags import draft_indexes, follow

MAX_DESCRIPTION = 500
MAX_FLAWS = 50
FLAW_KEYS = ("start", "end", "description", "test")

NOT_AN_OBJECT = "field '{field}': must be a JSON object"
NOT_A_LIST = "field '{field}': must be a non-empty list of flaws"
TOO_MANY = "field '{field}': at most {limit} flaws (got {count})"
UNKNOWN = "field '{field}': unknown field (expected one of: {expected})"
NOT_AN_OFFSET = "field '{field}': must be a whole number ≥ 0"
BAD_SPAN = "field '{field}': end must be greater than start ({start})"
BEYOND = "field '{field}': {end} is beyond the draft ({size} characters)"
NEEDS_DRAFT = "field 'gold': a gold task needs a draft (its flaws are spans of the draft)"
NO_DESCRIPTION = "field '{field}': required, a short description of the flaw"
LONG_DESCRIPTION = "field '{field}': at most {limit} characters (got {length})"
NOT_A_NAME = "field '{field}': must be a test name (a non-empty string)"

_INSERTED = -1  # identity of a code point the writer inserted


def _offset(value, label: str, errors: list[str]) -> int | None:
    if type(value) is not int or value < 0:
        errors.append(NOT_AN_OFFSET.format(field=label))
        return None
    return value


def _flaw(value, label: str, draft_size: int, errors: list[str]) -> dict | None:
    if not isinstance(value, dict):
        errors.append(NOT_AN_OBJECT.format(field=label))
        return None
    before = len(errors)
    for key in value:
        if key not in FLAW_KEYS:
            errors.append(UNKNOWN.format(field=f"{label}.{key}", expected=", ".join(FLAW_KEYS)))
    start = _offset(value.get("start"), f"{label}.start", errors)
    end = _offset(value.get("end"), f"{label}.end", errors)
    if start is not None and end is not None:
        if end <= start:
            errors.append(BAD_SPAN.format(field=f"{label}.end", start=start))
        elif end > draft_size:
            errors.append(BEYOND.format(field=f"{label}.end", end=end, size=draft_size))
    description = value.get("description")
    if not isinstance(description, str) or not description.strip():
        errors.append(NO_DESCRIPTION.format(field=f"{label}.description"))
    elif len(description) > MAX_DESCRIPTION:
        errors.append(LONG_DESCRIPTION.format(field=f"{label}.description",
                                              limit=MAX_DESCRIPTION, length=len(description)))
    test = value.get("test")
    if test is not None and (not isinstance(test, str) or not test.strip()):
        errors.append(NOT_A_NAME.format(field=f"{label}.test"))
    if len(errors) > before:
        return None
    return {"start": start, "end": end, "description": description.strip(),
            "test": (test or "").strip()}


def gold_problems(value, draft: str | None) -> tuple[list[dict], list[str]]:
    """Validate an import's `gold` object against the task's draft: (flaws, errors).

    Errors name the field as the importer's other messages do (`gold.flaws[1].end`).
    """
    errors: list[str] = []
    if not isinstance(value, dict):
        return [], [NOT_AN_OBJECT.format(field="gold")]
    for key in value:
        if key != "flaws":
            errors.append(UNKNOWN.format(field=f"gold.{key}", expected="flaws"))
    flaws = value.get("flaws")
    if not isinstance(flaws, list) or not flaws:
        return [], errors + [NOT_A_LIST.format(field="gold.flaws")]
    if len(flaws) > MAX_FLAWS:
        return [], errors + [TOO_MANY.format(field="gold.flaws", limit=MAX_FLAWS,
                                             count=len(flaws))]
    if draft is None:
        return [], errors + [NEEDS_DRAFT]
    clean = [_flaw(flaw, f"gold.flaws[{i}]", len(draft), errors) for i, flaw in enumerate(flaws)]
    return ([f for f in clean if f] if not errors else []), errors


def flaw_problems(flaw: dict, draft: str) -> list[str]:
    """Validate one flaw added by hand (the lead's page): its errors, or []."""
    errors: list[str] = []
    _flaw(flaw, "flaw", len(draft), errors)
    return errors


def final_identities(draft_size: int, deltas: Iterable[list[dict]]) -> array:
    """Follow the deltas from the draft: per code point of the final, its draft index or -1."""
    return follow(draft_indexes(draft_size), ((ops, _INSERTED) for ops in deltas))


def span_changed(ids: array, start: int, end: int) -> bool:
    """Whether the final changed the draft's span [start, end), given `final_identities`."""
    positions = [i for i, d in enumerate(ids) if start <= d < end]
    if len(positions) < end - start:
        return True  # some character of the span was deleted or replaced
    # Every span character survived, in order: anything between them was inserted.
    return positions[-1] - positions[0] != end - start - 1


def caught_flaws(draft: str, deltas: Iterable[list[dict]], flaws: list[dict],
                 passed_tests: set[str] | None = None) -> list[dict]:
    """Return each flaw with `span_changed`, `test_passed` (None: no test, or not run) and
    `caught`; `passed_tests` names the tests that passed on the final (None: no run yet)."""
    ids = final_identities(len(draft), deltas)
    out = []
    for flaw in flaws:
        changed = span_changed(ids, flaw["start"], flaw["end"])
        test = flaw.get("test") or ""
        passed = None if not test or passed_tests is None else test in passed_tests
        caught = changed and (not test or passed is True)
        out.append({**flaw, "span_changed": changed, "test_passed": passed, "caught": caught})
    return out


def gold_due(assigned: int, gold_assigned: int, rate: float) -> bool:
    """Whether one more gold task is due for a writer with these assignments in a project.

    Gold is added while the writer's gold share, counting the one added, stays at most
    `rate`: with 0.1, one gold task after nine others (10 of 10 → 1 gold). A writer with
    no other work gets none: gold is mixed into real work, never served alone.
    """
    if rate <= 0 or assigned - gold_assigned <= 0:
        return False
    return gold_assigned + 1 <= rate * (assigned + 1) + 1e-9
