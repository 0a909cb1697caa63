"""The pyfuncs demo tasks carry their prompt's tests: each draft fails some, a fix passes."""
# ruff: noqa: E501 - solutions are quoted as a writer types them

import pytest

from oversight.core.verifier_spec import validate_verifier
from oversight.verifiers.runner import run_spec
from oversight.verifiers.sandbox import Limits
from oversight.workspace.demo_code import CODE_TASKS

FIXES = {
    "pyfuncs-chunk": '''def chunk(items: list, size: int) -> list[list]:
    if size < 1:
        raise ValueError("size must be at least 1")
    return [items[start:start + size] for start in range(0, len(items), size)]
''',
    "pyfuncs-add-tag": '''def add_tag(tag: str, tags: list[str] | None = None) -> list[str]:
    tags = list(tags or [])
    if tag.lower() not in (t.lower() for t in tags):
        tags.append(tag)
    return tags
''',
    "pyfuncs-word-frequencies": '''import re
from collections import Counter


def word_frequencies(text: str) -> dict[str, int]:
    counts = Counter(re.findall(r"[A-Za-z0-9']+", text.lower()))
    return dict(counts.most_common())
''',
    "pyfuncs-moving-average": '''def moving_average(values: list[float], window: int) -> list[float]:
    if window < 1:
        raise ValueError("window must be at least 1")
    return [sum(values[i:i + window]) / window for i in range(len(values) - window + 1)]
''',
    "pyfuncs-parse-duration": '''import re


def parse_duration(text: str) -> int:
    match = re.fullmatch(r"(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?", text)
    if not text or not match:
        raise ValueError(f"not a duration: {text!r}")
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds
''',
    "pyfuncs-median": '''def median(values: list[float]) -> float:
    if not values:
        raise ValueError("median of nothing")
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2 == 0:
        return (ordered[middle - 1] + ordered[middle]) / 2
    return ordered[middle]
''',
}


def test_every_demo_code_task_has_a_valid_verifier():
    assert {task["external_id"] for task in CODE_TASKS} == set(FIXES)
    for task in CODE_TASKS:
        assert validate_verifier(task["verifier"]) == task["verifier"]


@pytest.mark.parametrize("task", CODE_TASKS, ids=lambda t: t["external_id"])
def test_the_draft_fails_some_tests_and_the_fix_passes_them_all(task, sandbox):
    spec = task["verifier"]
    draft = run_spec(spec=spec, text=task["draft"]["text"], config=sandbox, limits=Limits())
    assert draft.status == "failed", draft.output
    assert 0 < draft.failed <= draft.total
    fixed = run_spec(spec=spec, text=FIXES[task["external_id"]], config=sandbox,
                     limits=Limits())
    assert fixed.status == "passed", fixed.output
    assert fixed.passed == fixed.total == draft.total
